"""Where the upstreams are: from the settings, with no default, so a missing one stops the start."""

import pytest

from portal_bff.app import create_app
from portal_bff.upstream_settings import MissingUpstreamAddress, upstream_settings
from portico.settings import load_settings

ALL = {
    "BILLING_URL": "http://billing:8001/",
    "TICKETING_URL": "http://ticketing:8002",
    "DOCUMENTS_URL": "http://documents:8003",
    "NOTIFICATIONS_URL": "http://notifications:8004",
}


def test_every_address_and_the_timeouts_come_from_the_settings():
    settings = load_settings(
        "portal-bff", **ALL, PORTAL_BFF_TICKETING_URL="http://tickets.internal", PORTAL_BFF_BILLING_TIMEOUT_MS="250"
    )

    upstreams = upstream_settings(settings)

    assert upstreams["billing"].base_url == "http://billing:8001"
    assert upstreams["ticketing"].base_url == "http://tickets.internal"
    assert upstreams["billing"].read_timeout == 0.25
    assert upstreams["notifications"].read_timeout == 0.8


def test_a_missing_address_is_named(monkeypatch):
    monkeypatch.delenv("DOCUMENTS_URL", raising=False)
    monkeypatch.delenv("NOTIFICATIONS_URL", raising=False)
    given = {k: v for k, v in ALL.items() if k not in ("DOCUMENTS_URL", "NOTIFICATIONS_URL")}

    with pytest.raises(MissingUpstreamAddress, match="DOCUMENTS_URL, NOTIFICATIONS_URL"):
        upstream_settings(load_settings("portal-bff", **given))


def test_the_app_does_not_start_without_its_upstreams(monkeypatch, tmp_path):
    for name in ALL:
        monkeypatch.delenv(name, raising=False)

    with pytest.raises(MissingUpstreamAddress):
        create_app(load_settings("portal-bff", database_url=f"sqlite:///{tmp_path}/x.db"))
