"""The billing worker: `python -m billing.worker`."""

from billing import SERVICE
from billing.handlers import HANDLERS
from billing.models import inbox, outbox
from portico.db import Database
from portico.settings import load_settings
from portico.worker import run_worker


def main() -> None:
    settings = load_settings(SERVICE)
    run_worker(settings, Database(settings.database_url), inbox=inbox, outbox=outbox, handlers=HANDLERS)


if __name__ == "__main__":
    main()
