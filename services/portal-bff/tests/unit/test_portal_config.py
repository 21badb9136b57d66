"""Merging the portal config and deciding which modules show, with no database."""

import pytest

from portal_bff.errors import InvalidPortalConfig
from portal_bff.portal_config import DEFAULTS, deep_merge, enabled_modules, module_enabled, validate_override
from portal_bff.portal_config_schema import MODULES, PortalConfigSchema


def test_the_defaults_are_a_valid_complete_config():
    assert PortalConfigSchema().load(DEFAULTS) == DEFAULTS


def test_objects_merge_key_by_key_and_everything_else_is_replaced():
    base = {"menu": {"news": True, "about": True}, "tickets": {"columns": ["id", "subject"]}, "main": {"title": "A"}}
    override = {"menu": {"news": False}, "tickets": {"columns": ["id"]}, "main": {"title": "B"}}

    merged = deep_merge(base, override)

    assert merged == {"menu": {"news": False, "about": True}, "tickets": {"columns": ["id"]}, "main": {"title": "B"}}
    assert base["menu"]["news"] is True  # neither input is changed
    merged["tickets"]["columns"].append("x")
    assert override["tickets"]["columns"] == ["id"]


def test_an_override_may_be_any_subset_but_nothing_unknown():
    assert validate_override({"security": {"require_two_factor": True}}) == {"security": {"require_two_factor": True}}
    with pytest.raises(InvalidPortalConfig) as refused:
        validate_override({"security": {"require_2fa": True}})
    assert refused.value.errors == {"security": {"require_2fa": ["Unknown field."]}}


def with_menu(**switches) -> dict:
    return deep_merge(DEFAULTS, {"menu": switches})


def test_a_module_shows_when_the_menu_has_it_on():
    assert module_enabled(DEFAULTS, "tickets")
    assert not module_enabled(with_menu(tickets=False), "tickets")
    assert not module_enabled(DEFAULTS, "no-such-module")


@pytest.mark.parametrize("status", ["blocked", "inactive"])
def test_restricted_customers_see_only_the_restricted_modules_the_menu_shows(status):
    assert enabled_modules(DEFAULTS, customer_status=status) == ["finance"]
    assert enabled_modules(with_menu(finance=False), customer_status=status) == []
    opened = deep_merge(DEFAULTS, {"restricted_access": {"modules": ["about", "finance"]}})
    assert enabled_modules(opened, customer_status=status) == ["finance", "about"]


@pytest.mark.parametrize("status", ["new", "active", None])
def test_other_customers_see_the_whole_menu(status):
    assert enabled_modules(DEFAULTS, customer_status=status) == list(MODULES)
