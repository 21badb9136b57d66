"""Bring ticketing's database to the newest schema and declare its queue: `python -m ticketing.migrate`."""

from pathlib import Path

from portico.migrations import migrate_service
from ticketing import SERVICE
from ticketing.handlers import HANDLERS

if __name__ == "__main__":
    migrate_service(SERVICE, Path(__file__).resolve().parents[1] / "migrations", HANDLERS)
