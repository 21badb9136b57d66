"""Bring notifications' database to the newest schema and declare its queue: `python -m notifications.migrate`."""

from pathlib import Path

from notifications import SERVICE
from notifications.handlers import HANDLERS
from portico.migrations import migrate_service

if __name__ == "__main__":
    migrate_service(SERVICE, Path(__file__).resolve().parents[1] / "migrations", HANDLERS)
