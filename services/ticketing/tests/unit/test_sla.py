"""Due times per priority, and when a ticket is overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portico.settings import load_settings
from ticketing.config import load_config
from ticketing.models import Ticket, TicketStatus
from ticketing.sla import DEFAULT_TARGETS, due_times, is_overdue

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_default_targets_by_priority():
    assert due_times(DEFAULT_TARGETS, "urgent", OPENED) == (OPENED + timedelta(hours=1), OPENED + timedelta(hours=8))
    assert due_times(DEFAULT_TARGETS, "low", OPENED) == (OPENED + timedelta(days=1), OPENED + timedelta(days=5))


def test_targets_and_reopen_window_are_settings():
    settings = load_settings(
        "ticketing",
        database_url="sqlite://",
        TICKETING_SLA_FIRST_RESPONSE_MINUTES_URGENT="15",
        TICKETING_SLA_RESOLUTION_MINUTES_LOW="60",
        TICKETING_REOPEN_DAYS="3",
    )
    config = load_config(settings)

    assert due_times(config.sla, "urgent", OPENED)[0] == OPENED + timedelta(minutes=15)
    assert due_times(config.sla, "low", OPENED)[1] == OPENED + timedelta(hours=1)
    assert due_times(config.sla, "high", OPENED) == due_times(DEFAULT_TARGETS, "high", OPENED)
    assert config.reopen_days == 3
    assert config.max_attachment_bytes == 10 * 1024 * 1024


def ticket(status=TicketStatus.OPEN, responded=None) -> Ticket:
    first, resolution = due_times(DEFAULT_TARGETS, "urgent", OPENED)
    return Ticket(
        status=status, first_response_due_at=first, resolution_due_at=resolution, first_responded_at=responded
    )


def test_overdue_when_the_first_response_or_the_resolution_is_late():
    assert not is_overdue(ticket(), OPENED + timedelta(hours=1))
    assert is_overdue(ticket(), OPENED + timedelta(hours=1, seconds=1))
    answered = ticket(responded=OPENED + timedelta(minutes=10))
    assert not is_overdue(answered, OPENED + timedelta(hours=7))
    assert is_overdue(answered, OPENED + timedelta(hours=8, seconds=1))


def test_a_resolved_or_closed_ticket_is_never_overdue():
    late = OPENED + timedelta(days=30)
    assert not is_overdue(ticket(TicketStatus.RESOLVED), late)
    assert not is_overdue(ticket(TicketStatus.CLOSED), late)
