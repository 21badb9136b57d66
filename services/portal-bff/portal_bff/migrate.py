"""Bring the portal-bff's database to the newest schema and declare its queue: `python -m portal_bff.migrate`."""

from pathlib import Path

from portal_bff import SERVICE
from portal_bff.handlers import handlers
from portico.migrations import migrate_service
from portico.settings import load_settings


def main() -> None:
    # The queue is bound to the keys the handlers subscribe to, listed once in handlers.py.
    subscribed = handlers(load_settings(SERVICE))
    migrate_service(SERVICE, Path(__file__).resolve().parents[1] / "migrations", subscribed)


if __name__ == "__main__":
    main()
