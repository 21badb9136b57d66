"""A new billing customer gets a portal account and, once, a set-password link."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from portal_bff.accounts import provision_account
from portal_bff.handlers import handlers
from portal_bff.password_tokens import token_hash
from portico.events.consumer import RetryLater
from portico.events.schemas import validate_event
from portico.settings import load_settings


def provisioned_events(outbox_events) -> list[dict]:
    return [e for e in outbox_events() if e["type"] == "portal.account.provisioned"]


def test_a_new_customer_gets_an_account_without_password_and_one_link(
    handle, customer_created, outbox_events, stored, settings
):
    before = datetime.now(UTC)
    handle(customer_created(7, login="jane.doe", partner_id=3, status="active"))

    [account] = stored.accounts()
    assert (account.customer_id, account.login, account.partner_id) == (7, "jane.doe", 3)
    assert (account.customer_status, account.customer_revision) == ("active", 1)
    assert account.password_hash is None
    assert stored.emails(7) == ["jane@example.com"]
    [token_row] = stored.tokens()
    assert (token_row.customer_id, token_row.purpose, token_row.used_at) == (7, "set_password", None)

    [event] = provisioned_events(outbox_events)
    validate_event(event)
    assert event["producer"] == "portal-bff"
    data = event["data"]
    assert (data["customer_id"], data["login"]) == (7, "jane.doe")
    url = urlsplit(data["set_password_url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{settings.public_url}/set-password"
    [token] = parse_qs(url.query)["token"]
    assert len(token) >= 43  # 32 random bytes, base64url
    # The database holds only the token's SHA-256.
    assert token_row.token_hash == token_hash(token)
    assert token not in (token_row.token_hash, str(token_row.id))

    expires_at = datetime.fromisoformat(data["expires_at"])
    assert data["expires_at"].endswith("Z")
    assert timedelta(hours=72) - timedelta(seconds=1) <= expires_at - before <= timedelta(hours=72, seconds=5)


def test_the_link_lifetime_comes_from_the_settings(db, settings, customer_created, outbox_events):
    short = load_settings(
        "portal-bff", database_url=settings.database_url, PORTAL_BFF_SET_PASSWORD_TTL_HOURS="24", public_url="http://x"
    )
    event = customer_created(8)
    before = datetime.now(UTC)
    with db.transaction() as session:
        handlers(short)[event.type](session, event)

    [provisioned] = provisioned_events(outbox_events)
    lifetime = datetime.fromisoformat(provisioned["data"]["expires_at"]) - before
    assert timedelta(hours=24) - timedelta(seconds=1) <= lifetime <= timedelta(hours=24, seconds=5)


def test_a_republished_customer_created_provisions_nothing_more(handle, customer_created, outbox_events, stored):
    handle(customer_created(7))
    handle(customer_created(7))  # the same customer again, under a new event id

    assert len(stored.accounts()) == 1
    assert len(stored.tokens()) == 1
    assert len(provisioned_events(outbox_events)) == 1


def test_provisioning_an_existing_customer_returns_none(db, snapshot):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    with db.transaction() as session:
        first = provision_account(session, snapshot(7), now=now, public_url="https://p")
    with db.transaction() as session:
        second = provision_account(session, snapshot(7, revision=2), now=now, public_url="https://p")
    assert first is not None and first.customer_id == 7
    assert second is None


def test_a_login_still_held_by_another_customer_waits_and_writes_nothing(
    handle, customer_created, outbox_events, stored
):
    handle(customer_created(7, login="jane"))

    with pytest.raises(RetryLater):
        handle(customer_created(8, login="jane"))

    assert [a.customer_id for a in stored.accounts()] == [7]
    assert len(stored.tokens()) == 1
    assert len(provisioned_events(outbox_events)) == 1
