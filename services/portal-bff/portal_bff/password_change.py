"""Changing the password from the profile (or when a first sign-in forces it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal_bff import lockout, passwords, sessions
from portal_bff.errors import WeakPassword, WrongPassword
from portal_bff.models import PortalAccount


def change_password(
    session: Session, customer_id: int, *, current: str, new: str, keep_session: str, now: datetime
) -> PortalAccount:
    """Replace the password, proven by the current one; every other session of the account ends.

    Raises WrongPassword (field `current`) or WeakPassword (field `new`); nothing changes then.
    """
    account = session.get(PortalAccount, customer_id, with_for_update=True)
    if not (account.password_hash and passwords.verify_password(account.password_hash, current)):
        raise WrongPassword("current")
    if new == current:
        raise WeakPassword("The new password must differ from the current one.", field="new")
    try:
        passwords.check_password_policy(new, login=account.login)
    except WeakPassword as weak:
        raise WeakPassword(weak.reason, field="new") from None
    account.password_hash = passwords.hash_password(new)
    account.must_change_password = False
    account.updated_at = now
    lockout.clear(session, account.login)
    sessions.end_other_sessions(
        session, customer_id, keep=keep_session, reason=sessions.Reason.PASSWORD_CHANGED, now=now
    )
    return account
