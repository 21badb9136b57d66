"""The portal config: built-in defaults, the operators' general default, and per-partner overrides.

The effective config of a partner is DEFAULTS deep-merged with the stored general default
(partner 0) and then with the partner's override: objects merge key by key, anything else
(lists included) is replaced. Operators store any valid subset; what is stored is
validated alone and merged with what it overrides. No rule spans two fields, so a general
default that changes later cannot make a partner's effective config invalid.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal_bff import freshness, upserts
from portal_bff.errors import InvalidPortalConfig, NotFound
from portal_bff.models import PortalConfigRecord
from portal_bff.portal_config_schema import DASHBOARD_SECTIONS, MODULES, PortalConfigSchema

GENERAL = 0  # the partner_id of the general default (billing's partner ids start at 1)
RESTRICTED_STATUSES = frozenset({"blocked", "inactive"})

DEFAULTS: dict[str, Any] = {
    "main": {"title": "Customer portal", "about": "", "contact": "", "support_email": None, "support_phone": None},
    "menu": dict.fromkeys(MODULES, True),
    "dashboard": {
        **dict.fromkeys(DASHBOARD_SECTIONS, True),
        "cap_fup": False,
        "live_bandwidth": False,
        "shortcut_buttons": [],
    },
    "profile": {
        "full_name": "read_only",
        "emails": "editable",
        "billing_emails": "editable",
        "phones": "editable",
        "street": "read_only",
        "zip_code": "read_only",
        "city": "read_only",
    },
    "services": {"allow_order_new_products": False, "allow_plan_change": False},
    "tickets": {"columns": ["id", "subject", "priority", "status", "updated"], "allow_attachments": True},
    "finance": {"payment_methods": []},
    "documents": {"allow_customer_upload": False},
    "security": {"require_two_factor": False},
    "restricted_access": {"modules": ["finance"]},
}


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A new dict: `base` with `override` on top, objects merged key by key, all else replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def validate_override(override: Any) -> dict[str, Any]:
    """The override as stored, or InvalidPortalConfig with the field errors."""
    try:
        return PortalConfigSchema(partial=True).load(override)
    except ValidationError as error:
        raise InvalidPortalConfig(error.messages) from None


def _validate_effective(config: dict[str, Any]) -> None:
    try:
        PortalConfigSchema().load(config)
    except ValidationError as error:
        raise InvalidPortalConfig(error.messages) from None


def stored(session: Session, partner_id: int) -> PortalConfigRecord | None:
    """What operators stored for the partner (GENERAL: the general default), if anything."""
    return session.get(PortalConfigRecord, partner_id)


def effective_config(session: Session, partner_id: int) -> dict[str, Any]:
    """What the portal shows a customer of `partner_id` (GENERAL: the general default)."""
    records = {
        r.partner_id: r.config
        for r in session.scalars(
            select(PortalConfigRecord).where(PortalConfigRecord.partner_id.in_([GENERAL, partner_id]))
        )
    }
    config = deep_merge(DEFAULTS, records.get(GENERAL, {}))
    if partner_id != GENERAL:
        config = deep_merge(config, records.get(partner_id, {}))
    return config


def store_override(session: Session, partner_id: int, override: Any, *, by: str, now: datetime) -> dict[str, Any]:
    """Validate and store the general default (GENERAL) or a partner's override; return the effective config.

    InvalidPortalConfig when the document, or the effective config it makes, is invalid.
    """
    cleaned = validate_override(override)
    base = effective_config(session, GENERAL) if partner_id != GENERAL else DEFAULTS
    effective = deep_merge(base, cleaned)
    _validate_effective(effective)
    values = {"config": cleaned, "updated_at": now, "updated_by": by}
    session.execute(
        upserts.insert(session, PortalConfigRecord.__table__)
        .values(partner_id=partner_id, **values)
        .on_conflict_do_update(index_elements=["partner_id"], set_=values)
    )
    freshness.changed_for_everyone(session, [freshness.CONFIG])
    return effective


def remove_override(session: Session, partner_id: int) -> None:
    """Drop a partner's override (its customers get the general default); NotFound if there is none."""
    removed = session.execute(delete(PortalConfigRecord).where(PortalConfigRecord.partner_id == partner_id)).rowcount
    if removed != 1:
        raise NotFound("This partner has no portal config of its own.")
    freshness.changed_for_everyone(session, [freshness.CONFIG])


class ConfigCache:
    """The effective config of each partner, worked out once per version of the stored configs.

    Every change of the stored configs moves the shared config version (in the same
    transaction); every web process reads that version with the session. The configs handed
    out are shared by the requests of the process: never to be changed.
    """

    def __init__(self) -> None:
        self._by_partner: dict[int, tuple[int | None, dict[str, Any]]] = {}

    def effective(self, reading: Callable[[], Session], partner_id: int, version: int | None) -> dict[str, Any]:
        """The partner's effective config as of `version` (read in `reading()` when not known yet)."""
        kept = self._by_partner.get(partner_id)
        if kept is not None and kept[0] == version:
            return kept[1]
        with reading() as session:
            config = effective_config(session, partner_id)
        self._by_partner[partner_id] = (version, config)
        return config


def module_enabled(config: dict[str, Any], module: str, *, customer_status: str | None = None) -> bool:
    """Whether the menu shows `module` to a customer; hidden modules' pages and API answer 404.

    Blocked and Inactive customers see only the modules of `restricted_access` (that the menu shows).
    """
    if module not in MODULES or not config["menu"].get(module, False):
        return False
    if customer_status in RESTRICTED_STATUSES:
        return module in config["restricted_access"]["modules"]
    return True


def enabled_modules(config: dict[str, Any], *, customer_status: str | None = None) -> list[str]:
    """The menu, in its order, for a customer of this status."""
    return [m for m in MODULES if module_enabled(config, m, customer_status=customer_status)]
