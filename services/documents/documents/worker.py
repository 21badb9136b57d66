"""The documents worker: `python -m documents.worker`."""

from documents import SERVICE
from documents.handlers import handlers
from documents.models import inbox, outbox
from portico.db import Database
from portico.settings import load_settings
from portico.worker import run_worker

# The consumer applies the deliveries in hand in one transaction, and a PDF takes 0.1-2 s to
# render: on SQLite that transaction holds the write lock the web process's uploads and
# acceptances wait for (at most 10 s). Two at a time keeps that wait short; rendering, not the
# round trip to the broker, bounds the throughput.
DEFAULT_PREFETCH = "2"


def main() -> None:
    settings = load_settings(SERVICE)
    if settings.get("prefetch") is None:
        settings.extra["DOCUMENTS_PREFETCH"] = DEFAULT_PREFETCH
    run_worker(settings, Database(settings.database_url), inbox=inbox, outbox=outbox, handlers=handlers(settings))


if __name__ == "__main__":
    main()
