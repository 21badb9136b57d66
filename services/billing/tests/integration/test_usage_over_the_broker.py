"""Another system reports traffic and sessions through the real RabbitMQ; billing's worker counts them once."""

import json
import runpy
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pika
import pytest
from sqlalchemy import select

from billing.handlers import HANDLERS
from billing.models import GB, UsageCounter, inbox
from billing.periods import period_of
from portico.settings import load_settings
from portico.testing import running, wait_for
from portico.worker import build_consumer

EXAMPLES = Path(__file__).resolve().parents[4] / "contracts" / "examples"
CAP_10GB = {"download_mbps": 100, "upload_mbps": 20, "limit": {"type": "cap", "traffic_gb": 10}}


@pytest.fixture
def example():
    """The pika example other systems copy: `publish_event` and `usage_sample`."""
    return runpy.run_path(str(EXAMPLES / "publish_usage_with_pika.py"))


@pytest.fixture
def consumer(settings, db, broker_url):
    worker_settings = load_settings("billing", database_url=settings.database_url, broker_url=broker_url)
    return build_consumer(worker_settings, db, inbox, HANDLERS)


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


def publish_envelope(broker_url: str, envelope: dict) -> None:
    """Publish a given envelope again, as a broker redelivery or a producer's blind retry would."""
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "portico.events",
            envelope["type"],
            json.dumps(envelope).encode(),
            pika.BasicProperties(content_type="application/json", delivery_mode=2, message_id=envelope["id"]),
            mandatory=True,
        )


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def used_bytes(db, service_id: int) -> int:
    with db.reading() as session:
        row = session.get(UsageCounter, (service_id, period_of(datetime.now(UTC).date())))
        return row.used_bytes if row else 0


def test_samples_resent_and_redelivered_count_once_and_thresholds_fire_once(
    client, operator, as_customer, db, broker_url, consumer, example, customer, make_plan, make_service, outbox_events
):
    plan = make_plan("internet", name="Capped", internet=CAP_10GB)
    service = make_service(customer["id"], plan["id"])
    end = datetime.now(UTC).replace(second=0, microsecond=0)
    eight_gb = example["usage_sample"](
        service["id"], end - timedelta(minutes=10), end - timedelta(minutes=5), 8 * GB, 0
    )
    three_gb = example["usage_sample"](service["id"], end - timedelta(minutes=5), end, 2 * GB, GB)
    marker = example["usage_sample"](service["id"], end - timedelta(minutes=2), end, 0, 100, "marker")
    publish = example["publish_event"]

    with running(consumer):
        first_id = publish(broker_url, "network.usage.recorded", eight_gb, "radius")
        envelope = {
            "id": first_id,
            "type": "network.usage.recorded",
            "version": 1,
            "occurred_at": "2026-11-23T12:00:00Z",
            "producer": "radius",
            "correlation_id": first_id,
            "causation_id": None,
            "data": eight_gb,
        }
        publish_envelope(broker_url, envelope)  # the same event again
        publish(broker_url, "network.usage.recorded", eight_gb, "radius")  # the same sample, a new event id
        publish(broker_url, "network.usage.recorded", three_gb, "radius")
        publish(broker_url, "network.usage.recorded", three_gb, "radius")
        publish(broker_url, "network.usage.recorded", marker, "radius")
        wait_for(lambda: used_bytes(db, service["id"]) == 11 * GB + 100, timeout=15, message="all samples counted")
        wait_for(lambda: _inbox_rows(db) == 5, message="every distinct event recorded in the inbox")

    reached = outbox_events("billing.usage.threshold_reached")
    assert [(e["data"]["percent"], e["data"]["used_bytes"]) for e in reached] == [(80, 8 * GB), (100, 11 * GB)]
    assert all(e["causation_id"] for e in reached)  # caused by the sample's event

    headers = as_customer(customer["id"])
    [counter] = client.get(f"/v1/customers/{customer['id']}/usage", headers=headers).get_json()
    assert (counter["used_bytes"], counter["limit_bytes"], counter["exceeded"]) == (11 * GB + 100, 10 * GB, True)
    today = end.date().isoformat()
    daily = client.get(
        f"/v1/customers/{customer['id']}/services/{service['id']}/usage/daily?from={today}&to={today}", headers=headers
    ).get_json()
    if (end - timedelta(minutes=10)).date() == end.date():  # not run across midnight
        assert daily == [{"day": today, "bytes_in": 10 * GB, "bytes_out": GB + 100}]
    minutes = client.get(
        f"/v1/customers/{customer['id']}/services/{service['id']}/usage/minutes?minutes=15", headers=headers
    ).get_json()
    assert sum(m["bytes_in"] + m["bytes_out"] for m in minutes) == 11 * GB + 100
    # The eight-GB sample's five minutes, found by their time (the window may have moved on a minute).
    first_five = [
        m["bytes_in"]
        for m in minutes
        if end - timedelta(minutes=10) <= _moment(m["minute"]) < end - timedelta(minutes=5)
    ]
    assert first_five == [int(1.6 * GB)] * 5


def test_online_follows_sessions_reported_over_the_broker(
    client, as_customer, db, broker_url, consumer, example, customer, make_plan, make_service
):
    service = make_service(customer["id"], make_plan("internet")["id"])
    url = f"/v1/customers/{customer['id']}/services/{service['id']}"
    headers = as_customer(customer["id"])
    session_id = uuid.uuid4().hex
    started = {"service_id": service["id"], "session_id": session_id, "ip": "10.0.0.5", "nas": "nas-1"}
    stopped = {"service_id": service["id"], "session_id": session_id, "bytes_in": 10, "bytes_out": 5}
    now = datetime.now(UTC).isoformat()

    with running(consumer):
        example["publish_event"](broker_url, "network.session.started", started | {"started_at": now}, "radius")
        wait_for(lambda: client.get(url, headers=headers).get_json()["online"], message="the service to be online")
        example["publish_event"](broker_url, "network.session.stopped", stopped | {"stopped_at": now}, "radius")
        wait_for(lambda: not client.get(url, headers=headers).get_json()["online"], message="the service offline")
        example["publish_event"](broker_url, "network.session.stopped", stopped | {"stopped_at": now}, "radius")
        example["publish_event"](broker_url, "network.session.started", started | {"started_at": now}, "radius")
        wait_for(lambda: _inbox_rows(db) == 4, message="the late reports to be handled")

    assert client.get(url, headers=headers).get_json()["online"] is False


def _inbox_rows(db) -> int:
    with db.reading() as session:
        return len(session.execute(select(inbox.c.event_id)).all())
