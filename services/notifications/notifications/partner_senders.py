"""Each partner's email sender and reply-to address; the service's `MAIL_FROM` where none is set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from notifications.deliveries import Sender
from notifications.errors import NotFound
from notifications.models import PartnerSender
from notifications.partner_cache import PartnerCache


class SenderNotSet(NotFound):
    pass


_senders = PartnerCache("senders")


def sender_of(session: Session, partner_id: int) -> Sender:
    """The partner's sender (kept a few seconds: every email reads it)."""

    def load() -> Sender:
        row = session.get(PartnerSender, partner_id)
        return Sender() if row is None else Sender(mail_from=row.mail_from, reply_to=row.reply_to)

    return _senders.get(session, partner_id, load)


def get_sender(session: Session, partner_id: int) -> PartnerSender:
    row = session.get(PartnerSender, partner_id)
    if row is None:
        raise SenderNotSet(f"Partner {partner_id} sends as the service's default sender.")
    return row


def save_sender(
    session: Session, partner_id: int, *, mail_from: str, reply_to: str | None, actor: str, now: datetime
) -> PartnerSender:
    row = session.get(PartnerSender, partner_id)
    if row is None:
        row = PartnerSender(partner_id=partner_id)
        session.add(row)
    row.mail_from, row.reply_to, row.updated_by, row.updated_at = mail_from, reply_to, actor, now
    session.flush()
    _senders.forget(session, partner_id)
    return row


def remove_sender(session: Session, partner_id: int) -> None:
    session.delete(get_sender(session, partner_id))
    _senders.forget(session, partner_id)
