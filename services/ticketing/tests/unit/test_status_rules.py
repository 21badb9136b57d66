"""The status rules of tickets, as plain functions over a ticket and a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ticketing.errors import InvalidStatusChange, ReopenWindowPassed, TicketClosed
from ticketing.models import Ticket, TicketStatus
from ticketing.tickets import STATUS_CHANGES, check_status_change, status_after_customer_reply

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S = TicketStatus


def ticket(status: str, resolved_days_ago: float | None = None) -> Ticket:
    resolved_at = None if resolved_days_ago is None else NOW - timedelta(days=resolved_days_ago)
    return Ticket(id=1, status=status, resolved_at=resolved_at)


@pytest.mark.parametrize(
    ("status", "after"),
    [(S.NEW, S.NEW), (S.OPEN, S.OPEN), (S.WAITING_ON_CUSTOMER, S.OPEN)],
)
def test_a_customer_reply_opens_a_ticket_waiting_on_them_and_leaves_others(status, after):
    assert status_after_customer_reply(ticket(status), NOW, reopen_days=7) == after


def test_a_reply_reopens_a_resolved_ticket_up_to_the_end_of_the_window():
    assert status_after_customer_reply(ticket(S.RESOLVED, 7), NOW, reopen_days=7) == S.OPEN
    with pytest.raises(ReopenWindowPassed):
        status_after_customer_reply(ticket(S.RESOLVED, 7.0001), NOW, reopen_days=7)


def test_a_closed_ticket_takes_no_reply():
    with pytest.raises(TicketClosed):
        status_after_customer_reply(ticket(S.CLOSED), NOW, reopen_days=7)


def test_closed_is_final_and_new_is_never_gone_back_to():
    assert STATUS_CHANGES[S.CLOSED] == frozenset()
    assert all(S.NEW not in targets for targets in STATUS_CHANGES.values())
    for status in S.ALL:
        check_status_change(status, status)  # staying is no move
    with pytest.raises(InvalidStatusChange):
        check_status_change(S.CLOSED, S.OPEN)
    with pytest.raises(InvalidStatusChange):
        check_status_change(S.OPEN, S.NEW)
