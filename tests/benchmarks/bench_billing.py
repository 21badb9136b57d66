"""The daily billing run over 10,000 customers, and the customer summary under load.

`make bench-billing` builds a SQLite database of N customers (default 10,000: nine in ten
recurring, one in ten prepaid; one or two services each, billed on the 1st), then times
`run_billing` as the CLI runs it:
- the first run (2026-10-01): an invoice per recurring customer, a day's charge per prepaid one;
- half the recurring customers then pay, the rest do not;
- the headline run (2026-10-16): October invoices of the other half go overdue, their
  blocking dates are set and (no grace days) they are blocked; prepaid days are charged;
- the same date again, which must change nothing.
Then it starts billing under gunicorn with the repository's settings and drives
`GET /v1/customers/<id>/summary` for random customers with wrk (or Python threads) at 32
clients and at one, printing p50/p99 and requests per second against the target p99 of 25 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import requests
from http_load import ROOT, add_load_arguments, free_port, load_tool, measured, report, start_gunicorn, stop
from sqlalchemy import func, insert, select

from billing import payments
from billing.billing_run import run_billing
from billing.finance_models import Invoice
from billing.models import Customer, CustomerService, Partner, Plan
from portico.auth import operator_token
from portico.db import Database
from portico.migrations import upgrade
from portico.settings import DEV_JWT_SECRET

MIGRATIONS = ROOT / "services/billing/migrations"
TARGET_RUN_SECONDS = 60.0
TARGET_P99_MS = 25.0
NOW = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


def build_database(url: str, customers: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    upgrade(MIGRATIONS, url)
    db = Database(url)
    with db.transaction() as session:
        session.execute(
            insert(Partner),
            [
                {"name": "North", "vat_rate": Decimal("20.00"), "currency": "EUR", "created_at": NOW},
                {"name": "South", "vat_rate": Decimal("7.70"), "currency": "EUR", "created_at": NOW},
            ],
        )
        plan_rows = [
            {
                "kind": "internet",
                "name": "Fibre 100",
                "price": Decimal("25.00"),
                "download_mbps": 100,
                "upload_mbps": 20,
            },
            {
                "kind": "internet",
                "name": "Fibre 500",
                "price": Decimal("45.00"),
                "download_mbps": 500,
                "upload_mbps": 100,
            },
            {"kind": "custom", "name": "Static IP", "price": Decimal("3.50")},
        ]
        session.execute(insert(Plan), [row | {"created_at": NOW, "updated_at": NOW} for row in plan_rows])
        customer_rows = [
            {
                "login": f"customer{n}",
                "status": "active",
                "billing_type": "prepaid" if n % 10 == 0 else "recurring",
                "full_name": f"Customer {n}",
                "emails": [f"customer{n}@example.com"],
                "billing_emails": [],
                "phones": [],
                "partner_id": 1 + n % 2,
                "street": f"{n} High Street",
                "zip_code": "AB1 2CD",
                "city": "Springfield",
                "minimum_balance": Decimal(0),
                "grace_days": 0,
                "billing_day": 1,
                "additional": {},
                "search_text": f"customer{n}",
                "date_added": date(2026, 9, 1),
                "revision": 1,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in range(1, customers + 1)
        ]
        session.execute(insert(Customer), customer_rows)
        service_rows = []
        for n in range(1, customers + 1):
            for plan_id in [rng.choice((1, 2))] + ([3] if rng.random() < 0.3 else []):
                price = plan_rows[plan_id - 1]["price"]
                service_rows.append(
                    {
                        "customer_id": n,
                        "plan_id": plan_id,
                        "description": plan_rows[plan_id - 1]["name"],
                        "price": price,
                        "quantity": 1,
                        "discount_percent": Decimal("10.00") if rng.random() < 0.1 else Decimal(0),
                        "start_date": date(2026, 9, rng.randint(1, 28)),
                        "status": "active",
                        "revision": 1,
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                )
        session.execute(insert(CustomerService), service_rows)
    db.dispose()


def pay_half(db: Database) -> int:
    """Half the recurring customers pay their October invoice in full on the 10th."""
    with db.reading() as session:
        owed = session.execute(select(Invoice.customer_id, Invoice.total).where(Invoice.customer_id % 2 == 0)).all()
    for start in range(0, len(owed), 500):
        with db.transaction() as session:
            for customer_id, total in owed[start : start + 500]:
                payments.record_payment(
                    session, customer_id, total, method="bank_transfer", on=date(2026, 10, 10), now=NOW, actor="bench"
                )
    return len(owed)


def timed_run(db: Database, day: date) -> tuple[float, object]:
    started = time.perf_counter()
    record = run_billing(db, on=day, now=NOW)
    return time.perf_counter() - started, record


def describe(record) -> str:
    return (
        f"{record.customers:,} customers, {record.invoices_issued:,} invoices, {record.prepaid_charges:,} prepaid "
        f"charges, {record.invoices_overdue:,} overdue, {record.blocked:,} blocked, {record.failed} failed"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10_000)
    add_load_arguments(parser)
    args = parser.parse_args()
    load = load_tool(args.tool)

    with tempfile.TemporaryDirectory(prefix="bench-billing-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'billing.db'}"
        started = time.monotonic()
        build_database(url, args.customers)
        print(f"built {args.customers:,} customers in {time.monotonic() - started:.1f} s (SQLite)")
        db = Database(url)
        seconds, record = timed_run(db, date(2026, 10, 1))
        print(f"run 2026-10-01 (first invoices): {seconds:.1f} s  {describe(record)}")
        print(f"paid {pay_half(db):,} invoices")
        seconds, record = timed_run(db, date(2026, 10, 16))
        verdict = "met" if seconds <= TARGET_RUN_SECONDS else "MISSED"
        print(
            f"run 2026-10-16 (overdue, dunning): {seconds:.1f} s  {describe(record)}  "
            f"(target <= {TARGET_RUN_SECONDS:.0f} s: {verdict})"
        )
        seconds, record = timed_run(db, date(2026, 10, 16))
        changed = record.invoices_issued + record.prepaid_charges + record.invoices_overdue + record.blocked
        print(
            f"run 2026-10-16 again: {seconds:.1f} s  {describe(record)}  ({'nothing changed' if not changed else 'CHANGED'})"
        )
        with db.reading() as session:
            invoices = session.scalar(select(func.count()).select_from(Invoice))
        db.dispose()
        print(f"{invoices:,} invoices in the database")

        port = free_port()
        env = {"BILLING_DATABASE_URL": url, "BILLING_OUTBOX_RELAY": "off", "PORTICO_VAR_DIR": str(folder)}
        server = start_gunicorn("billing.app:create_app()", env, port, args.workers, args.threads, args.worker_class)
        try:
            base = f"http://127.0.0.1:{port}"
            token = operator_token(os.environ.get("PORTICO_JWT_SECRET", DEV_JWT_SECRET), ttl=3600)
            probe = requests.get(
                f"{base}/v1/customers/2/summary", headers={"Authorization": f"Bearer {token}"}, timeout=10
            )
            probe.raise_for_status()
            rng = random.Random(3)
            paths = [f"/v1/customers/{rng.randint(1, args.customers)}/summary" for _ in range(500)]
            load(base, paths, token, args.clients, 3, folder)  # warm-up
            results = [
                (clients, measured(load, server, base, paths, token, clients, args.seconds, folder))
                for _ in range(args.runs)
                for clients in (args.clients, 1)
            ]
        finally:
            stop(server)
    title = f"customer summary over {args.customers:,} customers, gunicorn {args.workers} {args.worker_class} workers"
    report(title, results, TARGET_P99_MS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
