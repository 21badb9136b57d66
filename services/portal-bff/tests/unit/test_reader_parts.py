"""A page's parts from the cache while current, from their upstreams otherwise (pages.Reader)."""

from dataclasses import replace
from types import SimpleNamespace

import pytest

from portal_bff.errors import UpstreamUnavailable
from portal_bff.fanout import Fanout
from portal_bff.freshness import Versions
from portal_bff.pages import Part, Reader, live
from portal_bff.section_cache import MaxAges, SectionCache


class Clock:
    now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fanout():
    pool = Fanout(4)
    yield pool
    pool.shutdown()


class Upstream:
    def __init__(self) -> None:
        self.reads = 0
        self.down = False

    def read(self, reader=None) -> dict:
        self.reads += 1
        if self.down:
            raise UpstreamUnavailable("billing")
        return {"summary": {"total_due": f"{self.reads}.00"}}


def make_reader(fanout, cache, versions):
    upstreams = {name: SimpleNamespace(timeout=0.5) for name in ("billing", "ticketing", "notifications")}
    state = {"versions": versions}
    reader = Reader(
        upstreams=upstreams,
        fanout=fanout,
        customer_id=7,
        config={},
        cache=cache,
        versions=lambda: state["versions"],
    )
    return reader, state


def test_a_part_is_read_once_while_its_version_stays_and_again_when_it_moves(fanout):
    billing = Upstream()
    reader, state = make_reader(fanout, SectionCache(), Versions(billing=1))
    part = Part("summary", "billing", ("summary",), billing.read)

    first = reader.read_parts([part])["summary"].sections
    assert reader.read_parts([part])["summary"].sections is first
    state["versions"] = replace(state["versions"], ticketing=5)  # another upstream's change
    assert reader.read_parts([part])["summary"].sections is first
    state["versions"] = replace(state["versions"], billing=2)
    moved = reader.read_parts([part])["summary"].sections

    assert billing.reads == 2
    assert first == {"summary": {"total_due": "1.00", "status": "ok"}}
    assert moved == {"summary": {"total_due": "2.00", "status": "ok"}}


def test_a_live_part_is_read_again_after_the_short_max_age(fanout):
    billing, clock = Upstream(), Clock()
    cache = SectionCache(max_ages=MaxAges(events=300, live=30), clock=clock)
    reader, _ = make_reader(fanout, cache, Versions())
    part = Part("summary", "billing", ("summary",), billing.read, max_age=live)

    reader.read_parts([part])
    clock.now += 29
    reader.read_parts([part])
    clock.now += 1
    reader.read_parts([part])

    assert billing.reads == 2


def test_an_unavailable_part_is_not_kept_and_an_out_of_date_one_is_not_shown(fanout):
    billing = Upstream()
    reader, state = make_reader(fanout, SectionCache(), Versions(billing=1))
    part = Part("summary", "billing", ("summary",), billing.read)
    reader.read_parts([part])
    billing.down = True
    state["versions"] = Versions(billing=2)

    read = reader.read_parts([part])["summary"]
    assert (read.available, read.sections) == (False, {"summary": {"status": "unavailable"}})
    billing.down = False

    assert reader.read_parts([part])["summary"].sections["summary"]["total_due"] == "3.00"


def test_without_a_cache_every_part_is_read(fanout):
    billing = Upstream()
    reader, _ = make_reader(fanout, None, Versions())
    part = Part("summary", "billing", ("summary",), billing.read)

    reader.read_parts([part])
    reader.read_parts([part])

    assert billing.reads == 2


def test_what_else_a_part_depends_on_keys_it(fanout):
    billing = Upstream()
    reader, _ = make_reader(fanout, SectionCache(), Versions())

    reader.read_parts([Part("summary", "billing", ("summary",), billing.read, key=lambda r: ("columns-a",))])
    reader.read_parts([Part("summary", "billing", ("summary",), billing.read, key=lambda r: ("columns-b",))])

    assert billing.reads == 2


def test_a_page_that_changes_data_says_so(fanout):
    told = []
    reader = Reader(upstreams={}, fanout=fanout, customer_id=7, config={}, record_change=lambda *a: told.append(a))

    reader.changed("notifications")

    assert told == [(7, "notifications")]
