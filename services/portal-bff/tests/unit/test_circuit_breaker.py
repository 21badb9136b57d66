"""The breaker per upstream: open after failures in a row, one trial call after the reset time."""

from portal_bff.circuit_breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker


class Ticking:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def failing(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.allow()
        breaker.failed()


def test_it_opens_after_the_failures_in_a_row_and_refuses_calls():
    breaker = CircuitBreaker(failures=3, reset_after=5, clock=Ticking())

    failing(breaker, 2)
    assert breaker.state == CLOSED
    failing(breaker, 1)

    assert breaker.state == OPEN
    assert not breaker.allow()


def test_a_success_between_failures_starts_the_count_again():
    breaker = CircuitBreaker(failures=3, reset_after=5, clock=Ticking())

    failing(breaker, 2)
    breaker.succeeded()
    failing(breaker, 2)

    assert breaker.state == CLOSED


def test_after_the_reset_time_one_trial_call_goes_through():
    clock = Ticking()
    breaker = CircuitBreaker(failures=1, reset_after=5, clock=clock)
    failing(breaker, 1)
    clock.now += 5

    assert breaker.state == HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()  # only one trial at a time


def test_a_good_trial_closes_it_and_a_bad_one_opens_it_again():
    clock = Ticking()
    breaker = CircuitBreaker(failures=1, reset_after=5, clock=clock)
    failing(breaker, 1)
    clock.now += 5
    breaker.allow()
    breaker.failed()

    assert breaker.state == OPEN
    clock.now += 5
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.state == CLOSED and breaker.allow()
