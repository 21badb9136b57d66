"""News: written by operators, shown to the customers of some partners (or all) from publication to expiry.

A news item is `scheduled` before `publish_at`, `published` until `expires_at` (none: for
good), then `expired`. Customers see the published ones for their partner, latest first;
the portal's dashboard shows the first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session

from notifications.clock import as_utc
from notifications.errors import InvalidFields, NewsNotFound
from notifications.models import News, NewsPartner
from portico.pagination import Page, decode_cursor, encode_cursor, page_of


class NewsState:
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    EXPIRED = "expired"
    ALL = (SCHEDULED, PUBLISHED, EXPIRED)


def state_of(item: News, now: datetime) -> str:
    if as_utc(item.publish_at) > now:
        return NewsState.SCHEDULED
    if item.expires_at is not None and as_utc(item.expires_at) <= now:
        return NewsState.EXPIRED
    return NewsState.PUBLISHED


def partner_ids(session: Session, news_id: int) -> list[int]:
    query = select(NewsPartner.partner_id).where(NewsPartner.news_id == news_id).order_by(NewsPartner.partner_id)
    return list(session.scalars(query))


def _utc(moment: datetime | None) -> datetime | None:
    """Stored in UTC (a time given without an offset is taken as UTC)."""
    return None if moment is None else as_utc(moment)


def _check_dates(publish_at: datetime, expires_at: datetime | None) -> None:
    if expires_at is not None and as_utc(expires_at) <= as_utc(publish_at):
        raise InvalidFields({"expires_at": ["Must be after publish_at."]})


def _set_partners(session: Session, item: News, partners: list[int]) -> None:
    session.execute(delete(NewsPartner).where(NewsPartner.news_id == item.id))
    session.add_all(NewsPartner(news_id=item.id, partner_id=partner) for partner in sorted(set(partners)))
    item.all_partners = not partners


def create_news(session: Session, values: dict[str, Any], *, actor: str, now: datetime) -> News:
    """A news item; `partner_ids` empty or absent: for every customer; `publish_at` absent: now."""
    publish_at = _utc(values.get("publish_at")) or now
    _check_dates(publish_at, values.get("expires_at"))
    item = News(
        title=values["title"],
        body=values["body"],
        publish_at=publish_at,
        expires_at=_utc(values.get("expires_at")),
        all_partners=True,
        send_email=values.get("send_email", False),
        emailed_at=None,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    _set_partners(session, item, values.get("partner_ids") or [])
    session.flush()
    return item


def get_news(session: Session, news_id: int) -> News:
    item = session.get(News, news_id)
    if item is None:
        raise NewsNotFound(f"No news {news_id}.")
    return item


def update_news(session: Session, news_id: int, changes: dict[str, Any], *, now: datetime) -> News:
    """Change the fields given; an item already emailed keeps its email (it is not sent again)."""
    item = get_news(session, news_id)
    publish_at = _utc(changes.get("publish_at")) or item.publish_at
    expires_at = _utc(changes["expires_at"]) if "expires_at" in changes else item.expires_at
    _check_dates(publish_at, expires_at)
    for name in ("title", "body", "send_email"):
        if name in changes:
            setattr(item, name, changes[name])
    item.publish_at, item.expires_at, item.updated_at = publish_at, expires_at, now
    if "partner_ids" in changes:
        _set_partners(session, item, changes["partner_ids"] or [])
    session.flush()
    return item


def expire_news(session: Session, news_id: int, *, now: datetime) -> News:
    """Take it off the portal now (an earlier expiry stays as it was)."""
    item = get_news(session, news_id)
    if item.expires_at is None or as_utc(item.expires_at) > now:
        item.expires_at = now if as_utc(item.publish_at) < now else item.publish_at
        item.updated_at = now
    session.flush()
    return item


def _visible(now: datetime):
    return (News.publish_at <= now, or_(News.expires_at.is_(None), News.expires_at > now))


def _for_partner(partner_id: int):
    return or_(
        News.all_partners,
        exists().where(NewsPartner.news_id == News.id, NewsPartner.partner_id == partner_id),
    )


def current_news(session: Session, partner_id: int, *, now: datetime, limit: int, cursor: str | None) -> Page:
    """What a customer of `partner_id` sees: published, not expired, for their partner or all; latest first."""
    query = select(News).where(*_visible(now), _for_partner(partner_id))
    return _page(session, query, "customer-news", limit, cursor)


def list_news(
    session: Session, *, now: datetime, limit: int, cursor: str | None, state: str | None, partner_id: int | None
) -> Page:
    """Every news item for operators, latest publication first; filtered by state or partner."""
    query = select(News)
    if state == NewsState.SCHEDULED:
        query = query.where(News.publish_at > now)
    elif state == NewsState.PUBLISHED:
        query = query.where(*_visible(now))
    elif state == NewsState.EXPIRED:
        query = query.where(News.expires_at <= now)
    if partner_id is not None:
        query = query.where(_for_partner(partner_id))
    return _page(session, query, "admin-news", limit, cursor)


def _page(session: Session, query, listing: str, limit: int, cursor: str | None) -> Page:
    if cursor is not None:
        published, last_id = decode_cursor(cursor, listing, str, int)
        moment = datetime.fromisoformat(published)
        query = query.where(or_(News.publish_at < moment, (News.publish_at == moment) & (News.id < last_id)))
    rows = list(session.scalars(query.order_by(News.publish_at.desc(), News.id.desc()).limit(limit + 1)))
    return page_of(rows, limit, lambda item: encode_cursor(listing, as_utc(item.publish_at).isoformat(), item.id))
