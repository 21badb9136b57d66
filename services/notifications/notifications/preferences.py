"""What optional email each customer takes. News and marketing can be turned off; billing,
security and service messages always go (they are not preferences)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from notifications.catalogue import Category
from notifications.models import NotificationPreferences


@dataclass(frozen=True)
class Preferences:
    news_emails: bool = True
    marketing_emails: bool = True


def preferences_of(session: Session, customer_id: int) -> Preferences:
    row = session.get(NotificationPreferences, customer_id)
    return Preferences() if row is None else Preferences(row.news_emails, row.marketing_emails)


def update_preferences(session: Session, customer_id: int, changes: dict[str, bool], *, now: datetime) -> Preferences:
    """Change the named preferences (`news_emails`, `marketing_emails`); the others stay."""
    current = preferences_of(session, customer_id)
    row = session.get(NotificationPreferences, customer_id)
    if row is None:
        row = NotificationPreferences(customer_id=customer_id)
        session.add(row)
    row.news_emails = changes.get("news_emails", current.news_emails)
    row.marketing_emails = changes.get("marketing_emails", current.marketing_emails)
    row.updated_at = now
    session.flush()
    return preferences_of(session, customer_id)


def takes_email(preferences: Preferences, category: str) -> bool:
    """Whether an email of `category` goes to the customer."""
    if category == Category.NEWS:
        return preferences.news_emails
    if category == Category.MARKETING:
        return preferences.marketing_emails
    return True
