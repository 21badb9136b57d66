"""Billing's command line: `python -m billing.cli run --date YYYY-MM-DD` and `prune-usage`.

`run` is the daily billing run (billing/billing_run.py); cron runs it once a day for today,
and running a date again (or two at once) changes nothing more.

The usage handler prunes a service's old per-minute rows as its samples arrive; this also
clears services that stopped reporting, and forgets samples too old to be resent.
Run it from cron (or a Kubernetes CronJob) every hour or so; running it twice does no harm.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from billing import SERVICE, usage
from billing.billing_run import run_billing
from portico.db import Database
from portico.settings import load_settings


def prune_usage(db: Database, now: datetime) -> tuple[int, int]:
    """Remove per-minute rows older than a day and samples past their deduplication window."""
    with db.transaction() as session:
        return usage.prune_minutes(session, now=now), usage.prune_samples(session, now=now)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m billing.cli", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prune-usage", help="remove per-minute traffic older than a day and samples over 40 days old")
    run = commands.add_parser("run", help="bill every customer for a date (idempotent)")
    run.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today, UTC)")
    args = parser.parse_args(argv)
    if args.command == "run":
        settings = load_settings(SERVICE)
        db = Database(settings.database_url)
        now = datetime.now(UTC)
        record = run_billing(db, on=args.date or now.date(), now=now)
        db.dispose()
        print(
            f"billed {record.customers} customers for {record.run_date}: {record.invoices_issued} invoices, "
            f"{record.prepaid_charges} prepaid charges, {record.invoices_overdue} overdue, "
            f"{record.suspensions_scheduled} suspensions scheduled, {record.blocked} blocked, "
            f"{record.unblocked} unblocked, {record.failed} failed"
        )
        return 1 if record.failed else 0
    if args.command == "prune-usage":
        settings = load_settings(SERVICE)
        db = Database(settings.database_url)
        minutes, samples = prune_usage(db, datetime.now(UTC))
        db.dispose()
        print(f"pruned {minutes} minute rows and {samples} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
