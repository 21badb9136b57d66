"""News by email: once a news item asking for it is published, each customer it targets who takes
news emails gets it, once.

The item is claimed by setting its `emailed_at` where it is still null, in the transaction
that queues the emails, so two workers never both send it. The worker runs this every
`NOTIFICATIONS_NEWS_INTERVAL` seconds (30) in a thread of its own.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from notifications.catalogue import Category, TemplateChannel
from notifications.clock import Clock, utc_now
from notifications.config import NotificationConfig
from notifications.models import Customer, News, NewsPartner
from notifications.notify import notify
from notifications.periodic import PeriodicStep
from portico.db import Database

log = logging.getLogger(__name__)

INACTIVE = "inactive"


def _claim(session: Session, item: News, now: datetime) -> bool:
    claimed = session.execute(
        update(News).where(News.id == item.id, News.emailed_at.is_(None)).values(emailed_at=now),
        execution_options={"preserve_rowcount": True},
    )
    return claimed.rowcount == 1


def _audience(session: Session, item: News) -> list[Customer]:
    query = select(Customer).where(Customer.status != INACTIVE).order_by(Customer.id)
    if not item.all_partners:
        query = query.where(
            exists().where(NewsPartner.news_id == item.id, NewsPartner.partner_id == Customer.partner_id)
        )
    return list(session.scalars(query))


def email_due_news(session: Session, *, config: NotificationConfig, now: datetime) -> int:
    """Queue the emails of every news item that is published and not yet emailed; how many were queued."""
    due = select(News).where(
        News.send_email,
        News.emailed_at.is_(None),
        News.publish_at <= now,
        or_(News.expires_at.is_(None), News.expires_at > now),
    )
    queued = 0
    for item in list(session.scalars(due)):
        if not _claim(session, item, now):
            continue
        variables = {"news": {"id": item.id, "title": item.title, "body": item.body}, "news_url": config.news_url}
        for customer in _audience(session, item):
            notified = notify(
                session,
                customer,
                "news",
                variables,
                channels=[TemplateChannel.EMAIL],
                config=config,
                now=now,
                category=Category.NEWS,
            )
            queued += len(notified.deliveries)
        log.info("news %s emailed: %d emails queued", item.id, queued)
    return queued


class NewsMailing(PeriodicStep):
    """The worker's thread that emails news when it is published."""

    name = "news-mailing"

    def __init__(self, db: Database, config: NotificationConfig, *, interval: float = 30.0, clock: Clock = utc_now):
        super().__init__(db, interval=interval, clock=clock)
        self.config = config

    def run_once(self) -> int:
        with self.db.transaction() as session:
            return email_due_news(session, config=self.config, now=self.clock())
