"""Demo data for `make run`: partners, customers, plans, services, hardware and two months of
billing, written once (`python -m billing.demo`).

Written through the same rules as the API, so their events wait in the outbox and reach
every other service as soon as the suite runs. The demo customer's services started in the
month before last: the run for the 1st of last month invoiced that part and last month, a
bank transfer paid it, and the run for the 1st of this month left this month's invoice open.
Alice paid 50.00 ahead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from billing import SERVICE, activity, customer_services, customers, hardware, payments, plans
from billing.billing_run import run_billing
from billing.finance_models import Invoice
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
    this_month = now.date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    started = last_month - timedelta(days=20)
    with db.transaction() as session:
        if session.scalar(select(Partner.id).limit(1)) is not None:
            return False
        partners = [
            Partner(
                name=name, vat_rate=Decimal("20.00"), tax_id=f"GB{n}23456789", payment_terms_days=30, created_at=now
            )
            for n, name in enumerate(PARTNERS, start=1)
        ]
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
            sold = {
                "plan_id": plan.id,
                "login": "demo-fibre" if plan.kind == "internet" else None,
                "start_date": started,
            }
            customer_services.create_service(session, made[0].id, sold, now=now, actor=activity.SYSTEM)
        hardware.add_hardware(session, made[0].id, ROUTER | {"assigned_date": started}, now=now, actor=activity.SYSTEM)
        demo_id, alice_id = made[0].id, made[1].id
        payments.record_payment(
            session, alice_id, Decimal("50.00"), method="bank_transfer", on=started, now=now, actor=activity.SYSTEM
        )
    run_billing(db, on=last_month, now=now)
    _pay_invoices_of(db, demo_id, on=last_month + timedelta(days=5), now=now)
    run_billing(db, on=this_month, now=now)
    return True


def _pay_invoices_of(db: Database, customer_id: int, *, on: date, now: datetime) -> None:
    with db.transaction() as session:
        due = sum(
            (i.amount_due for i in session.scalars(select(Invoice).where(Invoice.customer_id == customer_id))),
            Decimal(0),
        )
        payments.record_payment(
            session,
            customer_id,
            due,
            method="bank_transfer",
            reference="Transfer",
            on=on,
            now=now,
            actor=activity.SYSTEM,
        )


def main() -> None:
    settings = load_settings(SERVICE)
    written = load_demo_data(Database(settings.database_url), datetime.now(UTC))
    print("demo data loaded" if written else "demo data already present")


if __name__ == "__main__":
    main()
