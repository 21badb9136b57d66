"""Reading a page's sections at once: each loaded, or unavailable, within the deadline."""

import threading
import time

import pytest

from portal_bff.errors import NotFound, UpstreamRejected, UpstreamUnavailable
from portal_bff.fanout import Fanout
from portico import context


@pytest.fixture
def fanout():
    pool = Fanout(8)
    yield pool
    pool.shutdown()


def test_sections_load_together_and_failures_become_unavailable(fanout):
    def down():
        raise UpstreamUnavailable("billing")

    def refused():
        raise UpstreamRejected("ticketing", 422, {"title": "Invalid request"})

    sections = fanout.gather({"a": lambda: {"n": 1}, "b": down, "c": refused, "d": lambda: {"n": 4}}, deadline=1)

    assert sections == {
        "a": {"status": "ok", "n": 1},
        "b": {"status": "unavailable"},
        "c": {"status": "unavailable"},
        "d": {"status": "ok", "n": 4},
    }


def test_a_section_not_loaded_by_the_deadline_is_unavailable(fanout):
    release = threading.Event()

    def slow():
        release.wait(5)
        return {"late": True}

    started = time.monotonic()
    sections = fanout.gather({"slow": slow, "quick": lambda: {}}, deadline=0.1)
    elapsed = time.monotonic() - started
    release.set()

    assert sections == {"slow": {"status": "unavailable"}, "quick": {"status": "ok"}}
    assert elapsed < 0.5


def test_the_pages_subject_not_found_is_a_404(fanout):
    def missing():
        raise NotFound("No such ticket.")

    with pytest.raises(NotFound):
        fanout.gather({"ticket": missing, "other": lambda: {}}, deadline=1)


def test_the_request_id_is_known_in_every_section(fanout):
    with context.bound(request="req-7", correlation="req-7"):
        sections = fanout.gather(
            {name: lambda: {"request_id": context.request_id.get()} for name in ("a", "b", "c")}, deadline=1
        )

    assert {s["request_id"] for s in sections.values()} == {"req-7"}
