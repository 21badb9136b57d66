"""Demo data for `make run`: partners and a few customers, written once (`python -m billing.demo`).

Written through the same rules as the API, so their events wait in the outbox and reach
every other service as soon as the suite runs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from billing import SERVICE, activity, customers
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


def load_demo_data(db: Database, now: datetime) -> bool:
    """Create the demo partners and customers unless they exist; True if anything was written."""
    with db.transaction() as session:
        if session.scalar(select(Partner.id).limit(1)) is not None:
            return False
        partners = [Partner(name=name, created_at=now) for name in PARTNERS]
        session.add_all(partners)
        session.flush()
        for index, values in enumerate(CUSTOMERS):
            partner = partners[index % len(partners)]
            customers.create_customer(session, {**values, "partner_id": partner.id}, now=now, actor=activity.SYSTEM)
    return True


def main() -> None:
    settings = load_settings(SERVICE)
    written = load_demo_data(Database(settings.database_url), datetime.now(UTC))
    print("demo data loaded" if written else "demo data already present")


if __name__ == "__main__":
    main()
