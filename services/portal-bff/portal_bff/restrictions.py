"""What a signed-in customer must do before anything else: change a forced password, enrol in two-factor.

Worked out on every request from the account and the portal config (not frozen at sign-in),
so an operator who starts requiring two-factor sign-in catches sessions already open.
An operator's impersonation session is never restricted: these steps are the customer's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal_bff import two_factor
from portal_bff.models import PortalAccount, PortalSession

CHANGE_PASSWORD = "change_password"  # noqa: S105 (a restriction's name)
ENROL_TWO_FACTOR = "enrol_two_factor"
ALL = (CHANGE_PASSWORD, ENROL_TWO_FACTOR)


def session_restrictions(
    session: Session, account: PortalAccount, record: PortalSession, config: dict[str, Any]
) -> list[str]:
    """The steps still owed, in the order they are to be done."""
    needs_two_factor = config["security"]["require_two_factor"] and record.impersonated_by is None
    enabled = needs_two_factor and two_factor.is_enabled(session, account.customer_id)
    return owed_steps(account, record, config, two_factor_enabled=enabled)


def owed_steps(
    account: PortalAccount, record: PortalSession, config: dict[str, Any], *, two_factor_enabled: bool
) -> list[str]:
    """The steps still owed, knowing already whether two-factor sign-in is on (session_lookup.py reads it)."""
    if record.impersonated_by is not None:
        return []
    owed = []
    if account.must_change_password:
        owed.append(CHANGE_PASSWORD)
    if config["security"]["require_two_factor"] and not two_factor_enabled:
        owed.append(ENROL_TWO_FACTOR)
    return owed
