"""The notifications worker: `python -m notifications.worker`.

Beside the kit's consumer and outbox relay it runs, in threads of the same process, the
delivery sender (the handlers queue deliveries, and the sender is woken by their commit),
the news mailing (news emailed once published) and the news announcing
(`notifications.news.published` for scheduled news when its time comes).
"""

from notifications import SERVICE
from notifications.config import NotificationConfig
from notifications.handlers import build_handlers
from notifications.models import inbox, outbox
from notifications.news_announcing import NewsAnnouncing
from notifications.news_mailing import NewsMailing
from notifications.sender import DeliverySender
from portico.db import Database
from portico.settings import load_settings
from portico.worker import run_worker


def main() -> None:
    settings = load_settings(SERVICE)
    config = NotificationConfig.from_settings(settings)
    db = Database(settings.database_url)
    sender = DeliverySender.from_settings(db, settings)
    news = NewsMailing(db, config, interval=float(settings.get("news_interval", "30") or 30))
    announcing = NewsAnnouncing(db, interval=float(settings.get("news_announce_interval", "5") or 5))
    sender.start()
    news.start()
    announcing.start()
    try:
        # run_worker ends with sys.exit(code); the sender finishes its batch in hand first.
        run_worker(settings, db, inbox=inbox, outbox=outbox, handlers=build_handlers(config))
    finally:
        announcing.stop()
        news.stop()
        sender.stop()


if __name__ == "__main__":
    main()
