"""A sample's bytes are spread over its minutes exactly: none lost, none made up."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from billing.traffic_split import Share, split_by_minute, sum_by

T0 = datetime(2026, 11, 30, 23, 50, tzinfo=UTC)


def test_a_five_minute_sample_gives_each_minute_a_fifth():
    shares = split_by_minute(T0, T0 + timedelta(minutes=5), 1000, 7)
    assert [s.minute for s in shares] == [T0 + timedelta(minutes=n) for n in range(5)]
    assert [s.bytes_in for s in shares] == [200] * 5
    assert sum(s.bytes_out for s in shares) == 7


def test_a_sample_off_the_minute_gives_the_partial_minutes_their_part():
    start = T0 + timedelta(seconds=30)
    shares = split_by_minute(start, start + timedelta(minutes=2), 400, 0)
    assert [(s.minute.minute, s.bytes_in) for s in shares] == [(50, 100), (51, 200), (52, 100)]


def test_days_and_months_sum_whole_minutes():
    shares = split_by_minute(T0, T0 + timedelta(minutes=20), 2000, 0)
    assert sum_by(shares, lambda m: m.date()) == {T0.date(): (1000, 0), (T0 + timedelta(days=1)).date(): (1000, 0)}


@given(
    start_seconds=st.integers(0, 86_400 * 30),
    length_seconds=st.integers(60, 86_400),
    bytes_in=st.integers(0, 2**53 - 1),
    bytes_out=st.integers(0, 2**53 - 1),
)
def test_shares_add_up_to_the_sample_and_lie_within_it(start_seconds, length_seconds, bytes_in, bytes_out):
    start = T0 + timedelta(seconds=start_seconds, microseconds=start_seconds % 7 * 1000)
    end = start + timedelta(seconds=length_seconds)
    shares = split_by_minute(start, end, bytes_in, bytes_out)

    assert sum(s.bytes_in for s in shares) == bytes_in
    assert sum(s.bytes_out for s in shares) == bytes_out
    assert all(isinstance(s, Share) and s.bytes_in >= 0 and s.bytes_out >= 0 for s in shares)
    assert shares[0].minute <= start < shares[0].minute + timedelta(minutes=1)
    assert shares[-1].minute < end <= shares[-1].minute + timedelta(minutes=1)
    assert all(b.minute - a.minute == timedelta(minutes=1) for a, b in pairwise(shares))
