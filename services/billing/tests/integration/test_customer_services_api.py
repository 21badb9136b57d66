"""Operators sell plans to customers; every change is an event and a line on the timeline."""

import pytest

from billing.models import Activity, CustomerService, outbox


@pytest.fixture
def internet_plan(make_plan):
    return make_plan("internet")


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


def test_a_new_service_takes_the_plans_price_and_name_and_is_announced(
    client, operator, customer, internet_plan, outbox_events
):
    response = client.post(
        f"/admin/v1/customers/{customer['id']}/services",
        json={"plan_id": internet_plan["id"], "login": "jane-fibre", "ip": "10.0.0.5", "start_date": "2026-11-01"},
        headers=operator,
    )

    assert response.status_code == 201
    service = response.get_json()
    assert service["price"] == "25.00"
    assert service["description"] == "Fibre 100"
    assert (service["quantity"], service["discount_percent"]) == (1, "0.00")
    assert (service["status"], service["online"], service["revision"]) == ("active", False, 1)
    assert (service["plan_kind"], service["plan_name"]) == ("internet", "Fibre 100")
    [event] = outbox_events("billing.service.created")
    assert event["data"]["id"] == service["id"]
    assert event["data"]["customer_id"] == customer["id"]
    assert event["data"]["price"] == "25.00"
    assert event["data"]["start_date"] == "2026-11-01"
    assert event["data"]["login"] == "jane-fibre"


def test_changes_bump_the_revision_and_carry_the_changed_fields(
    client, operator, customer, internet_plan, make_service, outbox_events
):
    service = make_service(customer["id"], internet_plan["id"])
    url = f"/admin/v1/services/{service['id']}"

    changed = client.patch(url, json={"price": "20.00", "discount_percent": "12.5", "quantity": 2}, headers=operator)

    assert changed.status_code == 200
    assert changed.get_json()["revision"] == 2
    assert changed.get_json()["discount_percent"] == "12.50"
    [update] = outbox_events("billing.service.updated")
    assert update["data"]["revision"] == 2
    assert update["data"]["changed"] == ["price", "quantity", "discount_percent"]
    same = client.patch(url, json={"price": "20.00"}, headers=operator)
    assert same.get_json()["revision"] == 2
    assert len(outbox_events("billing.service.updated")) == 1


def test_status_moves_between_active_and_paused_and_stopped_is_final(
    client, operator, customer, internet_plan, make_service, outbox_events
):
    service = make_service(customer["id"], internet_plan["id"])
    url = f"/admin/v1/services/{service['id']}"

    assert client.patch(url, json={"status": "paused"}, headers=operator).status_code == 200
    assert client.patch(url, json={"status": "active"}, headers=operator).status_code == 200
    assert client.patch(url, json={"status": "stopped"}, headers=operator).status_code == 200
    for change in ({"status": "active"}, {"status": "paused"}, {"description": "Back again"}):
        refused = client.patch(url, json=change, headers=operator)
        assert refused.status_code == 409, change
        assert refused.mimetype == "application/problem+json"

    assert client.get(url, headers=operator).get_json()["status"] == "stopped"
    moves = [
        (e["data"]["old_status"], e["data"]["new_status"]) for e in outbox_events("billing.service.status_changed")
    ]
    assert moves == [("active", "paused"), ("paused", "active"), ("active", "stopped")]
    revisions = [e["data"]["revision"] for e in outbox_events("billing.service.status_changed")]
    assert revisions == [2, 3, 4]


def test_a_service_cannot_start_stopped(client, operator, customer, internet_plan, count_rows):
    url = f"/admin/v1/customers/{customer['id']}/services"
    response = client.post(url, json={"plan_id": internet_plan["id"], "status": "stopped"}, headers=operator)
    assert response.status_code == 422
    assert count_rows(CustomerService) == 0


BAD_SERVICES = {
    "no plan": {},
    "plan as string": {"plan_id": "1"},
    "negative price": {"price": "-5.00"},
    "quantity zero": {"quantity": 0},
    "discount over 100": {"discount_percent": "100.01"},
    "discount negative": {"discount_percent": "-1"},
    "end before start": {"start_date": "2026-11-10", "end_date": "2026-11-09"},
    "not a date": {"start_date": "10/11/2026"},
    "unknown status": {"status": "online"},
    "bad ip": {"ip": "10.0.0.300"},
    "bad login": {"login": "has space"},
    "unknown field": {"speed": 100},
}


@pytest.mark.parametrize("name", BAD_SERVICES)
def test_bad_services_are_refused_and_nothing_is_written(
    client, operator, customer, internet_plan, count_rows, outbox_events, name
):
    body = {"plan_id": internet_plan["id"]} | BAD_SERVICES[name]
    if name == "no plan":
        body = {}
    response = client.post(f"/admin/v1/customers/{customer['id']}/services", json=body, headers=operator)

    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"]
    assert count_rows(CustomerService) == 0
    assert outbox_events("billing.service.created") == []


def test_login_and_ip_belong_to_internet_services_only(client, operator, customer, make_plan, count_rows):
    voice = make_plan("voice")
    url = f"/admin/v1/customers/{customer['id']}/services"
    response = client.post(url, json={"plan_id": voice["id"], "login": "jane-voice"}, headers=operator)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["login"]
    assert count_rows(CustomerService) == 0


def test_unknown_plans_and_plans_not_offered_to_the_partner_are_refused(
    client, operator, customer, make_plan, count_rows
):
    other = client.post("/admin/v1/partners", json={"name": "Fibre North"}, headers=operator).get_json()
    theirs = make_plan("custom", partner_ids=[other["id"]])
    url = f"/admin/v1/customers/{customer['id']}/services"

    for plan_id in (theirs["id"], 999):
        response = client.post(url, json={"plan_id": plan_id}, headers=operator)
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == ["plan_id"]
    assert (
        client.post("/admin/v1/customers/999/services", json={"plan_id": theirs["id"]}, headers=operator).status_code
        == 404
    )
    assert count_rows(CustomerService) == 0


def test_a_network_login_is_unique(client, operator, customer, internet_plan, make_service, count_rows):
    make_service(customer["id"], internet_plan["id"], login="jane-fibre")
    again = client.post(
        f"/admin/v1/customers/{customer['id']}/services",
        json={"plan_id": internet_plan["id"], "login": "jane-fibre"},
        headers=operator,
    )
    assert again.status_code == 409
    assert count_rows(CustomerService) == 1


def test_a_change_is_checked_against_the_whole_service(client, operator, customer, internet_plan, make_service):
    service = make_service(customer["id"], internet_plan["id"], start_date="2026-11-10")
    url = f"/admin/v1/services/{service['id']}"
    assert client.patch(url, json={"end_date": "2026-11-09"}, headers=operator).status_code == 422
    assert client.patch(url, json={"plan_id": 2}, headers=operator).status_code == 422
    assert client.patch(url, json={"end_date": "2026-11-10"}, headers=operator).status_code == 200
    assert client.patch(url, json={"end_date": None}, headers=operator).get_json()["end_date"] is None
    assert client.patch("/admin/v1/services/999", json={"quantity": 2}, headers=operator).status_code == 404


def test_every_change_lands_on_the_customers_timeline_with_its_service(
    client, operator, customer, internet_plan, make_service, db
):
    service = make_service(customer["id"], internet_plan["id"])
    url = f"/admin/v1/services/{service['id']}"
    client.patch(url, json={"description": "Fibre at home"}, headers=operator)
    client.patch(url, json={"status": "paused"}, headers=operator)

    timeline = client.get(f"/admin/v1/customers/{customer['id']}/activity", headers=operator).get_json()["items"]

    mine = [e for e in timeline if e["subject"] == {"type": "service", "id": service["id"]}]
    assert [e["action"] for e in mine] == ["service.status_changed", "service.updated", "service.created"]
    assert mine[0]["changes"] == [{"field": "status", "old": "active", "new": "paused"}]
    assert mine[1]["changes"] == [{"field": "description", "old": "Fibre 100", "new": "Fibre at home"}]
    created = {c["field"]: c["new"] for c in mine[2]["changes"]}
    assert created["price"] == "25.00" and created["plan_id"] == internet_plan["id"]
    customer_entries = [e for e in timeline if e["subject"] is None]
    assert customer_entries and all(e["action"].startswith("customer.") for e in customer_entries)


def test_services_list_pages_and_filters_by_status(client, operator, customer, make_plan, make_service):
    plan = make_plan("custom")
    made = [make_service(customer["id"], plan["id"])["id"] for _ in range(3)]
    client.patch(f"/admin/v1/services/{made[1]}", json={"status": "paused"}, headers=operator)
    url = f"/admin/v1/customers/{customer['id']}/services"

    first = client.get(f"{url}?limit=2", headers=operator).get_json()
    second = client.get(f"{url}?limit=2&cursor={first['next_cursor']}", headers=operator).get_json()
    paused = client.get(f"{url}?status=paused", headers=operator).get_json()

    assert [s["id"] for s in first["items"] + second["items"]] == made
    assert [s["id"] for s in paused["items"]] == [made[1]]
    assert client.get(f"{url}?status=gone", headers=operator).status_code == 422
    assert client.get("/admin/v1/customers/999/services", headers=operator).status_code == 404


def test_deleting_a_customer_removes_its_services(
    client, operator, make_customer, internet_plan, make_service, count_rows, db
):
    customer = make_customer(status="inactive")
    make_service(customer["id"], internet_plan["id"])
    assert client.delete(f"/admin/v1/customers/{customer['id']}", headers=operator).status_code == 204
    assert count_rows(CustomerService) == 0
    assert count_rows(Activity) > 0  # the trail stays
    assert count_rows(outbox) > 0


def test_an_operator_moves_a_service_to_another_plan_of_its_kind_only(
    client, operator, customer, make_plan, make_service, outbox_events
):
    service = make_service(customer["id"], make_plan("internet")["id"])
    faster = make_plan("internet", name="Fibre 500", price="45.00")
    voice = make_plan("voice")
    url = f"/admin/v1/services/{service['id']}"

    moved = client.patch(url, json={"plan_id": faster["id"]}, headers=operator)
    refused = client.patch(url, json={"plan_id": voice["id"]}, headers=operator)

    assert moved.status_code == 200
    assert (moved.get_json()["plan_id"], moved.get_json()["plan_name"]) == (faster["id"], "Fibre 500")
    assert outbox_events("billing.service.updated")[-1]["data"]["changed"] == ["plan_id"]
    assert refused.status_code == 422
    assert client.get(url, headers=operator).get_json()["plan_id"] == faster["id"]
