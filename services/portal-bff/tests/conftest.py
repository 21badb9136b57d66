import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import select

from portal_bff import passwords
from portal_bff.app import create_app
from portal_bff.handlers import handlers
from portal_bff.models import (
    AccountEmail,
    LoginLockout,
    PasswordToken,
    PortalAccount,
    PortalSession,
    SignInEvent,
    outbox,
)
from portal_bff.passwords import hash_password
from portico.auth import operator_token
from portico.events import new_event
from portico.settings import load_settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
PUBLIC_URL = "https://portal.example.net"
PASSWORD = "correct horse 42"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


class Clock:
    """The app's clock in tests: real time until frozen, then moved only by the test."""

    def __init__(self) -> None:
        self.frozen: datetime | None = None
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self.frozen if self.frozen is not None else datetime.now(UTC) + self.offset

    def freeze(self, at: datetime | None = None) -> datetime:
        self.frozen = at or datetime.now(UTC).replace(microsecond=0)
        return self.frozen

    def advance(self, **delta) -> datetime:
        if self.frozen is not None:
            self.frozen += timedelta(**delta)
        else:
            self.offset += timedelta(**delta)
        return self()


def customer_snapshot(customer_id: int = 7, **changes) -> dict:
    """A customer as billing's `billing.customer.*` events carry it."""
    snapshot = {
        "id": customer_id,
        "revision": 1,
        "login": f"customer{customer_id}",
        "status": "new",
        "billing_type": "recurring",
        "full_name": "Jane Doe",
        "emails": ["jane@example.com"],
        "billing_emails": [],
        "phones": [],
        "partner_id": 1,
        "location": None,
        "street": None,
        "zip_code": None,
        "city": None,
        "geo": None,
        "date_added": "2026-11-23",
        "updated_at": "2026-11-23T10:00:00+00:00",
    }
    return snapshot | changes


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Argon2id with the cheapest parameters: the same code paths, a fraction of the time per hash."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def snapshot():
    return customer_snapshot


@pytest.fixture
def customer_created():
    def make(customer_id: int = 7, **changes):
        return new_event("billing", "billing.customer.created", customer_snapshot(customer_id, **changes))

    return make


@pytest.fixture
def customer_updated():
    def make(customer_id: int = 7, *, changed=("status",), **changes):
        data = customer_snapshot(customer_id, **changes) | {"changed": list(changed)}
        return new_event("billing", "billing.customer.updated", data)

    return make


# Where tests without upstreams point the portal: a port nothing listens on (refused at once).
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture
def upstream_urls() -> dict[str, str]:
    """The upstreams' addresses the app is given (tests/pages overrides this with running services)."""
    return {f"{name}_URL": NOWHERE for name in ("BILLING", "TICKETING", "DOCUMENTS", "NOTIFICATIONS")}


@pytest.fixture
def settings(migrated_databases, database_backend, upstream_urls):
    url = migrated_databases.get("portal-bff", database_backend, MIGRATIONS)
    return load_settings(
        "portal-bff", database_url=url, public_url=PUBLIC_URL, PORTAL_BFF_OUTBOX_RELAY="off", **upstream_urls
    )


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_app(settings, clock, upstream_urls):
    """An app on the test's database and clock, with extra settings (`PORTAL_BFF_<NAME>`)."""
    made = []

    def make(**extra):
        configured = load_settings(
            "portal-bff",
            database_url=settings.database_url,
            public_url=PUBLIC_URL,
            PORTAL_BFF_OUTBOX_RELAY="off",
            **(upstream_urls | extra),
        )
        made.append(create_app(configured, clock=clock))
        return made[-1]

    yield make
    for app in made:
        app.extensions["portico.db"].dispose()
        app.extensions["portal_bff.fanout"].shutdown()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def db(app):
    return app.extensions["portico.db"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def handle(db, settings):
    """Run one event through the service's own handler, in a transaction as the consumer does."""
    registered = handlers(settings)

    def run(event) -> None:
        with db.transaction() as session:
            registered[event.type](session, event)

    return run


@pytest.fixture
def outbox_events(db):
    def read() -> list[dict]:
        with db.reading() as session:
            rows = session.execute(select(outbox.c.payload).order_by(outbox.c.seq)).scalars().all()
        return [json.loads(row) for row in rows]

    return read


@pytest.fixture
def stored(db):
    """What the database holds: every account and every password token."""

    class Stored:
        def accounts(self) -> list[PortalAccount]:
            with db.reading() as session:
                return session.scalars(select(PortalAccount).order_by(PortalAccount.customer_id)).all()

        def account(self, customer_id: int) -> PortalAccount:
            with db.reading() as session:
                return session.get(PortalAccount, customer_id)

        def tokens(self) -> list[PasswordToken]:
            with db.reading() as session:
                return session.scalars(select(PasswordToken).order_by(PasswordToken.id)).all()

        def emails(self, customer_id: int) -> list[str]:
            with db.reading() as session:
                query = select(AccountEmail.email).where(AccountEmail.customer_id == customer_id)
                return session.scalars(query.order_by(AccountEmail.email)).all()

        def lockouts(self) -> list[LoginLockout]:
            with db.reading() as session:
                return session.scalars(select(LoginLockout).order_by(LoginLockout.login)).all()

        def sessions(self, customer_id: int | None = None) -> list[PortalSession]:
            with db.reading() as session:
                query = select(PortalSession).order_by(PortalSession.created_at, PortalSession.id)
                if customer_id is not None:
                    query = query.where(PortalSession.customer_id == customer_id)
                return session.scalars(query).all()

        def session(self, session_id: str) -> PortalSession:
            with db.reading() as session:
                return session.get(PortalSession, session_id)

        def history(self, customer_id: int | None = None) -> list[SignInEvent]:
            with db.reading() as session:
                query = select(SignInEvent).order_by(SignInEvent.id)
                if customer_id is not None:
                    query = query.where(SignInEvent.customer_id == customer_id)
                return session.scalars(query).all()

        def rows(self, model) -> list:
            with db.reading() as session:
                return session.scalars(select(model)).all()

    return Stored()


def token_in(url: str) -> str:
    [token] = parse_qs(urlsplit(url).query)["token"]
    return token


@pytest.fixture
def provision(handle, customer_created, outbox_events):
    """Provision a customer through the handler; return the token from its set-password link."""

    def run(customer_id: int = 7, **changes) -> str:
        handle(customer_created(customer_id, **changes))
        [event] = [
            e
            for e in outbox_events()
            if e["type"] == "portal.account.provisioned" and e["data"]["customer_id"] == customer_id
        ]
        return token_in(event["data"]["set_password_url"])

    return run


@pytest.fixture
def provisioned(provision):
    """Customer 7 (login `jane.doe`), provisioned: the token of its set-password link."""
    return provision(7, login="jane.doe")


@pytest.fixture
def account(db, handle, customer_created):
    """An account with a password, as after the set-password link: `account(7, login=..., ...)`."""

    def make(
        customer_id: int = 7,
        *,
        login: str | None = None,
        password: str = PASSWORD,
        must_change_password: bool = False,
        **changes,
    ) -> PortalAccount:
        login = login or f"customer{customer_id}"
        handle(customer_created(customer_id, login=login, **changes))
        with db.transaction() as session:
            row = session.get(PortalAccount, customer_id)
            row.password_hash = hash_password(password)
            row.must_change_password = must_change_password
        return row

    return make


@pytest.fixture
def sign_in(client):
    """POST /api/v1/session with the default password; extra keyword arguments go to the body."""

    def post(login: str = "jane.doe", password: str = PASSWORD, *, using=None, ip=None, user_agent=FIREFOX, **body):
        environ = {"REMOTE_ADDR": ip} if ip else {}
        return (using or client).post(
            "/api/v1/session",
            json={"login": login, "password": password, **body},
            environ_base=environ,
            headers={"User-Agent": user_agent},
        )

    return post


@pytest.fixture
def jane(account):
    """Customer 7, login `jane.doe`, partner 1, active, with PASSWORD."""
    return account(7, login="jane.doe", status="active")


@pytest.fixture
def signed_in_client(app, jane, sign_in):
    """A browser signed in as jane: (client, csrf token, session id)."""

    def make(user_agent=FIREFOX):
        browser = app.test_client()
        response = sign_in(using=browser, user_agent=user_agent)
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return browser, body["csrf_token"], body["id"]

    return make


@pytest.fixture
def operator(settings):
    """Authorization headers of an operator (`portal:admin` unless scopes are given)."""

    def headers(name: str = "alice", scopes=("portal:admin",)) -> dict:
        return {"Authorization": f"Bearer {operator_token(settings.jwt_secret, operator=name, scopes=scopes)}"}

    return headers


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


@pytest.fixture
def problem():
    """`problem(response, status)`: assert a problem+json answer of that status; return its body."""
    return assert_problem
