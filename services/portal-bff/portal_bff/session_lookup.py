"""Everything a request needs to know about its session, in one query.

The live session of the token, its account (the customer's replica), whether two-factor
sign-in is on, and the versions of the customer's upstream data and of what everyone sees
(freshness.py), which decide whether the page's cached sections are current. The
statement is built once; only the token's hash and the times change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select
from sqlalchemy.orm import Session, configure_mappers
from sqlalchemy.orm.instrumentation import manager_of_class

from portal_bff.freshness import SHARED_ROW, Versions
from portal_bff.models import CustomerVersions, PortalAccount, PortalSession, SharedVersions, TwoFactorCredential
from portal_bff.password_tokens import token_hash
from portal_bff.sessions import SessionPolicy

_SESSION = PortalSession.__table__
_ACCOUNT = PortalAccount.__table__
_MINE = CustomerVersions.__table__
_SHARED = SharedVersions.__table__
_TWO_FACTOR = TwoFactorCredential.__table__
_ACCOUNT_PREFIX = "account_"
configure_mappers()  # instances made as _detached makes them need the mappers set up
_VERSION_COLUMNS = (_MINE.c.billing, _MINE.c.ticketing, _MINE.c.notifications, _SHARED.c.news, _SHARED.c.config)

LOOKUP = (
    select(
        *_SESSION.c,
        *(column.label(_ACCOUNT_PREFIX + column.key) for column in _ACCOUNT.c),
        *_VERSION_COLUMNS,
        _TWO_FACTOR.c.confirmed_at.label("two_factor_confirmed_at"),
    )
    .select_from(
        _SESSION.join(_ACCOUNT, _ACCOUNT.c.customer_id == _SESSION.c.customer_id)
        .outerjoin(_MINE, _MINE.c.customer_id == _SESSION.c.customer_id)
        .outerjoin(_SHARED, _SHARED.c.id == SHARED_ROW)
        .outerjoin(_TWO_FACTOR, _TWO_FACTOR.c.customer_id == _SESSION.c.customer_id)
    )
    .where(
        _SESSION.c.token_hash == bindparam("token_hash"),
        _SESSION.c.revoked_at.is_(None),
        _SESSION.c.expires_at > bindparam("now"),
        _SESSION.c.last_seen_at > bindparam("idle_since"),
    )
)


@dataclass(frozen=True)
class FoundSession:
    record: PortalSession  # not attached to any database session: read, and the moment it was seen
    account: PortalAccount
    versions: Versions
    two_factor_enabled: bool


def find_session(
    session: Session | Connection, token: str, *, policy: SessionPolicy, now: datetime
) -> FoundSession | None:
    """What `sessions.find_live_session` finds, with its account, versions and two-factor state; None if ended."""
    if not token:
        return None
    row = session.execute(LOOKUP, _parameters(token, policy, now)).first()
    return _found(row._mapping) if row is not None else None


class SessionLookup:
    """`find_session` on the engine's own DBAPI connections: what every request pays, at a third of the cost.

    The statement is compiled once for the database in use, and its parameters and columns
    go through the same type processing SQLAlchemy applies (UTC timestamps as stored), but
    without a Connection and a Result around one row. A single SELECT needs no transaction:
    on SQLite it is its own (in WAL mode it never waits for a writer); on PostgreSQL the
    pool rolls back the one it opens when the connection is returned.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        dialect = engine.dialect
        compiled = LOOKUP.compile(dialect=dialect)
        self._sql = compiled.string
        self._compiled = compiled
        self._positions = compiled.positiontup if compiled.positional else None
        self._binds = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect) for bind, name in compiled.bind_names.items()
        }
        columns = list(LOOKUP.selected_columns)
        self._keys = [column.key for column in columns]
        self._results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]

    def find(self, token: str, *, policy: SessionPolicy, now: datetime) -> FoundSession | None:
        if not token:
            return None
        given = self._compiled.construct_params(_parameters(token, policy, now))
        values = {name: (process(given[name]) if process else given[name]) for name, process in self._binds.items()}
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._sql, [values[n] for n in self._positions] if self._positions else values)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool
        if row is None:
            return None
        return _found(
            {
                key: (process(value) if process else value)
                for key, process, value in zip(self._keys, self._results, row, strict=True)
            }
        )


def _parameters(token: str, policy: SessionPolicy, now: datetime) -> dict[str, Any]:
    return {"token_hash": token_hash(token), "now": now, "idle_since": now - policy.idle}


def _found(values: Mapping[str, Any]) -> FoundSession:
    return FoundSession(
        record=_detached(PortalSession, {column.key: values[column.key] for column in _SESSION.c}),
        account=_detached(PortalAccount, {c.key: values[_ACCOUNT_PREFIX + c.key] for c in _ACCOUNT.c}),
        versions=Versions(**{column.key: values[column.key] for column in _VERSION_COLUMNS}),
        two_factor_enabled=values["two_factor_confirmed_at"] is not None,
    )


def _detached(model: type, values: dict[str, Any]) -> Any:
    """An instance of `model` holding `values`, as the ORM's own loading makes one (no attribute events):
    every request makes two, and the constructor's events cost more than the query's row."""
    instance = manager_of_class(model).new_instance()
    instance.__dict__.update(values)
    return instance
