"""The documents worker: `python -m documents.worker`."""

from documents import SERVICE
from documents.handlers import HANDLERS
from documents.models import inbox, outbox
from portico.db import Database
from portico.settings import load_settings
from portico.worker import run_worker


def main() -> None:
    settings = load_settings(SERVICE)
    run_worker(settings, Database(settings.database_url), inbox=inbox, outbox=outbox, handlers=HANDLERS)


if __name__ == "__main__":
    main()
