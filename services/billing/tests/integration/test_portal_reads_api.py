"""What a customer reads of their services, hardware and usage; another customer's is not found."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billing.models import GB
from billing.periods import period_name, period_of
from billing.sessions import SessionStart, start_session
from billing.usage import Sample, record_usage
from billing.voice import Call, record_call

FUP_1GB = {
    "download_mbps": 100,
    "upload_mbps": 20,
    "limit": {"type": "fup", "traffic_gb": 1, "reduced_download_mbps": 5, "reduced_upload_mbps": 1},
}


@pytest.fixture
def world(client, operator, make_customer, make_plan, make_service):
    """Jane with an online FUP internet service, a voice service, a stopped one and a router; John with his own."""
    jane, john = make_customer(status="active"), make_customer(login="john", status="active")
    fup, voice, custom = make_plan("internet", internet=FUP_1GB), make_plan("voice"), make_plan("custom")
    internet = make_service(jane["id"], fup["id"])
    phone = make_service(jane["id"], voice["id"])
    stopped = make_service(jane["id"], make_plan("internet", name="Old")["id"], status="paused")
    client.patch(f"/admin/v1/services/{stopped['id']}", json={"status": "stopped"}, headers=operator)
    johns = make_service(john["id"], custom["id"])
    router = {"product_name": "Router", "ownership": "rented", "price": "4.00"}
    client.post(f"/admin/v1/customers/{jane['id']}/hardware", json=router, headers=operator)
    return {"jane": jane, "john": john, "internet": internet, "phone": phone, "stopped": stopped, "johns": johns}


def report(db, world, now):
    with db.transaction() as session:
        start_session(session, SessionStart(world["internet"]["id"], "s1", "10.0.0.5", "nas-1", now))
        sample = Sample(world["internet"]["id"], "u1", now - timedelta(minutes=3), now, 2 * GB, GB // 2)
        record_usage(session, sample, now=now)
        record_call(session, Call(world["phone"]["id"], "c1", now, 61, "+442079460000", Decimal("0.0300")))


def test_services_show_whether_they_are_online(client, as_customer, db, world):
    report(db, world, datetime.now(UTC))
    jane = world["jane"]["id"]

    listed = client.get(f"/v1/customers/{jane}/services", headers=as_customer(jane)).get_json()

    online = {s["id"]: s["online"] for s in listed["items"]}
    assert online == {world["internet"]["id"]: True, world["phone"]["id"]: False, world["stopped"]["id"]: False}
    one = client.get(f"/v1/customers/{jane}/services/{world['phone']['id']}", headers=as_customer(jane)).get_json()
    assert (one["plan_kind"], one["price"], one["online"]) == ("voice", "5.00", False)
    hardware = client.get(f"/v1/customers/{jane}/hardware", headers=as_customer(jane)).get_json()
    assert [(h["product_name"], h["price"]) for h in hardware["items"]] == [("Router", "4.00")]


def test_the_dashboard_counters_show_a_fup_slowed_down(client, as_customer, db, world):
    now = datetime.now(UTC)
    report(db, world, now)
    jane = world["jane"]["id"]

    [counter] = client.get(f"/v1/customers/{jane}/usage", headers=as_customer(jane)).get_json()

    start = period_of(now.date())
    assert counter["service_id"] == world["internet"]["id"]
    assert (counter["period"], counter["period_start"]) == (period_name(start), start.isoformat())
    assert (counter["limit_type"], counter["limit_bytes"], counter["used_bytes"]) == ("fup", GB, 2 * GB + GB // 2)
    assert (counter["bonus_bytes"], counter["bonus_used_bytes"], counter["used_percent"]) == (0, 0, 250.0)
    assert (counter["exceeded"], counter["download_mbps"], counter["upload_mbps"]) == (True, 5, 1)


def test_daily_minute_and_call_series(client, as_customer, db, world):
    now = datetime.now(UTC)
    report(db, world, now)
    jane, internet, phone = world["jane"]["id"], world["internet"]["id"], world["phone"]["id"]
    headers = as_customer(jane)
    today, yesterday = now.date(), now.date() - timedelta(days=1)
    days = f"from={yesterday.isoformat()}&to={today.isoformat()}"

    traffic = client.get(f"/v1/customers/{jane}/services/{internet}/usage/daily?{days}", headers=headers).get_json()
    minutes = client.get(f"/v1/customers/{jane}/services/{internet}/usage/minutes", headers=headers).get_json()
    calls = client.get(f"/v1/customers/{jane}/services/{phone}/voice/daily?{days}", headers=headers).get_json()

    assert [t["day"] for t in traffic] == [yesterday.isoformat(), today.isoformat()]
    assert sum(t["bytes_in"] for t in traffic) == 2 * GB
    assert len(minutes) == 60 and sum(m["bytes_out"] for m in minutes) == GB // 2
    assert minutes[-1]["minute"].endswith("+00:00")
    assert calls[-1] == {"day": today.isoformat(), "calls": 1, "seconds": 61, "minutes": 2, "cost": "0.0300"}
    assert calls[0]["calls"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "",
        "from=2026-11-10",
        "from=2026-11-10&to=2026-11-09",
        "from=2025-01-01&to=2026-01-02",  # 367 days
        "from=yesterday&to=2026-11-09",
        "from=2026-11-01&to=2026-11-02&extra=1",
    ],
)
def test_bad_day_ranges_are_refused(client, as_customer, world, query):
    jane, internet = world["jane"]["id"], world["internet"]["id"]
    response = client.get(f"/v1/customers/{jane}/services/{internet}/usage/daily?{query}", headers=as_customer(jane))
    assert response.status_code == 422
    assert response.get_json()["errors"]


@pytest.mark.parametrize("minutes", ["4", "1441", "x", "0"])
def test_the_minute_series_is_5_to_1440_minutes(client, as_customer, world, minutes):
    jane, internet = world["jane"]["id"], world["internet"]["id"]
    url = f"/v1/customers/{jane}/services/{internet}/usage/minutes?minutes={minutes}"
    assert client.get(url, headers=as_customer(jane)).status_code == 422


def test_statistics_of_the_wrong_kind_of_service_are_refused(client, as_customer, world):
    jane, internet, phone = world["jane"]["id"], world["internet"]["id"], world["phone"]["id"]
    days = "from=2026-11-01&to=2026-11-02"
    headers = as_customer(jane)
    assert client.get(f"/v1/customers/{jane}/services/{phone}/usage/daily?{days}", headers=headers).status_code == 422
    assert client.get(f"/v1/customers/{jane}/services/{phone}/usage/minutes", headers=headers).status_code == 422
    assert (
        client.get(f"/v1/customers/{jane}/services/{internet}/voice/daily?{days}", headers=headers).status_code == 422
    )


def customer_scoped_urls(world) -> list[str]:
    jane, internet, phone = world["jane"]["id"], world["internet"]["id"], world["phone"]["id"]
    days = "from=2026-11-01&to=2026-11-02"
    return [
        f"/v1/customers/{jane}/services",
        f"/v1/customers/{jane}/services/{internet}",
        f"/v1/customers/{jane}/hardware",
        f"/v1/customers/{jane}/usage",
        f"/v1/customers/{jane}/services/{internet}/usage/daily?{days}",
        f"/v1/customers/{jane}/services/{internet}/usage/minutes",
        f"/v1/customers/{jane}/services/{phone}/voice/daily?{days}",
    ]


def test_another_customers_token_finds_nothing_anywhere(client, as_customer, world):
    john = as_customer(world["john"]["id"])
    for url in customer_scoped_urls(world):
        response = client.get(url, headers=john)
        assert response.status_code == 404, url
        assert response.mimetype == "application/problem+json"


def test_a_customer_cannot_reach_another_customers_service_through_their_own_id(client, as_customer, world):
    john = world["john"]
    janes_services = [world["internet"]["id"], world["phone"]["id"]]
    days = "from=2026-11-01&to=2026-11-02"
    for service_id in janes_services:
        for tail in ("", "/usage/minutes", f"/usage/daily?{days}", f"/voice/daily?{days}"):
            url = f"/v1/customers/{john['id']}/services/{service_id}{tail}"
            assert client.get(url, headers=as_customer(john["id"])).status_code == 404, url


def test_operators_read_the_same_and_unknown_customers_are_404(client, operator, world):
    for url in customer_scoped_urls(world):
        assert client.get(url, headers=operator).status_code == 200, url
        assert (
            client.get(
                url.replace(f"/customers/{world['jane']['id']}/", "/customers/999/"), headers=operator
            ).status_code
            == 404
        )


def test_operators_set_a_periods_bonus(client, operator, db, world):
    now = datetime.now(UTC)
    report(db, world, now)
    url = f"/admin/v1/services/{world['internet']['id']}/usage"

    given = client.patch(url, json={"bonus_gb": 2}, headers=operator)

    assert given.status_code == 200
    counter = given.get_json()
    assert (counter["bonus_bytes"], counter["bonus_used_bytes"], counter["exceeded"]) == (2 * GB, GB + GB // 2, False)
    assert (counter["download_mbps"], counter["upload_mbps"]) == (100, 20)
    assert client.get(url, headers=operator).get_json() == counter
    last_month = period_of(period_of(now.date()) - timedelta(days=1))
    earlier = client.get(f"{url}?period={period_name(last_month)}", headers=operator).get_json()
    assert (earlier["used_bytes"], earlier["bonus_bytes"]) == (0, 0)
    for bad in ({"bonus_gb": -1}, {"bonus_gb": "2"}, {"bonus_gb": 1, "period": "2026-13"}, {}):
        assert client.patch(url, json=bad, headers=operator).status_code == 422, bad
    assert client.get(f"{url}?period=November", headers=operator).status_code == 422
    assert client.patch("/admin/v1/services/999/usage", json={"bonus_gb": 1}, headers=operator).status_code == 404
    phone_usage = f"/admin/v1/services/{world['phone']['id']}/usage"
    assert client.patch(phone_usage, json={"bonus_gb": 1}, headers=operator).status_code == 422
    assert client.get(phone_usage, headers=operator).status_code == 422


def test_the_period_of_a_day_is_its_month():
    assert period_name(period_of(date(2026, 11, 23))) == "2026-11"
