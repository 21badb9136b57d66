"""The Services pages: services with their Online status, hardware, one service, usage statistics and
CAP/FUP counters; ordering new products and changing plans where the portal config offers them."""

from datetime import UTC, date, datetime, timedelta

UNAVAILABLE = {"status": "unavailable"}
ORDERING = {"services": {"allow_order_new_products": True, "allow_plan_change": True}}


def offer(seed, name: str = "Fibre 900", price: str = "45.00", **fields) -> dict:
    """A plan the partner offers customers to order themselves."""
    body = {
        "kind": "internet",
        "name": name,
        "price": price,
        "self_service": True,
        "internet": {"download_mbps": 900, "upload_mbps": 100, "limit": None},
    }
    return seed.admin("billing", "POST", "/admin/v1/plans", json=body | fields).json()


def orders_in_billing(seed, customer: dict) -> list[dict]:
    return seed.admin("billing", "GET", f"/v1/customers/{customer['id']}/orders").json()["items"]


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


def test_a_services_counters(jane, customer, seed):
    fibre = seed.internet_service(customer["id"], description="Home fibre", cap_gb=100)
    seed.internet_service(customer["id"], description="Office fibre", cap_gb=50)

    page = jane.get(f"/api/v1/services/{fibre['id']}/counters").get_json()

    assert page["service"]["item"]["description"] == "Home fibre"
    [counter] = page["counters"]["items"]
    assert counter["service_id"] == fibre["id"]
    assert (counter["limit_type"], counter["limit_bytes"], counter["exceeded"]) == ("cap", 100 * 10**9, False)


def test_the_offers_of_the_partner_where_ordering_is_offered(jane, customer, seed, configure):
    configure(customer["partner_id"], ORDERING)
    offer(seed, "Fibre 900", "45.00")
    seed.admin("billing", "POST", "/admin/v1/plans", json={"kind": "custom", "name": "Back office", "price": "5.00"})

    page = jane.get("/api/v1/services/offers").get_json()
    voice = jane.get("/api/v1/services/offers?kind=voice").get_json()

    [item] = page["offers"]["items"]  # not the plan kept for operators
    assert (item["name"], item["price"], item["kind"]) == ("Fibre 900", "45.00", "internet")
    assert item["internet"]["download_mbps"] == 900 and item["price_with_tax"]
    assert voice["offers"] == {"status": "ok", "items": []}


def test_an_order_is_previewed_then_placed_once_per_key(jane, customer, seed, configure):
    configure(customer["partner_id"], ORDERING)
    plan = offer(seed)
    form = {"plan_id": plan["id"], "quantity": 2}

    quote = jane.post("/api/v1/services/orders/preview", json=form)
    assert orders_in_billing(seed, customer) == []
    placed = jane.post("/api/v1/services/orders", json=form, headers={"Idempotency-Key": "order-1"})
    again = jane.post("/api/v1/services/orders", json=form, headers={"Idempotency-Key": "order-1"})

    assert quote.status_code == 200, quote.get_json()
    assert (quote.get_json()["plan"]["name"], quote.get_json()["quantity"]) == ("Fibre 900", 2)
    assert quote.get_json()["total_now"] and quote.get_json()["monthly"]["total"]
    assert placed.status_code == again.status_code == 201, placed.get_json()
    order = placed.get_json()
    assert again.get_json()["id"] == order["id"]
    assert (order["kind"], order["status"], order["quantity"]) == ("new_service", "completed", 2)
    assert not {"customer_id", "requested_by"} & set(order)
    [held] = orders_in_billing(seed, customer)
    assert (held["id"], held["new_service_id"]) == (order["id"], order["new_service_id"])
    [service] = jane.get("/api/v1/services").get_json()["services"]["items"]
    assert service["id"] == order["new_service_id"] and service["plan_name"] == "Fibre 900"


def test_an_order_shows_on_the_dashboard_at_once(jane, customer, seed, configure):
    configure(customer["partner_id"], ORDERING)
    plan = offer(seed)
    assert jane.get("/api/v1/dashboard").get_json()["services"]["items"] == []

    with seed.held():  # billing's events wait: only the portal's own record of the write can tell
        assert jane.post("/api/v1/services/orders", json={"plan_id": plan["id"]}).status_code == 201
        [service] = jane.get("/api/v1/dashboard").get_json()["services"]["items"]

    assert service["plan_name"] == "Fibre 900"


def test_a_plan_change_is_previewed_then_made(jane, customer, seed, configure):
    configure(customer["partner_id"], ORDERING)
    started = (datetime.now(UTC).date() - timedelta(days=10)).isoformat()
    fibre = seed.internet_service(customer["id"], description="Home fibre", start_date=started)
    plan = offer(seed)
    path = f"/api/v1/services/{fibre['id']}/plan-change"

    quote = jane.post(f"{path}/preview", json={"plan_id": plan["id"]})
    changed = jane.post(path, json={"plan_id": plan["id"]}, headers={"Idempotency-Key": "change-1"})

    assert quote.status_code == 200 and quote.get_json()["plan"]["name"] == "Fibre 900"
    assert changed.status_code == 201, changed.get_json()
    assert (changed.get_json()["kind"], changed.get_json()["service_id"]) == ("plan_change", fibre["id"])
    replaced = jane.get(f"/api/v1/services/{changed.get_json()['new_service_id']}").get_json()["service"]["item"]
    assert replaced["plan_name"] == "Fibre 900"


def test_ordering_and_plan_changes_are_404_unless_the_config_offers_them(jane, customer, seed, problem):
    fibre = seed.internet_service(customer["id"])
    plan = offer(seed)

    problem(jane.get("/api/v1/services/offers"), 404)
    problem(jane.post("/api/v1/services/orders/preview", json={"plan_id": plan["id"]}), 404)
    problem(jane.post("/api/v1/services/orders", json={"plan_id": plan["id"]}), 404)
    problem(jane.post(f"/api/v1/services/{fibre['id']}/plan-change", json={"plan_id": plan["id"]}), 404)
    assert orders_in_billing(seed, customer) == []


def test_a_bad_order_is_refused_and_orders_nothing(jane, customer, seed, configure, upstreams, problem):
    configure(customer["partner_id"], ORDERING)
    plan = offer(seed)
    asked = upstreams["billing"].proxy.connections

    for form, field in [
        ({"plan_id": "one"}, "plan_id"),
        ({"plan_id": plan["id"], "quantity": 0}, "quantity"),
        ({"plan_id": plan["id"], "start_date": "soon"}, "start_date"),
        ({"plan_id": plan["id"], "price": "0.00"}, "price"),
    ]:
        assert field in problem(jane.post("/api/v1/services/orders", json=form), 422)["errors"], form
    assert upstreams["billing"].proxy.connections == asked
    staff = {"kind": "custom", "name": "Staff", "price": "1.00"}
    private = seed.admin("billing", "POST", "/admin/v1/plans", json=staff).json()
    refused = problem(jane.post("/api/v1/services/orders", json={"plan_id": private["id"]}), 422)
    assert "plan_id" in refused["errors"]  # billing's: not offered to customers
    assert orders_in_billing(seed, customer) == []


def test_another_customers_service_is_not_found_for_counters_and_plan_changes(jane, customer, seed, configure, problem):
    configure(customer["partner_id"], ORDERING)
    other = seed.customer("john.roe")
    theirs = seed.internet_service(other["id"], description="John's line", cap_gb=10)
    plan = offer(seed)

    problem(jane.get(f"/api/v1/services/{theirs['id']}/counters"), 404)
    problem(jane.post(f"/api/v1/services/{theirs['id']}/plan-change/preview", json={"plan_id": plan["id"]}), 404)
    problem(jane.post(f"/api/v1/services/{theirs['id']}/plan-change", json={"plan_id": plan["id"]}), 404)
    assert orders_in_billing(seed, other) == []


def test_a_hidden_services_module_takes_no_order(jane, customer, seed, configure, problem):
    configure(customer["partner_id"], ORDERING | {"menu": {"services": False}})
    fibre = seed.internet_service(customer["id"])
    plan = offer(seed)

    problem(jane.get("/api/v1/services/offers"), 404)
    problem(jane.get(f"/api/v1/services/{fibre['id']}/counters"), 404)
    problem(jane.post("/api/v1/services/orders", json={"plan_id": plan["id"]}), 404)
    assert orders_in_billing(seed, customer) == []


def test_a_read_only_impersonation_orders_nothing(customer, seed, configure, impersonating, problem):
    configure(customer["partner_id"], ORDERING)
    fibre = seed.internet_service(customer["id"])
    plan = offer(seed)
    operator = impersonating(customer)

    assert operator.get("/api/v1/services/offers").status_code == 200
    for path in ("/api/v1/services/orders", f"/api/v1/services/{fibre['id']}/plan-change"):
        assert problem(operator.post(path, json={"plan_id": plan["id"]}), 403)["title"] == "Read-only session"
    assert orders_in_billing(seed, customer) == []
