"""Pytest fixtures every service's tests share: databases, an isolated broker, waiting for effects.

Load with `pytest_plugins = ["portico.testing"]`. Databases: each test that asks for
`database_backend` runs on SQLite and again on PostgreSQL (a throw-away database; skipped
only outside CI when no server answers). Broker: each test asking for `broker_url` gets a
virtual host of its own on the real RabbitMQ, deleted afterwards, so tests cannot leak
messages into each other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portico.migrations import upgrade

# Hypothesis keeps its example database out of the work tree.
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "portico-hypothesis"))

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RABBIT_HOST = os.environ.get("TEST_RABBITMQ_HOST", "127.0.0.1:5672")


def wait_for(predicate: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02, message: str = "") -> Any:
    """Poll `predicate` until it returns something truthy; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {message or predicate}")
        time.sleep(interval)


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def throwaway_postgres(prefix: str) -> Iterator[str]:
    """A new empty PostgreSQL database for the block, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"], scope="session")
def database_backend(request) -> str:
    if request.param == "postgresql" and not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL does not answer at {POSTGRES_URL}")
        pytest.skip("PostgreSQL does not answer here (it is required in CI)")
    return request.param


class MigratedDatabases:
    """One migrated database per (service, backend) for the session; emptied between tests."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.urls: dict[tuple[str, str], str] = {}
        self._postgres: list = []

    def get(self, service: str, backend: str, migrations: Path) -> str:
        key = (service, backend)
        if key not in self.urls:
            if backend == "sqlite":
                url = f"sqlite:///{self.tmp / (service + '.db')}"
            else:
                manager = throwaway_postgres(f"portico_test_{service.replace('-', '_')}")
                url = manager.__enter__()
                self._postgres.append(manager)
            upgrade(migrations, url)
            self.urls[key] = url
        url = self.urls[key]
        empty_tables(url)
        return url

    def close(self) -> None:
        for manager in self._postgres:
            manager.__exit__(None, None, None)


def empty_tables(url: str) -> None:
    """Remove every row (TRUNCATE does not fire PostgreSQL's row triggers; SQLite's triggers that
    guard rows, such as an immutable ledger's, are set aside while its tables are emptied)."""
    engine = create_engine(url)
    try:
        names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                if names:
                    conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
            else:
                conn.execute(text("PRAGMA foreign_keys=OFF"))
                triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
                for trigger, _ in triggers:
                    conn.execute(text(f'DROP TRIGGER "{trigger}"'))
                for name in names:
                    conn.execute(text(f'DELETE FROM "{name}"'))
                for _, sql in triggers:
                    conn.execute(text(sql))
                if "sqlite_sequence" in [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))]:
                    conn.execute(text("DELETE FROM sqlite_sequence"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory) -> Iterator[MigratedDatabases]:
    databases = MigratedDatabases(tmp_path_factory.mktemp("databases"))
    yield databases
    databases.close()


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def broker_url() -> Iterator[str]:
    """An AMQP URL to a fresh virtual host of the real RabbitMQ, deleted after the test."""
    if shutil.which("rabbitmqctl") is None:
        pytest.fail("rabbitmqctl is needed to make an isolated virtual host")
    vhost = f"portico-test-{uuid.uuid4().hex[:10]}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    yield f"amqp://guest:guest@{RABBIT_HOST}/{vhost}"
    # Deleting takes the broker a moment; nothing waits for it.
    subprocess.Popen(["rabbitmqctl", "-q", "delete_vhost", vhost], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def running(consumer, timeout: float = 10.0):
    """Run an EventConsumer in a thread for the block; it is consuming when the block starts."""
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    wait_for(consumer.consuming.is_set, timeout, message="the consumer to start consuming")
    try:
        yield consumer
    finally:
        consumer.stop()
        thread.join(timeout)


# -- tokens for a service under test ---------------------------------------------------
# These need a `settings` fixture (the service's Settings), which each service's conftest
# provides; a conftest may override any of them.


@pytest.fixture
def operator(settings) -> dict[str, str]:
    """Authorization headers of an operator holding every scope."""
    from portico.auth import operator_token

    return {"Authorization": f"Bearer {operator_token(settings.jwt_secret)}"}


@pytest.fixture
def as_operator(settings):
    """Authorization headers of a named operator holding every scope."""
    from portico.auth import operator_token

    def headers(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {operator_token(settings.jwt_secret, operator=name)}"}

    return headers


@pytest.fixture
def as_customer(settings):
    """Authorization headers of a customer, as the BFF would send them."""
    from portico.auth import customer_token

    def headers(customer_id: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {customer_token(settings.jwt_secret, customer_id)}"}

    return headers
