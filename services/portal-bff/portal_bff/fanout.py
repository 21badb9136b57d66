"""Reading several upstreams at once for one page: a small thread pool and a deadline.

Each section of a page is loaded by a function of its own, in a thread of the pool, with
the request's context (request and correlation ids) copied in. A section that fails with
an upstream error, or is not done by the deadline, is `{"status": "unavailable"}`; the
others are `{"status": "ok", ...}`. A thread still waiting on a slow upstream past the
deadline is left to its own (shorter or equal) timeout: the page does not wait for it.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from typing import Any

from portal_bff.errors import NotFound, UpstreamRejected, UpstreamUnavailable

log = logging.getLogger(__name__)
UNAVAILABLE = "unavailable"
OK = "ok"
Loader = Callable[[], dict[str, Any]]


def unavailable() -> dict[str, Any]:
    return {"status": UNAVAILABLE}


def ok(values: Mapping[str, Any]) -> dict[str, Any]:
    """A loaded section (a `status` of what was loaded, e.g. billing's customer status, gives way)."""
    return {**values, "status": OK}


class Fanout:
    def __init__(self, threads: int = 32) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="fanout")

    def gather(self, loaders: Mapping[str, Loader], *, deadline: float) -> dict[str, dict[str, Any]]:
        """Run every loader at once; each section as loaded, or unavailable, within `deadline` seconds.

        NotFound from a loader (the page's subject does not exist) is raised after all are done.
        """
        if not loaders:
            return {}
        names = list(loaders)
        # The last section runs in the calling thread: one thread hop fewer per page.
        futures: dict[str, Future] = {
            name: self._pool.submit(contextvars.copy_context().run, loaders[name]) for name in names[:-1]
        }
        started = time.monotonic()
        sections = {names[-1]: _settle(names[-1], lambda: loaders[names[-1]]())}
        remaining = max(0.0, deadline - (time.monotonic() - started))
        wait_for_futures(futures.values(), timeout=remaining)
        for name, future in futures.items():
            if future.done():
                sections[name] = _settle(name, future.result)
            else:
                log.warning("section %s not loaded within %.0f ms", name, deadline * 1000)
                sections[name] = unavailable()
        not_found = [s for s in sections.values() if isinstance(s, NotFound)]
        if not_found:
            raise not_found[0]
        return {name: sections[name] for name in names}

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _settle(name: str, result: Callable[[], dict[str, Any]]) -> Any:
    try:
        return ok(result())
    except NotFound as error:
        return error
    except (UpstreamUnavailable, UpstreamRejected) as error:
        log.warning("section %s unavailable: %s", name, error)
        return unavailable()
