"""Signing a customer in: rate limit per IP, lockout per login, argon2 password, then the second factor.

`sign_in` never raises for a refused attempt: it commits what the attempt recorded (the
IP's count, the login's failures, the history line) and returns the outcome, which the
caller answers with `result.raise_if_refused()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal_bff import events, lockout, passwords, rate_limit, sessions, sign_in_history, two_factor
from portal_bff.errors import (
    InvalidCredentials,
    LoginLocked,
    PortalError,
    RateLimited,
    TwoFactorRequired,
    WrongTwoFactorCode,
)
from portal_bff.models import PortalAccount
from portal_bff.policies import Policies
from portal_bff.sessions import Client, IssuedSession
from portal_bff.sign_in_history import Outcome
from portal_bff.times import rfc3339
from portico.db import Database


@dataclass(frozen=True)
class Credentials:
    login: str
    password: str
    totp: str | None = None
    recovery_code: str | None = None


@dataclass(frozen=True)
class SignInResult:
    """What became of one attempt: a session, or the error to answer with."""

    issued: IssuedSession | None = None
    account: PortalAccount | None = None
    refusal: PortalError | None = None

    def raise_if_refused(self) -> None:
        if self.refusal is not None:
            raise self.refusal


def _refused(error: PortalError) -> SignInResult:
    return SignInResult(refusal=error)


def _password_matches(account: PortalAccount | None, password: str) -> bool:
    # An unknown login or an account with no password yet still costs one argon2
    # verification, so the answer's timing does not tell them from a wrong password.
    stored = account.password_hash if account is not None else None
    matches = passwords.verify_password(stored or passwords.dummy_hash(), password)
    return matches and stored is not None


def _failed(
    session: Session, login: str, account: PortalAccount | None, client: Client, outcome: str, *, policy, now
) -> datetime | None:
    locked = lockout.record_failure(session, login, policy=policy, now=now)
    if account is not None:
        sign_in_history.record(session, account.customer_id, client, outcome, now=now)
    return locked


def sign_in(
    db: Database,
    credentials: Credentials,
    client: Client,
    *,
    policies: Policies,
    now: datetime,
    replacing_token: str | None = None,
) -> SignInResult:
    """Check one sign-in attempt and, if it passes, start a new session (ending `replacing_token`'s).

    Three steps: count the attempt and check the lock (committed, whatever follows); verify
    the password outside any transaction, as argon2 is slow by design and SQLite would be
    locked for writers meanwhile; then record the failure, or check the second factor and
    start the session.
    """
    login = credentials.login
    with db.transaction() as session:
        wait = rate_limit.hit(session, policies.sign_in_per_ip, client.ip, now=now)
        if wait is not None:
            return _refused(RateLimited(wait))
        account = session.scalar(select(PortalAccount).where(PortalAccount.login == login))
        locked_until = lockout.locked_until(session, login, now=now)
        if locked_until is not None:
            if account is not None:
                sign_in_history.record(session, account.customer_id, client, Outcome.LOCKED, now=now)
            return _refused(LoginLocked(locked_until, now))

    matches = _password_matches(account, credentials.password)
    rehashed = (
        passwords.hash_password(credentials.password)
        if matches and passwords.needs_rehash(account.password_hash)
        else None
    )

    with db.transaction() as session:
        if not matches:
            locked = _failed(session, login, account, client, Outcome.WRONG_PASSWORD, policy=policies.lockout, now=now)
            return _refused(LoginLocked(locked, now) if locked else InvalidCredentials())
        refusal = _check_second_factor(session, credentials, account, client, policies=policies, now=now)
        if refusal is not None:
            return _refused(refusal)
        lockout.clear(session, login)
        if rehashed:
            _store_rehash(session, account, rehashed)
        if replacing_token:
            sessions.end_session_by_token(session, replacing_token, reason=sessions.Reason.REPLACED, now=now)
        issued = sessions.start_session(session, account.customer_id, client, policy=policies.session, now=now)
        record_sign_in(session, account.customer_id, client, issued, now=now)
    return SignInResult(issued=issued, account=account)


def _check_second_factor(
    session: Session, credentials: Credentials, account: PortalAccount, client: Client, *, policies: Policies, now
) -> PortalError | None:
    if not two_factor.is_enabled(session, account.customer_id):
        return None
    if not (credentials.totp or credentials.recovery_code):
        sign_in_history.record(session, account.customer_id, client, Outcome.TWO_FACTOR_REQUIRED, now=now)
        return TwoFactorRequired()
    if two_factor.verify_second_factor(
        session, account.customer_id, code=credentials.totp, recovery_code=credentials.recovery_code, now=now
    ):
        return None
    locked = _failed(
        session, credentials.login, account, client, Outcome.WRONG_TWO_FACTOR_CODE, policy=policies.lockout, now=now
    )
    return LoginLocked(locked, now) if locked else WrongTwoFactorCode()


def _store_rehash(session: Session, account: PortalAccount, rehashed: str) -> None:
    # Only over the hash just verified: a password changed meanwhile is not overwritten.
    session.execute(
        update(PortalAccount)
        .where(PortalAccount.customer_id == account.customer_id, PortalAccount.password_hash == account.password_hash)
        .values(password_hash=rehashed)
    )


def record_sign_in(
    session: Session,
    customer_id: int,
    client: Client,
    issued: IssuedSession,
    *,
    now: datetime,
    impersonated_by: str | None = None,
) -> None:
    """The history line and the `portal.account.signed_in` event of a session just started."""
    outcome = Outcome.IMPERSONATION if impersonated_by else Outcome.SUCCESS
    sign_in_history.record(
        session, customer_id, client, outcome, now=now, impersonated_by=impersonated_by, session_id=issued.record.id
    )
    events.publish(
        session,
        events.ACCOUNT_SIGNED_IN,
        {"customer_id": customer_id, "at": rfc3339(now), "ip": client.ip, "impersonated_by": impersonated_by},
        aggregate_type="portal_account",
        aggregate_id=customer_id,
    )
