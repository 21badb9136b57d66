"""The real upstream services for the page tests: billing, ticketing, documents and notifications,
each its own app (`create_app()`) on its own SQLite database, served by werkzeug in a thread,
behind a TCP proxy the test can take down or slow down. The portal under test is pointed
at the proxies. Data is put in the way operators and other systems do: through the
services' admin APIs and the events they handle.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from portal_bff.handlers import handlers
from portal_bff.models import PortalAccount
from portal_bff.passwords import hash_password
from portico.auth import operator_token
from portico.events import Event, new_event
from portico.events.schemas import validate_event
from portico.migrations import upgrade
from portico.settings import DEV_JWT_SECRET, load_settings
from portico.testing import empty_tables

SERVICES = Path(__file__).resolve().parents[3]
UPSTREAMS = ("billing", "ticketing", "documents", "notifications")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass  # the services' own logs say enough


class ServedApp:
    """A WSGI app on a free port of the loopback, served by threads until stopped."""

    def __init__(self, app) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class TcpProxy:
    """A TCP proxy in front of a service: `down()` refuses and cuts connections, `delay` holds each
    answer back for that many seconds (a slow service), `up()` brings it back."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.delay = 0.0
        self.connections = 0
        self.sent = bytearray()  # what callers sent the service (the start of it), to look at headers
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.up()

    def up(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            if self._listener is not None:
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def reset(self) -> None:
        self.delay = 0.0
        self.connections = 0
        self.sent.clear()
        self.down()  # no connection of an earlier test lingers in a pool
        self.up()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, answers: bool) -> None:
        try:
            while data := source.recv(65536):
                if answers and self.delay:
                    time.sleep(self.delay)
                elif not answers and len(self.sent) < 1_000_000:
                    self.sent.extend(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


@dataclass
class Upstream:
    name: str
    database_url: str
    served: ServedApp
    proxy: TcpProxy
    settings: object

    @property
    def db(self):
        return self.served.app.extensions["portico.db"]


@dataclass
class UpstreamSuite:
    services: dict[str, Upstream] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Upstream:
        return self.services[name]

    def urls(self) -> dict[str, str]:
        return {f"{name.upper()}_URL": upstream.proxy.url for name, upstream in self.services.items()}


def _create_app(name: str, settings):
    if name == "billing":
        from billing.app import create_app
    elif name == "ticketing":
        from ticketing.app import create_app
    elif name == "documents":
        from documents.app import create_app
    else:
        from notifications.app import create_app
    return create_app(settings)


@pytest.fixture(scope="session")
def upstream_suite(tmp_path_factory):
    """The four upstream services, running for the whole session (emptied before each test)."""
    folder = tmp_path_factory.mktemp("upstreams")
    suite = UpstreamSuite()
    for name in UPSTREAMS:
        url = f"sqlite:///{folder / (name + '.db')}"
        upgrade(SERVICES / name / "migrations", url)
        prefix = name.upper()
        settings = load_settings(
            name,
            database_url=url,
            **{
                f"{prefix}_OUTBOX_RELAY": "off",
                f"{prefix}_BLOB_DIR": str(folder / "blobs"),
                f"{prefix}_ATTACHMENTS_DIR": str(folder / "attachments"),
            },
        )
        served = ServedApp(_create_app(name, settings))
        suite.services[name] = Upstream(name, url, served, TcpProxy(served.server.server_port), settings)
    yield suite
    for upstream in suite.services.values():
        upstream.proxy.down()
        upstream.served.stop()
        upstream.db.dispose()


@pytest.fixture
def upstreams(upstream_suite):
    """The upstream services, empty, all up and quick."""
    for upstream in upstream_suite.services.values():
        empty_tables(upstream.database_url)
        upstream.proxy.reset()
    return upstream_suite


@pytest.fixture
def upstream_urls(upstreams):
    """The portal under test reads the running upstreams (through their proxies), with generous read
    timeouts: these tests look at what pages show on a machine other tests load too (a down upstream is
    refused at once whatever the timeout; the tests of slow upstreams set their own)."""
    generous = {f"PORTAL_BFF_{name.upper()}_TIMEOUT_MS": "3000" for name in UPSTREAMS}
    return upstreams.urls() | generous


OPERATOR = {"Authorization": f"Bearer {operator_token(DEV_JWT_SECRET, operator='alice')}"}


def _handle(upstream: Upstream, handlers: dict, event: Event) -> None:
    with upstream.db.transaction() as session:
        handlers[event.type](session, event)


def _outbox_of(service: str):
    if service == "billing":
        from billing.models import outbox
    elif service == "ticketing":
        from ticketing.models import outbox
    elif service == "documents":
        from documents.models import outbox
    else:
        from notifications.models import outbox
    return outbox


class Seeder:
    """Puts data into the upstreams the way operators and other systems do.

    What the upstreams publish reaches the portal as its worker would take it from the
    broker: `deliver()` (called after every change made here) runs each new event of their
    outboxes that the portal subscribes to through the portal's own handlers. `held()`
    keeps them back, as a slow broker would.
    """

    def __init__(self, suite: UpstreamSuite, portal_handle, subscribed: set[str]) -> None:
        self.suite = suite
        self.portal_handle = portal_handle
        self.subscribed = subscribed
        self.holding = False
        self._seen = dict.fromkeys(UPSTREAMS, 0)
        self._partner: int | None = None
        self._plans = 0

    def admin(self, service: str, method: str, path: str, **kwargs) -> requests.Response:
        """An operator's call, straight to the service (not through its proxy)."""
        response = requests.request(
            method, self.suite[service].served.url + path, headers=OPERATOR, timeout=30, **kwargs
        )
        assert response.status_code < 400, (service, path, response.status_code, response.text)
        self.deliver()
        return response

    def deliver(self) -> None:
        """Hand the portal the events published since the last delivery (unless held)."""
        if self.holding:
            return
        for service in UPSTREAMS:
            outbox = _outbox_of(service)
            with self.suite[service].db.reading() as session:
                rows = session.execute(
                    select(outbox.c.seq, outbox.c.type, outbox.c.payload)
                    .where(outbox.c.seq > self._seen[service])
                    .order_by(outbox.c.seq)
                ).all()
            for seq, event_type, payload in rows:
                self._seen[service] = seq
                if event_type in self.subscribed:
                    body = json.loads(payload)
                    validate_event(body)
                    self.portal_handle(Event.from_dict(body))

    @contextlib.contextmanager
    def held(self):
        """Events published meanwhile reach the portal only at the end (or at the next `deliver()`)."""
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        self.deliver()

    def partner(self) -> int:
        if self._partner is None:
            self._partner = self.admin("billing", "POST", "/admin/v1/partners", json={"name": "Main ISP"}).json()["id"]
        return self._partner

    def customer(self, login: str = "jane.doe", **fields) -> dict:
        """A customer in billing, replicated to every other service as billing's event tells them."""
        body = {"login": login, "full_name": "Jane Doe", "emails": ["jane@example.com"], "partner_id": self.partner()}
        customer = self.admin("billing", "POST", "/admin/v1/customers", json=body | fields).json()
        event = self.billing_event("billing.customer.created", customer["id"])
        from documents.handlers import handlers as documents_handlers
        from notifications.handlers import HANDLERS as NOTIFICATIONS
        from ticketing.handlers import HANDLERS as TICKETING

        _handle(self.suite["ticketing"], TICKETING, event)
        _handle(self.suite["documents"], documents_handlers(self.suite["documents"].settings), event)
        _handle(self.suite["notifications"], NOTIFICATIONS, event)
        self.deliver()  # the portal's account, from billing.customer.created
        return customer

    def billing_event(self, event_type: str, customer_id: int) -> Event:
        from billing.models import outbox

        with self.suite["billing"].db.reading() as session:
            payloads = session.scalars(select(outbox.c.payload).where(outbox.c.type == event_type)).all()
        events = [Event.from_dict(json.loads(p)) for p in payloads]
        return [e for e in events if e.data.get("id") == customer_id][-1]

    def internet_service(self, customer_id: int, *, cap_gb: int | None = None, **fields) -> dict:
        limit = {"type": "cap", "traffic_gb": cap_gb} if cap_gb else None
        internet = {"download_mbps": 100, "upload_mbps": 20, "limit": limit}
        self._plans += 1
        body = {"kind": "internet", "name": f"Fibre {self._plans}", "price": "25.00", "internet": internet}
        plan = self.admin("billing", "POST", "/admin/v1/plans", json=body).json()
        path = f"/admin/v1/customers/{customer_id}/services"
        return self.admin("billing", "POST", path, json={"plan_id": plan["id"]} | fields).json()

    def hardware(self, customer_id: int, **fields) -> dict:
        body = {"product_name": "Router X1", "ownership": "rented", "serial": "SN-1", "price": "3.00"} | fields
        return self.admin("billing", "POST", f"/admin/v1/customers/{customer_id}/hardware", json=body).json()

    def online(self, service_id: int) -> None:
        """The network reports an open session of the service (as RADIUS would)."""
        from billing.handlers import HANDLERS as BILLING

        data = {
            "service_id": service_id,
            "session_id": f"s-{service_id}",
            "ip": "100.64.0.7",
            "nas": "nas-1",
            "started_at": datetime.now(UTC).isoformat(),
        }
        _handle(self.suite["billing"], BILLING, new_event("network", "network.session.started", data))
        self.deliver()

    def message(self, customer_id: int, title: str, body: str = "Hello.") -> int:
        """An operator's message to the customer's portal inbox."""
        sent = self.admin(
            "notifications",
            "POST",
            f"/admin/v1/customers/{customer_id}/messages",
            json={"channel": "portal", "subject": title, "body": body},
        ).json()
        message = sent["message"]  # notifications.message.created
        return message["id"]

    def news(self, title: str, body: str = "News.", partner_ids=()) -> dict:
        body = {"title": title, "body": body, "partner_ids": list(partner_ids)}
        return self.admin("notifications", "POST", "/admin/v1/news", json=body).json()  # news.published

    def document(self, customer_id: int, title: str, content: bytes, **fields) -> dict:
        files = {"file": (f"{title}.pdf", content, "application/pdf")}
        data = {"title": title} | {k: str(v).lower() if isinstance(v, bool) else v for k, v in fields.items()}
        return self.admin(
            "documents", "POST", f"/admin/v1/customers/{customer_id}/documents", files=files, data=data
        ).json()

    def invoice_pdf(self, customer_id: int, partner_id: int, number: str) -> None:
        """Billing issued an invoice: documents renders its PDF from the event."""
        from documents.handlers import handlers as documents_handlers
        from documents.samples import sample_invoice

        data = sample_invoice(customer_id=customer_id, partner_id=partner_id, number=number, lines=2)
        event = new_event("billing", "billing.invoice.issued", data)
        _handle(self.suite["documents"], documents_handlers(self.suite["documents"].settings), event)

    def invoice(self, customer_id: int, *prices: str, proforma: bool = False, note: str | None = None) -> dict:
        """An invoice (or proforma) an operator issues by hand, one line per price."""
        lines = [{"description": f"Item {n + 1}", "unit_price": price} for n, price in enumerate(prices)]
        body = {"lines": lines, "proforma": proforma, "note": note}
        return self.admin("billing", "POST", f"/admin/v1/customers/{customer_id}/invoices", json=body).json()

    def payment(self, customer_id: int, amount: str, *, note: str | None = None) -> dict:
        body = {"amount": amount, "method": "bank_transfer", "reference": "TR-1", "note": note}
        return self.admin("billing", "POST", f"/admin/v1/customers/{customer_id}/payments", json=body).json()

    def internal_note(self, ticket_id: int, body: str) -> None:
        self.admin(
            "ticketing", "POST", f"/admin/v1/tickets/{ticket_id}/comments", data={"body": body, "public": "false"}
        )

    def operator_reply(self, ticket_id: int, body: str, files=None) -> None:
        path = f"/admin/v1/tickets/{ticket_id}/comments"
        self.admin("ticketing", "POST", path, data={"body": body, "public": "true"}, files=files)


@pytest.fixture
def seed(upstreams, handle, settings):
    return Seeder(upstreams, handle, set(handlers(settings)))


@pytest.fixture
def customer(seed):
    """Jane (login `jane.doe`, active) in every service; her id is billing's."""
    return seed.customer("jane.doe", status="active")


class Portal:
    """A signed-in app (bearer token) as a mobile app or SPA uses the API."""

    def __init__(self, client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers=self.headers | kwargs.pop("headers", {}), **kwargs)

    def post(self, path: str, **kwargs):
        return self.client.post(path, headers=self.headers | kwargs.pop("headers", {}), **kwargs)

    def patch(self, path: str, **kwargs):
        return self.client.patch(path, headers=self.headers | kwargs.pop("headers", {}), **kwargs)

    def put(self, path: str, **kwargs):
        return self.client.put(path, headers=self.headers | kwargs.pop("headers", {}), **kwargs)

    def delete(self, path: str, **kwargs):
        return self.client.delete(path, headers=self.headers | kwargs.pop("headers", {}), **kwargs)


@pytest.fixture
def signed_in_as(db, password, client, sign_in):
    """A seeded customer given the fixtures' password and signed in (bearer) to the portal under test."""

    def make(customer: dict) -> Portal:
        with db.transaction() as session:
            session.get(PortalAccount, customer["id"]).password_hash = hash_password(password)
        response = sign_in(customer["login"], delivery="bearer")
        assert response.status_code == 201, response.get_json()
        return Portal(client, response.get_json()["token"])

    return make


@pytest.fixture
def jane(customer, signed_in_as):
    """Jane signed in to the portal under test."""
    return signed_in_as(customer)


@pytest.fixture
def impersonating(client, operator):
    """The portal as an operator sees a customer through "login as customer" (read-only unless `write`):
    a browser with the impersonation session's cookie, sending its CSRF token."""

    def open_link(customer: dict, *, write: bool = False) -> Portal:
        body = {"write": write, "reason": "checking the portal"}
        link = client.post(f"/admin/v1/customers/{customer['id']}/impersonation", json=body, headers=operator())
        assert link.status_code == 201, link.get_json()
        browser = client.application.test_client()
        opened = browser.post(urlsplit(link.get_json()["url"]).path)
        assert opened.status_code == 201, opened.get_json()
        portal = Portal(browser, "")
        portal.headers = {"X-CSRF-Token": opened.get_json()["csrf_token"]}
        return portal

    return open_link


@pytest.fixture
def configure(client, operator):
    """Store a portal config override for partner `partner_id` (as operators do)."""

    def put(partner_id: int, override: dict) -> None:
        response = client.put(f"/admin/v1/portal-config/partners/{partner_id}", json=override, headers=operator())
        assert response.status_code == 200, response.get_json()

    return put
