"""News announced when its time comes: the worker's step that publishes `notifications.news.published`
for each item scheduled for later once its `publish_at` has passed, exactly once.

News due when it is written is announced in that transaction (news.py); this step finds the
rest: items due and not yet announced. Each is claimed by `news.announce` (an UPDATE where
`announced_at` is still null, so of two workers running this at once only one announces an
item, and the event commits with the mark). The worker runs it every
`NOTIFICATIONS_NEWS_ANNOUNCE_INTERVAL` seconds (5) in a thread of its own.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.clock import Clock, utc_now
from notifications.models import News
from notifications.news import announce
from notifications.periodic import PeriodicStep
from portico.db import Database

log = logging.getLogger(__name__)


def announce_due_news(session: Session, *, now: datetime) -> int:
    """Announce every news item whose `publish_at` has passed and that is not announced; how many were."""
    due = select(News).where(News.announced_at.is_(None), News.publish_at <= now).order_by(News.publish_at, News.id)
    announced = 0
    for item in list(session.scalars(due)):
        if announce(session, item, now=now):
            announced += 1
            log.info("news %s announced", item.id)
    return announced


class NewsAnnouncing(PeriodicStep):
    """The worker's thread that announces scheduled news when its time comes."""

    name = "news-announcing"

    def __init__(self, db: Database, *, interval: float = 5.0, clock: Clock = utc_now):
        super().__init__(db, interval=interval, clock=clock)

    def run_once(self) -> int:
        with self.db.transaction() as session:
            return announce_due_news(session, now=self.clock())
