"""Bring documents's database to the newest schema and declare its queue: `python -m documents.migrate`."""

from pathlib import Path

from documents import SERVICE
from documents.handlers import HANDLERS
from portico.migrations import migrate_service

if __name__ == "__main__":
    migrate_service(SERVICE, Path(__file__).resolve().parents[1] / "migrations", HANDLERS)
