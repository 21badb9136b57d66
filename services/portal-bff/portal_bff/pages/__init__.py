"""Page models: what each portal page shows, read from the upstreams in parallel (no Flask here)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from portal_bff.errors import NotFound, UpstreamRejected
from portal_bff.fanout import UNAVAILABLE, Fanout, Loader, unavailable
from portal_bff.freshness import Versions
from portal_bff.section_cache import Entry, MaxAges, SectionCache
from portal_bff.upstreams import Upstream, Upstreams

# Beyond the slowest upstream's timeout: the time to gather the sections and shape the page.
DEADLINE_MARGIN = 0.02
Sections = dict[str, dict[str, Any]]
MaxAge = Callable[[MaxAges, Sections, float], float]


def events_tell(ages: MaxAges, sections: Sections, now: float) -> float:
    """Every change is announced by an event: current until then (or the safety net's time)."""
    return ages.events


def live(ages: MaxAges, sections: Sections, now: float) -> float:
    """Changes with no event (traffic counters): read again after a short while."""
    return ages.live


@dataclass(frozen=True)
class Part:
    """Sections of a page read together from one upstream, and cached together (section_cache.py).

    `load(reader)` returns each of `sections`' values; they are current until `upstream`'s
    version for the customer (and `shared`'s, where given) changes, or `max_age` seconds
    pass: a function of the cache's max ages, the loaded sections and the time now
    (`time.time()`). `key(reader)` is whatever else they depend on (the partner, the columns
    shown). Parts are made once, at import: nothing of a request is in them.
    """

    name: str
    upstream: str
    sections: tuple[str, ...]
    load: Callable[[Reader], Sections]
    max_age: MaxAge = events_tell
    key: Callable[[Reader], tuple[Hashable, ...]] = lambda reader: ()
    shared: str | None = None


@dataclass(frozen=True)
class Upload:
    """A file the customer sends (a ticket's attachment, their own document), passed on as it came."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Read:
    """A part's sections as this request has them: from the cache or the upstream (`entry`), or unavailable."""

    sections: dict[str, dict[str, Any]]
    entry: Entry | None = None

    @property
    def available(self) -> bool:
        return self.entry is not None


@dataclass(frozen=True)
class Reader:
    """One customer's view of the upstreams, for building a page.

    With a `cache` and `versions` (the request's: read with the session, and moved on by the
    request's own writes), parts are served from the cache while current; without them every
    part is read from its upstream. `record_change` is told when the page itself changed an
    upstream's data (reading a message marks it read).
    """

    upstreams: Upstreams
    fanout: Fanout
    customer_id: int
    config: dict[str, Any]
    customer_status: str | None = None
    partner_id: int | None = None
    cache: SectionCache | None = None
    versions: Callable[[], Versions] | None = None
    record_change: Callable[[int, str], None] | None = None

    def path(self, rest: str = "") -> str:
        """The customer-scoped path of every upstream: `/v1/customers/<id><rest>`."""
        return f"/v1/customers/{self.customer_id}{rest}"

    def get(self, upstream: Upstream, rest: str, params: Any = None) -> Any:
        return upstream.get_json(self.path(rest), customer_id=self.customer_id, params=params)

    def send(self, upstream: Upstream, method: str, rest: str, *, key: str | None = None, **kwargs: Any) -> Any:
        """A write on the customer's behalf, with their Idempotency-Key (where given); the upstream's JSON answer.

        The upstream client records the change once the write is over (upstreams.py), so what
        this request and the customer's next pages read is read after it.
        """
        headers = kwargs.pop("headers", {}) | ({"Idempotency-Key": key} if key else {})
        response = upstream.call(method, self.path(rest), customer_id=self.customer_id, headers=headers, **kwargs)
        return response.json() if response.content else None

    def get_subject(self, upstream: Upstream, rest: str, what: str, params: Any = None) -> Any:
        """The page's subject (one ticket, one invoice...): NotFound when the upstream has none by that id."""
        try:
            return self.get(upstream, rest, params)
        except UpstreamRejected as error:
            if error.status == 404:
                raise NotFound(f"No such {what}.") from None
            raise

    def gather(self, loaders: dict[str, Loader], *services: str) -> dict[str, dict[str, Any]]:
        """Load the sections at once, within the read timeout of the slowest upstream they use."""
        deadline = max(self.upstreams[s].timeout for s in services) + DEADLINE_MARGIN
        return self.fanout.gather(loaders, deadline=deadline)

    def changed(self, upstream: str) -> None:
        """This page changed the customer's data in `upstream`: their cached parts of it are out of date."""
        if self.record_change is not None:
            self.record_change(self.customer_id, upstream)

    def read_parts(self, parts: Sequence[Part]) -> dict[str, Read]:
        """Each part from the cache where current, the others read at once from their upstreams."""
        found: dict[str, Read] = {}
        missing: dict[str, tuple[Part, Hashable]] = {}
        versions = self.versions() if self.cache is not None and self.versions is not None else None
        for part in parts:
            tag = _tag(part, versions)
            entry = self.cache.get(self._key(part), tag) if tag is not None else None
            if entry is not None:
                found[part.name] = Read(entry.sections, entry)
            else:
                missing[part.name] = (part, tag)
        if missing:
            loaders = {name: self._loader(part) for name, (part, _) in missing.items()}
            loaded = self.gather(loaders, *{part.upstream for part, _ in missing.values()})
            for name, (part, tag) in missing.items():
                found[name] = self._settled(part, tag, loaded[name])
        return found

    def _key(self, part: Part) -> tuple[Hashable, ...]:
        return (self.customer_id, part.name, *part.key(self))

    def _loader(self, part: Part) -> Loader:
        return lambda: {"sections": part.load(self)}

    def _settled(self, part: Part, tag: Hashable | None, result: dict[str, Any]) -> Read:
        if result["status"] == UNAVAILABLE:
            return Read({name: unavailable() for name in part.sections})
        sections = {name: {**values, "status": "ok"} for name, values in result["sections"].items()}
        if tag is None:
            return Read(sections, Entry(tag=None, sections=sections, expires_at=0.0))
        max_age = part.max_age(self.cache.max_ages, sections, self.cache.clock())
        return Read(sections, self.cache.put(self._key(part), tag, sections, max_age=max_age))


def _tag(part: Part, versions: Versions | None) -> Hashable | None:
    """What the part's cached sections must have been read under; None: no caching here."""
    if versions is None:
        return None
    return (versions.of(part.upstream), versions.of(part.shared) if part.shared else None)


def page_of(items: Any) -> dict[str, Any]:
    """A list section from an upstream's page (`{items, next_cursor}`)."""
    return {"items": list(items.get("items", [])), "next_cursor": items.get("next_cursor")}
