"""Retries back off exponentially, capped at five minutes."""

from datetime import timedelta

from notifications.deliveries import retry_delay


def test_retry_delay_doubles_with_each_failed_attempt():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 8, 16]


def test_retry_delay_is_capped_at_five_minutes():
    assert retry_delay(9) == timedelta(minutes=5)
    assert retry_delay(1000) == timedelta(minutes=5)
