"""The signed-in customer's Reader: what the page models read the upstreams with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flask import g, has_request_context

from portal_bff import freshness
from portal_bff.api.authentication import visitor
from portal_bff.api.context import REQUEST_VERSIONS as VERSIONS
from portal_bff.api.context import fanout, record_change, section_cache, upstreams
from portal_bff.freshness import ChangeRecorder, Versions
from portal_bff.pages import Reader
from portico.web import database


def reader() -> Reader:
    me = visitor()
    return Reader(
        upstreams=upstreams(),
        fanout=fanout(),
        customer_id=me.customer_id,
        config=me.config,
        customer_status=me.account.customer_status,
        partner_id=me.account.partner_id,
        cache=section_cache(),
        versions=request_versions,
        record_change=record_change(),
    )


def request_versions() -> Versions:
    """This request's versions: read with the session (or now, once, where it was looked up otherwise),
    and moved on by the request's own writes."""
    if VERSIONS not in g:
        with database().reading() as session:
            g.setdefault(VERSIONS, freshness.current_versions(session, visitor().customer_id))
    return g.get(VERSIONS)


def remember_own_change(upstream: str, version: int | None) -> None:
    """The request changed the customer's data in `upstream`: what it reads from now on is read after that.

    Outside a request (or before its versions were read) there is nothing to move on: whatever
    reads them next reads the database, which has the change.
    """
    if not has_request_context() or VERSIONS not in g or upstream not in freshness.CUSTOMER_SCOPED:
        return
    moved = version if version is not None else freshness.new_version()  # not recorded: at least this request
    setattr(g, VERSIONS, replace(g.get(VERSIONS), **{upstream: moved}))


def own_change_recorder(recorder: ChangeRecorder) -> Callable[[int, str], None]:
    """What the upstream clients call after a customer's write: the change recorded for every process,
    and this request's versions moved on with it."""

    def record(customer_id: int, upstream: str) -> None:
        remember_own_change(upstream, recorder(customer_id, upstream))

    return record
