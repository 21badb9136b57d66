"""The ticketing worker: `python -m ticketing.worker`."""

from portico.db import Database
from portico.settings import load_settings
from portico.worker import run_worker
from ticketing import SERVICE
from ticketing.handlers import HANDLERS
from ticketing.models import inbox, outbox


def main() -> None:
    settings = load_settings(SERVICE)
    run_worker(settings, Database(settings.database_url), inbox=inbox, outbox=outbox, handlers=HANDLERS)


if __name__ == "__main__":
    main()
