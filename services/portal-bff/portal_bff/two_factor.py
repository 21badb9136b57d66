"""TOTP two-factor sign-in (RFC 6238 via pyotp) with single-use recovery codes.

Enrolment is two steps: a pending secret is shown (otpauth URI and QR code), and only a
first correct code from the app confirms it; from then on sign-in needs a code. Each
accepted code's time step is remembered, so a code seen over someone's shoulder cannot be
used again. Recovery codes are stored as SHA-256 only (80 random bits each).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from portal_bff import passwords
from portal_bff.errors import Conflict, WrongCode, WrongPassword
from portal_bff.models import PortalAccount, RecoveryCode, TwoFactorCredential

RECOVERY_CODES = 10
# One step either side: the phone's clock may be up to 30 s off.
VALID_WINDOW = 1


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    pending: bool
    confirmed_at: datetime | None
    recovery_codes_left: int


def _credential(session: Session, customer_id: int) -> TwoFactorCredential | None:
    return session.get(TwoFactorCredential, customer_id)


def is_enabled(session: Session, customer_id: int) -> bool:
    return (
        session.scalar(
            select(TwoFactorCredential.customer_id).where(
                TwoFactorCredential.customer_id == customer_id, TwoFactorCredential.confirmed_at.is_not(None)
            )
        )
        is not None
    )


def status(session: Session, customer_id: int) -> TwoFactorStatus:
    credential = _credential(session, customer_id)
    left = session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.customer_id == customer_id, RecoveryCode.used_at.is_(None))
    )
    confirmed_at = credential.confirmed_at if credential else None
    return TwoFactorStatus(
        enabled=confirmed_at is not None,
        pending=credential is not None and confirmed_at is None,
        confirmed_at=confirmed_at,
        recovery_codes_left=left if confirmed_at else 0,
    )


def start_enrolment(session: Session, account: PortalAccount, *, issuer: str, now: datetime) -> Enrolment:
    """A new pending secret for the account (replacing an unconfirmed one); Conflict if already enabled."""
    credential = _credential(session, account.customer_id)
    if credential is not None and credential.confirmed_at is not None:
        raise Conflict("Two-factor sign-in is already on. Turn it off first to enrol a new device.")
    secret = pyotp.random_base32()
    if credential is None:
        session.add(TwoFactorCredential(customer_id=account.customer_id, secret=secret, created_at=now))
    else:
        credential.secret, credential.created_at, credential.last_used_step = secret, now, None
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.login, issuer_name=issuer)
    return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=segno.make(uri, error="m").svg_inline(scale=4))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code is `code` (within the allowed drift), or None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_totp(session: Session, credential: TwoFactorCredential, code: str, now: datetime) -> bool:
    step = _matching_step(credential.secret, code, now)
    if step is None:
        return False
    # The conditional update is the claim: of two requests with one code, one wins.
    newer = (TwoFactorCredential.last_used_step.is_(None)) | (TwoFactorCredential.last_used_step < step)
    claimed = session.execute(
        update(TwoFactorCredential)
        .where(TwoFactorCredential.customer_id == credential.customer_id, newer)
        .values(last_used_step=step)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    return claimed == 1


def new_recovery_codes(session: Session, customer_id: int, *, now: datetime) -> list[str]:
    """Replace the customer's recovery codes with RECOVERY_CODES new ones; the plain codes are shown once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.customer_id == customer_id))
    codes = [_format_code(secrets.token_bytes(10)) for _ in range(RECOVERY_CODES)]
    session.add_all(
        RecoveryCode(customer_id=customer_id, code_hash=recovery_code_hash(code), created_at=now) for code in codes
    )
    return codes


def _format_code(raw: bytes) -> str:
    text = base64.b32encode(raw).decode().lower()  # 16 characters
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def recovery_code_hash(code: str) -> str:
    normalized = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalized.encode()).hexdigest()


def _use_recovery_code(session: Session, customer_id: int, code: str, now: datetime) -> bool:
    claimed = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.customer_id == customer_id,
            RecoveryCode.code_hash == recovery_code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    ).rowcount
    return claimed == 1


def confirm_enrolment(session: Session, customer_id: int, code: str, *, now: datetime) -> list[str]:
    """Turn two-factor sign-in on with a first code from the app; return the new recovery codes."""
    credential = _credential(session, customer_id)
    if credential is None or credential.confirmed_at is not None:
        raise Conflict("There is no pending two-factor enrolment to confirm. Start one first.")
    if not _use_totp(session, credential, code, now):
        raise WrongCode()
    credential.confirmed_at = now
    return new_recovery_codes(session, customer_id, now=now)


def verify_second_factor(
    session: Session, customer_id: int, *, code: str | None, recovery_code: str | None, now: datetime
) -> bool:
    """True if the TOTP code or the recovery code (used up by this call) is good for the customer."""
    credential = _credential(session, customer_id)
    if credential is None or credential.confirmed_at is None:
        return False
    if code and _use_totp(session, credential, code, now):
        return True
    return bool(recovery_code) and _use_recovery_code(session, customer_id, recovery_code, now)


def disable(
    session: Session, account: PortalAccount, *, password: str, code: str, required: bool, now: datetime
) -> None:
    """Turn two-factor sign-in off, proven by the password and a current code (or a recovery code).

    Conflict when it is not on, or when the customer's provider requires it (`required`).
    """
    if not is_enabled(session, account.customer_id):
        raise Conflict("Two-factor sign-in is not on.")
    if required:
        raise Conflict("Your provider requires two-factor sign-in; it cannot be turned off.")
    if not (account.password_hash and passwords.verify_password(account.password_hash, password)):
        raise WrongPassword("password")
    recovery = None if code.strip().isdigit() else code
    if not verify_second_factor(session, account.customer_id, code=code, recovery_code=recovery, now=now):
        raise WrongCode()
    session.execute(delete(RecoveryCode).where(RecoveryCode.customer_id == account.customer_id))
    session.execute(delete(TwoFactorCredential).where(TwoFactorCredential.customer_id == account.customer_id))
