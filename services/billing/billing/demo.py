"""Demo data for `make run`: partners, customers, plans, services and hardware, written once (`python -m billing.demo`).

Written through the same rules as the API, so their events wait in the outbox and reach
every other service as soon as the suite runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from billing import SERVICE, activity, customer_services, customers, hardware, plans
from billing.models import Partner
from portico.db import Database
from portico.settings import load_settings

PARTNERS = ("Main ISP", "Fibre North")
CUSTOMERS = (
    {"login": "demo", "full_name": "Demo Customer", "emails": ["demo@example.com"], "status": "active"},
    {
        "login": "alice",
        "full_name": "Alice Martin",
        "emails": ["alice@example.com"],
        "status": "active",
        "city": "Leeds",
    },
    {"login": "bob", "full_name": "Bob Okafor", "emails": ["bob@example.com"], "phones": ["+44 113 496 0000"]},
)
FUP = {"type": "fup", "traffic_gb": 500, "reduced_download_mbps": 10, "reduced_upload_mbps": 2}
PLANS = (
    {
        "kind": "internet",
        "name": "Fibre 100",
        "price": Decimal("25.00"),
        "self_service": True,
        "internet": {"download_mbps": 100, "upload_mbps": 20, "limit": FUP},
    },
    {
        "kind": "voice",
        "name": "Voice 100",
        "price": Decimal("5.00"),
        "self_service": True,
        "voice": {"included_minutes": 100, "per_minute_rate": Decimal("0.0150")},
    },
)
ROUTER = {"product_name": "Router AX3000", "serial": "DEMO-0001", "ownership": "rented", "price": Decimal("4.00")}


def load_demo_data(db: Database, now: datetime) -> bool:
    """Create the demo partners and customers unless they exist; True if anything was written."""
    with db.transaction() as session:
        if session.scalar(select(Partner.id).limit(1)) is not None:
            return False
        partners = [Partner(name=name, created_at=now) for name in PARTNERS]
        session.add_all(partners)
        session.flush()
        made = [
            customers.create_customer(
                session, {**values, "partner_id": partners[n % len(partners)].id}, now=now, actor=activity.SYSTEM
            )
            for n, values in enumerate(CUSTOMERS)
        ]
        offered = [plans.create_plan(session, values, now=now) for values in PLANS]
        for plan in offered:  # the demo customer has one of each, and a rented router
            sold = {"plan_id": plan.id, "login": "demo-fibre" if plan.kind == "internet" else None}
            customer_services.create_service(session, made[0].id, sold, now=now, actor=activity.SYSTEM)
        hardware.add_hardware(session, made[0].id, dict(ROUTER), now=now, actor=activity.SYSTEM)
    return True


def main() -> None:
    settings = load_settings(SERVICE)
    written = load_demo_data(Database(settings.database_url), datetime.now(UTC))
    print("demo data loaded" if written else "demo data already present")


if __name__ == "__main__":
    main()
