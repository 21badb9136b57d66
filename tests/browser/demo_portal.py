"""A customer with something on every page of the portal, put in the running suite the way
operators and other systems do: the services' admin APIs, and events on the broker.

Used by the browser journeys (tests/browser/) and by `make screenshots` (tests/screenshots.py).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from portico.auth import operator_token
from portico.events.publisher import ConfirmingPublisher, OutgoingEvent
from portico.settings import DEV_JWT_SECRET
from portico.testing import wait_for

PASSWORD = "Sunny-meadow-42"
OPERATOR = {"Authorization": f"Bearer {operator_token(DEV_JWT_SECRET)}"}
PORTAL_CONFIG = {
    "main": {
        "title": "Example Fibre",
        "about": "Example Fibre brings fast internet and phone to homes and businesses.",
        "contact": "Example Fibre Ltd, 1 High Street, Leeds LS1 1AA",
        "support_email": "help@example.net",
        "support_phone": "+44 113 496 0000",
    },
    "dashboard": {
        "cap_fup": True,
        "live_bandwidth": True,
        "shortcut_buttons": [{"label": "Speedtest", "url": "/services/speedtest"}],
    },
    "services": {"allow_order_new_products": True, "allow_plan_change": True},
    "finance": {"payment_methods": ["demo"]},
    "documents": {"allow_customer_upload": True},
    "tickets": {"columns": ["id", "subject", "priority", "status", "created", "updated"], "allow_attachments": True},
}
# A small PDF: what a contract a customer is asked to accept looks like to the portal.
CONTRACT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def call(method: str, url: str, *, expect: int | tuple = (200, 201, 204), **kwargs) -> requests.Response:
    response = requests.request(method, url, headers=OPERATOR | kwargs.pop("headers", {}), timeout=30, **kwargs)
    expected = (expect,) if isinstance(expect, int) else expect
    assert response.status_code in expected, (method, url, response.status_code, response.text[:1000])
    return response


def _text(email) -> str:
    return next(p for p in email.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()


def link_in(email, path: str) -> str:
    return re.search(rf"https?://\S+/{path}\?token=[\w-]+", _text(email)).group(0)


class DemoPortal:
    """The running suite (tests/suite_harness.Suite) and what is put into it."""

    def __init__(self, suite, inbox) -> None:
        self.suite = suite
        self.inbox = inbox

    def url(self, service: str, path: str) -> str:
        return self.suite.url(service) + path

    # -- operators ---------------------------------------------------------------------
    def partner(self, name: str = "Example Fibre") -> int:
        partner = call("POST", self.url("billing", "/admin/v1/partners"), json={"name": name, "currency": "GBP"}).json()
        call("PUT", self.url("portal-bff", f"/admin/v1/portal-config/partners/{partner['id']}"), json=PORTAL_CONFIG)
        return partner["id"]

    def customer(self, partner_id: int, login: str, full_name: str, **fields) -> dict[str, Any]:
        body = {"login": login, "full_name": full_name, "emails": [f"{login}@example.com"], "partner_id": partner_id}
        customer = call(
            "POST", self.url("billing", "/admin/v1/customers"), json=body | {"status": "active"} | fields
        ).json()
        wait_for(
            lambda: self.suite.query(
                "portal-bff", "SELECT 1 FROM portal_accounts WHERE customer_id = ?", customer["id"]
            ),
            timeout=20,
            message="the portal account",
        )
        return customer

    def welcome_link(self, login: str) -> str:
        def found() -> list[str]:
            emails = self.inbox.to(f"{login}@example.com")
            return [link_in(e, "set-password") for e in emails if "/set-password?token=" in _text(e)]

        return wait_for(found, timeout=20, message="the welcome email")[0]

    def set_password(self, login: str, password: str = PASSWORD) -> None:
        token = self.welcome_link(login).rsplit("=", 1)[1]
        response = requests.post(
            self.url("portal-bff", "/api/v1/set-password"), json={"token": token, "password": password}, timeout=10
        )
        assert response.status_code == 204, response.text

    def plan(self, body: dict[str, Any]) -> dict[str, Any]:
        return call("POST", self.url("billing", "/admin/v1/plans"), json=body).json()

    def service(self, customer_id: int, plan_id: int, **fields) -> dict[str, Any]:
        path = f"/admin/v1/customers/{customer_id}/services"
        return call("POST", self.url("billing", path), json={"plan_id": plan_id} | fields).json()

    def invoice(self, customer_id: int, *lines: tuple[str, str], proforma: bool = False) -> dict[str, Any]:
        body = {"lines": [{"description": d, "unit_price": p} for d, p in lines], "proforma": proforma}
        return call("POST", self.url("billing", f"/admin/v1/customers/{customer_id}/invoices"), json=body).json()

    def payment(self, customer_id: int, amount: str) -> dict[str, Any]:
        body = {"amount": amount, "method": "bank_transfer", "reference": "TR-2026-11"}
        return call("POST", self.url("billing", f"/admin/v1/customers/{customer_id}/payments"), json=body).json()

    def message(self, customer_id: int, subject: str, body: str) -> None:
        path = f"/admin/v1/customers/{customer_id}/messages"
        call("POST", self.url("notifications", path), json={"channel": "portal", "subject": subject, "body": body})

    def news(self, title: str, body: str) -> None:
        call(
            "POST", self.url("notifications", "/admin/v1/news"), json={"title": title, "body": body, "partner_ids": []}
        )

    def document(self, customer_id: int, title: str, *, contract: bool = False) -> dict[str, Any]:
        data = {"title": title, "kind": "contract" if contract else "document"}
        if contract:
            data["requires_acceptance"] = "true"
        files = {"file": (f"{title}.pdf", CONTRACT_PDF, "application/pdf")}
        path = f"/admin/v1/customers/{customer_id}/documents"
        return call("POST", self.url("documents", path), data=data, files=files).json()

    def operator_reply(self, ticket_id: int, body: str) -> None:
        path = f"/admin/v1/tickets/{ticket_id}/comments"
        call("POST", self.url("ticketing", path), data={"body": body, "public": "true"})

    def operator_ticket(self, customer_id: int, subject: str, message: str) -> dict[str, Any]:
        form = {"customer_id": customer_id, "subject": subject, "message": message, "priority": "low"}
        return call("POST", self.url("ticketing", "/admin/v1/tickets"), data=form).json()

    # -- other systems -----------------------------------------------------------------
    def publish(self, events: list[tuple[str, dict[str, Any]]], producer: str = "network") -> None:
        """Events of the network (RADIUS, traffic counters) and the phone switch, on the broker."""
        publisher = ConfirmingPublisher(self.suite.broker_url)
        try:
            outgoing = []
            for seq, (event_type, data) in enumerate(events, start=1):
                event_id = str(uuid.uuid4())
                envelope = {
                    "id": event_id,
                    "type": event_type,
                    "version": 1,
                    "occurred_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                    "producer": producer,
                    "correlation_id": event_id,
                    "causation_id": None,
                    "data": data,
                }
                outgoing.append(OutgoingEvent(seq, event_id, event_type, json.dumps(envelope), event_id))
            publisher.publish(outgoing)
        finally:
            publisher.close()

    def traffic(self, service_id: int, *, days: int = 30, now: datetime | None = None) -> None:
        """A month of daily traffic and the last hour minute by minute, and a session online now."""
        now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
        events = []
        for n in range(days):
            start = datetime.combine(now.date() - timedelta(days=n), datetime.min.time(), tzinfo=UTC) + timedelta(
                hours=1
            )
            volume = 2_000_000_000 + (n * 733_000_000) % 5_000_000_000
            events.append(
                ("network.usage.recorded", _sample(service_id, start, start + timedelta(hours=1), volume, volume // 9))
            )
        for minute in range(1, 61):
            start = now - timedelta(minutes=minute)
            volume = 250_000_000 + (minute * 37_000_000) % 400_000_000
            events.append(
                (
                    "network.usage.recorded",
                    _sample(service_id, start, start + timedelta(minutes=1), volume, volume // 6),
                )
            )
        events.append(
            (
                "network.session.started",
                {
                    "service_id": service_id,
                    "session_id": f"radius-{service_id}",
                    "ip": "100.64.12.7",
                    "nas": "nas-leeds-1",
                    "started_at": (now - timedelta(hours=3)).isoformat(),
                },
            )
        )
        self.publish(events)

    def calls(self, service_id: int, *, days: int = 14, now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        events = []
        for n in range(days):
            for k in range(1 + n % 4):
                started = (now - timedelta(days=n, hours=k + 1)).replace(microsecond=0)
                data = {
                    "service_id": service_id,
                    "call_id": f"call-{service_id}-{n}-{k}",
                    "started_at": started.isoformat(),
                    "duration_seconds": 60 + 97 * (n + k) % 900,
                    "destination": "+441134960000",
                    "cost": "0.0150",
                }
                events.append(("voice.call.recorded", data))
        self.publish(events, producer="voice")

    # -- the whole demo ----------------------------------------------------------------
    def rich_customer(self, partner_id: int, login: str = "jane", full_name: str = "Jane Doe") -> dict[str, Any]:
        """A new customer with services, hardware, invoices (one paid), usage, tickets, messages and documents."""
        customer = self.customer(
            partner_id,
            login,
            full_name,
            street="1 Park Row",
            zip_code="LS1 5HN",
            city="Leeds",
            phones=["+44 113 496 0123"],
        )
        fibre_plan = self.plan(
            {
                "kind": "internet",
                "name": "Fibre 300",
                "price": "32.00",
                "self_service": True,
                "internet": {"download_mbps": 300, "upload_mbps": 50, "limit": {"type": "cap", "traffic_gb": 500}},
            }
        )
        voice_plan = self.plan(
            {
                "kind": "voice",
                "name": "Voice 200",
                "price": "6.00",
                "self_service": True,
                "voice": {"included_minutes": 200, "per_minute_rate": "0.0150"},
            }
        )
        fibre = self.service(customer["id"], fibre_plan["id"], description="Home fibre", login=f"{login}-fibre")
        voice = self.service(customer["id"], voice_plan["id"], description="Home phone")
        call(
            "POST",
            self.url("billing", f"/admin/v1/customers/{customer['id']}/hardware"),
            json={"product_name": "Router AX3000", "serial": "RX-2026-0042", "ownership": "rented", "price": "4.00"},
        )
        self.enrich(customer["id"], fibre_id=fibre["id"], voice_id=voice["id"])
        return customer | {"fibre": fibre, "voice": voice}

    def enrich(self, customer_id: int, *, fibre_id: int, voice_id: int | None) -> None:
        """Invoices (one paid), a proforma, usage and calls, a ticket with a reply, messages, news and documents."""
        self.plan(
            {
                "kind": "internet",
                "name": "Fibre 900",
                "price": "45.00",
                "self_service": True,
                "internet": {"download_mbps": 900, "upload_mbps": 100, "limit": None},
            }
        )
        paid = self.invoice(customer_id, ("Fibre, October", "32.00"), ("Router AX3000, October", "4.00"))
        self.payment(customer_id, paid["total"])
        self.invoice(
            customer_id, ("Fibre, November", "32.00"), ("Voice, November", "6.00"), ("Router AX3000, November", "4.00")
        )
        self.invoice(customer_id, ("Installation", "49.00"), proforma=True)
        self.traffic(fibre_id)
        if voice_id is not None:
            self.calls(voice_id)
        ticket = self.operator_ticket(
            customer_id, "Your new router is on its way", "We have sent the router by courier."
        )
        self.operator_reply(ticket["id"], "It should arrive on Thursday.")
        self.message(
            customer_id,
            "Planned maintenance on Monday",
            "Between 01:00 and 03:00 the service may stop for a few minutes.",
        )
        self.message(customer_id, "Your November invoice", "Your invoice for November is ready in the portal.")
        self.news("Faster upload speeds", "Every Fibre plan now uploads twice as fast, at no extra cost.")
        self.news("New opening hours", "Our support line now answers from 8:00 to 20:00, Monday to Saturday.")
        self.document(customer_id, "Welcome guide")
        self.document(customer_id, "Service agreement 2026", contract=True)


def _sample(service_id: int, start: datetime, end: datetime, bytes_in: int, bytes_out: int) -> dict[str, Any]:
    return {
        "service_id": service_id,
        "sample_id": f"s-{service_id}-{start.isoformat()}-{end.isoformat()}",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "bytes_in": bytes_in,
        "bytes_out": bytes_out,
    }
