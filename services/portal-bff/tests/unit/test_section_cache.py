"""The cache of page sections: an entry serves only the versions it was read under, and only in time."""

from portal_bff.section_cache import Entry, MaxAges, SectionCache


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_serves_the_tag_it_was_stored_under_until_its_time_is_up():
    clock = Clock()
    cache = SectionCache(clock=clock)
    stored = cache.put((7, "summary"), ("v1", None), {"balance": {"status": "ok"}}, max_age=30)

    assert cache.get((7, "summary"), ("v1", None)) is stored
    clock.now += 29.9
    assert cache.get((7, "summary"), ("v1", None)) is stored
    clock.now += 0.1
    assert cache.get((7, "summary"), ("v1", None)) is None


def test_another_tag_misses_and_drops_the_entry():
    cache = SectionCache()
    cache.put((7, "tickets"), ("v1", None), {}, max_age=30)

    assert cache.get((7, "tickets"), ("v2", None)) is None
    assert cache.get((7, "tickets"), ("v1", None)) is None  # gone: an older version never comes back
    assert len(cache) == 0


def test_the_least_recently_used_entries_go_first():
    cache = SectionCache(max_entries=2)
    cache.put(1, "t", {}, max_age=30)
    cache.put(2, "t", {}, max_age=30)
    cache.get(1, "t")

    cache.put(3, "t", {}, max_age=30)

    assert cache.get(2, "t") is None
    assert cache.get(1, "t") is not None and cache.get(3, "t") is not None


def test_what_is_worked_out_from_an_entry_is_worked_out_once_per_key():
    entry = Entry(tag="t", sections={}, expires_at=0.0)
    made = []

    def make():
        made.append(1)
        return "json"

    assert entry.remembered("a", make) == entry.remembered("a", make) == "json"
    entry.remembered("b", make)
    assert len(made) == 2


def test_entries_tell_themselves_apart():
    assert Entry(tag="t", sections={}, expires_at=0.0).serial != Entry(tag="t", sections={}, expires_at=0.0).serial


def test_the_max_ages_default_to_five_minutes_and_thirty_seconds():
    assert MaxAges() == MaxAges(events=300.0, live=30.0)
