"""Operators' comments on a customer (the record's Comments panel), newest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import activity
from billing.customers import get_customer
from billing.models import CustomerComment
from portico.pagination import Page, decode_cursor, encode_cursor


def add_comment(session: Session, customer_id: int, body: str, *, now: datetime, author: str) -> CustomerComment:
    # Locked so that a comment never lands on a customer being deleted.
    get_customer(session, customer_id, for_update=True)
    comment = CustomerComment(customer_id=customer_id, author=author, body=body, created_at=now)
    session.add(comment)
    session.flush()
    change = {"field": "comment", "old": None, "new": body}
    activity.record(session, customer_id, activity.COMMENT_ADDED, [change], actor=author, at=now)
    return comment


def customer_comments(session: Session, customer_id: int, *, limit: int, cursor: str | None) -> Page:
    get_customer(session, customer_id)
    query = select(CustomerComment).where(CustomerComment.customer_id == customer_id)
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, "comments", int)
        query = query.where(CustomerComment.id < last_id)
    rows = session.scalars(query.order_by(CustomerComment.id.desc()).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor("comments", items[-1].id) if len(rows) > limit else None)
