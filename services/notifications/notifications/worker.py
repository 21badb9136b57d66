"""The notifications worker: `python -m notifications.worker`.

Beside the kit's consumer and outbox relay it runs the delivery sender, in a thread of
the same process: the handlers queue deliveries, and the sender is woken by their commit.
"""

from notifications import SERVICE
from notifications.handlers import HANDLERS
from notifications.models import inbox, outbox
from notifications.sender import DeliverySender
from portico.db import Database
from portico.settings import load_settings
from portico.worker import run_worker


def main() -> None:
    settings = load_settings(SERVICE)
    db = Database(settings.database_url)
    sender = DeliverySender.from_settings(db, settings)
    sender.start()
    try:
        # run_worker ends with sys.exit(code); the sender finishes its email in hand first.
        run_worker(settings, db, inbox=inbox, outbox=outbox, handlers=HANDLERS)
    finally:
        sender.stop()


if __name__ == "__main__":
    main()
