"""Fixtures of the cross-service tests: the whole suite running as real processes."""

from __future__ import annotations

import pytest
from suite_harness import BrokerProxy, Suite, free_port, smtp_server

from portico.auth import operator_token
from portico.settings import DEV_JWT_SECRET


@pytest.fixture
def mail():
    controller, inbox = smtp_server(free_port())
    yield controller, inbox
    controller.stop()


@pytest.fixture
def suite(tmp_path, broker_url, mail):
    controller, _inbox = mail
    running = Suite(tmp_path, broker_url, controller.port)
    yield running
    running.stop_all()


@pytest.fixture
def inbox(mail):
    return mail[1]


@pytest.fixture
def operator():
    return {"Authorization": f"Bearer {operator_token(DEV_JWT_SECRET)}"}


@pytest.fixture
def broker_proxy():
    proxy = BrokerProxy()
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture
def proxied_suite(tmp_path, broker_url, broker_proxy, mail):
    """The suite reaching the broker through a proxy the test can take down."""
    controller, _inbox = mail
    vhost = broker_url.rsplit("/", 1)[1]
    running = Suite(tmp_path, broker_proxy.url(vhost), controller.port)
    yield running
    running.stop_all()
