"""The portal-bff worker: `python -m portal_bff.worker`."""

from portal_bff import SERVICE
from portal_bff.handlers import handlers
from portal_bff.models import inbox, outbox
from portico.db import Database
from portico.settings import load_settings
from portico.worker import run_worker


def main() -> None:
    settings = load_settings(SERVICE)
    run_worker(settings, Database(settings.database_url), inbox=inbox, outbox=outbox, handlers=handlers(settings))


if __name__ == "__main__":
    main()
