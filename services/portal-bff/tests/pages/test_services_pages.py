"""The Services pages: services with their Online status, hardware, one service, usage statistics."""

from datetime import UTC, date, datetime, timedelta

UNAVAILABLE = {"status": "unavailable"}


def test_the_services_page_lists_services_and_hardware(jane, customer, seed):
    fibre = seed.internet_service(customer["id"], description="Home fibre")
    seed.online(fibre["id"])
    seed.hardware(customer["id"], product_name="Router X1", serial="SN-77")

    page = jane.get("/api/v1/services").get_json()

    [service] = page["services"]["items"]
    assert service["description"] == "Home fibre"
    assert service["plan_name"].startswith("Fibre")
    assert (service["status"], service["online"], service["display_status"]) == ("active", True, "online")
    assert service["price"] == "25.00"
    assert page["services"]["next_cursor"] is None
    [device] = page["hardware"]["items"]
    assert (device["product_name"], device["serial"], device["ownership"]) == ("Router X1", "SN-77", "rented")
    assert "customer_id" not in device and "customer_id" not in service


def test_one_service_and_another_customers_service(jane, customer, seed, problem):
    mine = seed.internet_service(customer["id"], description="Home fibre")
    other = seed.customer("john.roe")
    theirs = seed.internet_service(other["id"], description="John's line")

    page = jane.get(f"/api/v1/services/{mine['id']}").get_json()

    assert page["service"]["status"] == "ok"
    assert page["service"]["item"]["description"] == "Home fibre"
    problem(jane.get(f"/api/v1/services/{theirs['id']}"), 404)
    problem(jane.get(f"/api/v1/services/{theirs['id']}/usage/daily?from=2026-01-01&to=2026-01-02"), 404)


def test_usage_statistics_per_day_and_per_minute(jane, customer, seed):
    fibre = seed.internet_service(customer["id"])
    today = datetime.now(UTC).date()
    first = today - timedelta(days=2)

    daily = jane.get(f"/api/v1/services/{fibre['id']}/usage/daily?from={first}&to={today}").get_json()
    minutes = jane.get(f"/api/v1/services/{fibre['id']}/usage/minutes?minutes=5").get_json()

    assert daily["usage"]["status"] == "ok" and daily["usage"]["kind"] == "daily"
    assert [d["day"] for d in daily["usage"]["days"]] == [str(first + timedelta(days=n)) for n in range(3)]
    assert all(d["bytes_in"] == d["bytes_out"] == 0 for d in daily["usage"]["days"])
    assert minutes["usage"]["kind"] == "minutes" and len(minutes["usage"]["minutes"]) == 5


def test_bad_usage_ranges_are_refused_before_billing_is_asked(jane, customer, seed, problem, upstreams):
    fibre = seed.internet_service(customer["id"])
    asked = upstreams["billing"].proxy.connections
    start = date(2026, 1, 10)

    body = problem(jane.get(f"/api/v1/services/{fibre['id']}/usage/daily?from={start}&to=2026-01-01"), 422)

    assert "to" in body["errors"]
    problem(jane.get(f"/api/v1/services/{fibre['id']}/usage/minutes?minutes=100000"), 422)
    assert upstreams["billing"].proxy.connections == asked


def test_billing_down_makes_the_services_page_unavailable_not_failed(jane, customer, seed, upstreams):
    seed.internet_service(customer["id"])
    upstreams["billing"].proxy.down()

    response = jane.get("/api/v1/services")

    assert response.status_code == 200
    assert response.get_json() == {"services": UNAVAILABLE, "hardware": UNAVAILABLE}


def test_a_hidden_services_module_answers_404(jane, customer, configure, problem):
    configure(customer["partner_id"], {"menu": {"services": False}})

    problem(jane.get("/api/v1/services"), 404)
