"""Bring billing's database to the newest schema and declare its queue: `python -m billing.migrate`."""

from pathlib import Path

from billing import SERVICE
from billing.handlers import HANDLERS
from portico.migrations import migrate_service

if __name__ == "__main__":
    migrate_service(SERVICE, Path(__file__).resolve().parents[1] / "migrations", HANDLERS)
