"""What the portal knows has changed upstream: one version per upstream and customer, and shared ones.

A version is a new random number each time its data is known to have changed: from an
event of the upstream (handlers.py), or right after the customer's own write through the
portal (in the same request, so their next page reads it back). Versions are only ever
compared for equality, so random numbers serve better than counters: no read-modify-write,
and a database restored from a backup can never hand an old value back to a cache that
holds it.

Pages cache sections under the versions read with the session at the start of the request
(section_cache.py); a section read again after a change is always read after the change
was committed upstream, because the upstream publishes its event, and the portal writes
its own bump, only once that is so.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_bff import upserts
from portal_bff.models import CustomerVersions, SharedVersions
from portico.db import Database

log = logging.getLogger(__name__)

# The upstreams whose sections are cached per customer (a column each in customer_versions).
CUSTOMER_SCOPED = ("billing", "ticketing", "notifications")
# What every customer sees alike (a column each in the one row of shared_versions).
NEWS = "news"
CONFIG = "config"
SHARED = (NEWS, CONFIG)
SHARED_ROW = 1


@dataclass(frozen=True)
class Versions:
    """The versions a request read with its session; None: no change heard of yet."""

    billing: int | None = None
    ticketing: int | None = None
    notifications: int | None = None
    news: int | None = None
    config: int | None = None

    def of(self, name: str) -> int | None:
        return getattr(self, name)


def new_version() -> int:
    return secrets.randbits(62)


def changed(session: Session, customer_id: int, upstreams: Iterable[str]) -> dict[str, int]:
    """The customer's data in these upstreams changed: their cached sections are to be read again.

    Returns the new versions by upstream.
    """
    values = {name: new_version() for name in set(upstreams)}
    unknown = set(values) - set(CUSTOMER_SCOPED)
    if unknown:
        raise ValueError(f"not a cached upstream: {sorted(unknown)}")
    if not values:
        return values
    table = CustomerVersions.__table__
    session.execute(
        upserts.insert(session, table)
        .values(customer_id=customer_id, **values)
        .on_conflict_do_update(index_elements=["customer_id"], set_=values)
    )
    return values


def changed_for_everyone(session: Session, names: Iterable[str]) -> None:
    """The news or the portal config changed: every customer's sections built from them are read again."""
    values = {name: new_version() for name in set(names)}
    unknown = set(values) - set(SHARED)
    if unknown:
        raise ValueError(f"not a shared version: {sorted(unknown)}")
    if not values:
        return
    table = SharedVersions.__table__
    session.execute(
        upserts.insert(session, table)
        .values(id=SHARED_ROW, **values)
        .on_conflict_do_update(index_elements=["id"], set_=values)
    )


def current_versions(session: Session, customer_id: int) -> Versions:
    """The versions as they are now (the session lookup reads them in its own query; this is for the rest)."""
    mine = session.execute(
        select(CustomerVersions.billing, CustomerVersions.ticketing, CustomerVersions.notifications).where(
            CustomerVersions.customer_id == customer_id
        )
    ).first()
    shared = session.execute(
        select(SharedVersions.news, SharedVersions.config).where(SharedVersions.id == SHARED_ROW)
    ).first()
    return Versions(**(mine._asdict() if mine else {}), **(shared._asdict() if shared else {}))


class ChangeRecorder:
    """Records, in a transaction of its own, that the customer's own write changed an upstream's data.

    Called after the upstream has answered (or failed: a write that timed out may have been
    done), never before, so that a page read after this commit reads the write back.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def __call__(self, customer_id: int, upstream: str) -> int | None:
        """The new version of the customer's data in `upstream` (None: not one whose sections are cached)."""
        if upstream not in CUSTOMER_SCOPED:
            return None
        try:
            with self._db.transaction() as session:
                return changed(session, customer_id, [upstream])[upstream]
        except Exception:
            # The upstream's own event will still say so; until it arrives, the page may lag.
            log.exception("could not record that customer %s changed %s data", customer_id, upstream)
            return None
