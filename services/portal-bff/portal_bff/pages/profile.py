"""The Profile page: the customer's contact data as billing holds it, as the portal config shows it."""

from __future__ import annotations

from typing import Any

from portal_bff import visibility
from portal_bff.pages import Reader


def profile_model(profile: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    model = visibility.visible_profile(profile, config)
    return ({"login": profile["login"]} if "login" in profile else {}) | model


def profile_page(reader: Reader) -> dict[str, Any]:
    billing = reader.upstreams.billing
    return reader.gather({"profile": lambda: profile_model(reader.get(billing, "/profile"), reader.config)}, "billing")
