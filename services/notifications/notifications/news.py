"""News: written by operators, shown to the customers of some partners (or all) from publication to expiry.

A news item is `scheduled` before `publish_at`, `published` until `expires_at` (none: for
good), then `expired`. Customers see the published ones for their partner, latest first;
the portal's dashboard shows the first.

Each item is announced once, by `notifications.news.published`, when it becomes visible: in
the transaction that creates it (or moves its `publish_at` to now) if it is due then, else by
the worker's announcing step when its time comes (news_announcing.py). Every edit or expiry
publishes `notifications.news.updated`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from notifications import events
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
    announce(session, item, now=now, changed_at=now)
    return item


def get_news(session: Session, news_id: int, *, for_update: bool = False) -> News:
    """The item; `for_update`: locked until the transaction ends (PostgreSQL; SQLite's writers take turns anyway),
    so an edit and the announcing step never work from each other's stale reads."""
    item = session.get(News, news_id, with_for_update=for_update or None)
    if item is None:
        raise NewsNotFound(f"No news {news_id}.")
    return item


def update_news(session: Session, news_id: int, changes: dict[str, Any], *, now: datetime) -> News:
    """Change the fields given; an item already emailed keeps its email (it is not sent again).

    Publishes `notifications.news.updated` if anything changed. An item this makes due is
    announced now; one moved back into the future is announced again when its new time comes
    (customers stop seeing it until then).
    """
    item = get_news(session, news_id, for_update=True)
    publish_at = _utc(changes.get("publish_at")) or item.publish_at
    expires_at = _utc(changes["expires_at"]) if "expires_at" in changes else item.expires_at
    _check_dates(publish_at, expires_at)
    before = _editable(session, item)
    for name in ("title", "body", "send_email"):
        if name in changes:
            setattr(item, name, changes[name])
    item.publish_at, item.expires_at = publish_at, expires_at
    if "partner_ids" in changes:
        _set_partners(session, item, changes["partner_ids"] or [])
    session.flush()
    after = _editable(session, item)
    changed = sorted(name for name in EDITABLE if after[name] != before[name])
    if not changed:
        return item
    item.updated_at = now
    if as_utc(item.publish_at) > now:
        item.announced_at = None  # hidden again until its new time, and announced then
    session.flush()
    _publish_update(session, item, changed, now=now)
    announce(session, item, now=now, changed_at=now)
    return item


def expire_news(session: Session, news_id: int, *, now: datetime) -> News:
    """Take it off the portal now (an earlier expiry stays as it was, and publishes nothing)."""
    item = get_news(session, news_id, for_update=True)
    if item.expires_at is None or as_utc(item.expires_at) > now:
        item.expires_at = now if as_utc(item.publish_at) < now else item.publish_at
        item.updated_at = now
        session.flush()
        _publish_update(session, item, ["expires_at"], now=now)
    session.flush()
    return item


def announce(session: Session, item: News, *, now: datetime, changed_at: datetime | None = None) -> bool:
    """Publish `notifications.news.published` for the item if it is due and no one has yet; whether this did.

    The item is claimed by setting `announced_at` where it is still null and `publish_at` has
    passed, in the caller's transaction, so two workers (or a worker and an operator's edit)
    never both announce it. `changed_at`: the operator's change that made it due, if one did
    (it became visible then, not at its earlier `publish_at`). An item expired before its time
    was never shown: it is marked, not announced.
    """
    claimed = session.execute(
        update(News)
        .where(News.id == item.id, News.announced_at.is_(None), News.publish_at <= now)
        .values(announced_at=now),
        execution_options={"preserve_rowcount": True, "synchronize_session": False},
    )
    if claimed.rowcount != 1:
        return False
    session.refresh(item)  # as committed when claimed (another transaction may have edited it since it was read)
    publish_at = as_utc(item.publish_at)
    if item.expires_at is not None and as_utc(item.expires_at) <= publish_at:
        return False
    published_at = max(publish_at, changed_at) if changed_at is not None else publish_at
    data = _event_fields(session, item) | {"published_at": events.timestamp(published_at)}
    events.publish(session, events.NEWS_PUBLISHED, data, aggregate_type="news", aggregate_id=item.id)
    return True


EDITABLE = ("title", "body", "partner_ids", "publish_at", "expires_at", "send_email")


def _editable(session: Session, item: News) -> dict[str, Any]:
    """The fields an operator edits, comparable before and after (moments in UTC)."""
    return {
        "title": item.title,
        "body": item.body,
        "partner_ids": partner_ids(session, item.id),
        "publish_at": as_utc(item.publish_at),
        "expires_at": _utc(item.expires_at),
        "send_email": item.send_email,
    }


def _event_fields(session: Session, item: News) -> dict[str, Any]:
    """What the news events say of an item (the body is read over the API)."""
    return {
        "news_id": item.id,
        "title": item.title,
        "partner_ids": partner_ids(session, item.id),
        "publish_at": events.timestamp(item.publish_at),
        "expires_at": events.timestamp(item.expires_at),
    }


def _publish_update(session: Session, item: News, changed: list[str], *, now: datetime) -> None:
    data = _event_fields(session, item) | {"changed": changed, "updated_at": events.timestamp(now)}
    events.publish(session, events.NEWS_UPDATED, data, aggregate_type="news", aggregate_id=item.id)


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
