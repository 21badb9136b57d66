"""Splitting a traffic sample over the UTC minutes it spans, exactly (no byte lost or made up).

Each minute gets the share of the sample's bytes that its overlap with the sample's period
is of the whole period; cumulative rounding makes the shares add up to the sample's bytes.
Days and months then sum whole minutes, so a sample that spans midnight or a month's end
is counted on both sides in proportion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Share:
    minute: datetime  # the minute's start, UTC
    bytes_in: int
    bytes_out: int


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def split_by_minute(start: datetime, end: datetime, bytes_in: int, bytes_out: int) -> list[Share]:
    """The sample's bytes per minute it overlaps; needs `start < end`."""
    total = _micros(end - start)
    shares, edge, elapsed = [], start, 0
    given_in = given_out = 0
    minute = minute_of(start)
    while edge < end:
        next_edge = min(minute + MINUTE, end)
        elapsed += _micros(next_edge - edge)
        # The bytes up to this edge, rounded down; each minute gets the difference.
        upto_in, upto_out = bytes_in * elapsed // total, bytes_out * elapsed // total
        shares.append(Share(minute, upto_in - given_in, upto_out - given_out))
        given_in, given_out = upto_in, upto_out
        edge, minute = next_edge, minute + MINUTE
    return shares


def sum_by(shares: Iterable[Share], key: Callable[[datetime], date]) -> dict[date, tuple[int, int]]:
    """Bytes in and out per `key(minute)` (e.g. the day, or the month's first day)."""
    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for share in shares:
        totals[key(share.minute)][0] += share.bytes_in
        totals[key(share.minute)][1] += share.bytes_out
    return {when: (bytes_in, bytes_out) for when, (bytes_in, bytes_out) in totals.items()}


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
