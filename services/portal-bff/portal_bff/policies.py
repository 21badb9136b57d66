"""The security knobs of the portal, read once from the settings (`PORTAL_BFF_<NAME>`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal_bff.lockout import LockoutPolicy
from portal_bff.rate_limit import RateLimit
from portal_bff.sessions import SessionPolicy
from portico.settings import Settings


@dataclass(frozen=True)
class Policies:
    lockout: LockoutPolicy
    sign_in_per_ip: RateLimit
    password_reset_per_ip: RateLimit
    password_reset_per_account: RateLimit
    password_change_per_account: RateLimit
    session: SessionPolicy
    impersonation_session: SessionPolicy
    password_reset_ttl: timedelta
    impersonation_link_ttl: timedelta
    # "auto": the cookie is Secure when the request came over HTTPS; "on": always.
    cookie_secure: str


def policies_from(settings: Settings) -> Policies:
    session = SessionPolicy(
        idle=timedelta(minutes=settings.get_int("session_idle_minutes", 30)),
        absolute=timedelta(hours=settings.get_int("session_absolute_hours", 12)),
    )
    return Policies(
        lockout=LockoutPolicy(
            max_failures=settings.get_int("signin_max_failures", 5),
            duration=timedelta(minutes=settings.get_int("signin_lockout_minutes", 15)),
        ),
        sign_in_per_ip=RateLimit(
            "sign-in:ip",
            limit=settings.get_int("signin_ip_limit", 20),
            window=timedelta(seconds=settings.get_int("signin_ip_window_seconds", 300)),
        ),
        password_reset_per_ip=RateLimit("password-reset:ip", limit=10, window=timedelta(hours=1)),
        password_reset_per_account=RateLimit("password-reset:customer", limit=3, window=timedelta(hours=1)),
        password_change_per_account=RateLimit("password-change:customer", limit=5, window=timedelta(minutes=15)),
        session=session,
        # An operator's look at a customer's portal ends sooner than a customer's own visit.
        impersonation_session=SessionPolicy(
            idle=session.idle,
            absolute=min(session.absolute, timedelta(minutes=settings.get_int("impersonation_session_minutes", 60))),
        ),
        password_reset_ttl=timedelta(minutes=settings.get_int("password_reset_ttl_minutes", 60)),
        impersonation_link_ttl=timedelta(seconds=settings.get_int("impersonation_link_seconds", 120)),
        cookie_secure="on" if settings.get("cookie_secure", "auto") in ("on", "true", "1", "yes") else "auto",
    )
