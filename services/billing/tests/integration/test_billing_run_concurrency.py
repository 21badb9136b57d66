"""Two daily runs for the same date at once (on PostgreSQL truly in parallel): each effect happens once."""

import threading
from datetime import UTC, date, datetime

from sqlalchemy import select

from billing.billing_run import run_billing
from billing.finance_models import Invoice, LedgerEntry
from portico.db import Database

CUSTOMERS = 30


def test_two_runs_at_once_issue_each_invoice_once_with_gapless_numbers(
    client, operator, settings, make_customer, make_plan, make_service, db
):
    plan = make_plan("internet")
    for n in range(CUSTOMERS):
        customer = make_customer(status="active", login=f"c{n}")
        make_service(customer["id"], plan["id"], start_date="2026-11-01")
    databases = [Database(settings.database_url), Database(settings.database_url)]
    start = threading.Barrier(2)
    runs = []

    def run(database: Database) -> None:
        start.wait()
        runs.append(run_billing(database, on=date(2026, 11, 1), now=datetime.now(UTC), batch=7))

    threads = [threading.Thread(target=run, args=(database,)) for database in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for database in databases:
        database.dispose()

    assert sum(r.invoices_issued for r in runs) == CUSTOMERS
    assert [r.failed for r in runs] == [0, 0]
    with db.reading() as session:
        numbers = sorted(session.scalars(select(Invoice.number)))
        entries = session.scalars(select(LedgerEntry.invoice_id)).all()
    assert numbers == [f"INV-2026-{n:06d}" for n in range(1, CUSTOMERS + 1)]
    assert len(entries) == len(set(entries)) == CUSTOMERS
