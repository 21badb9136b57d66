"""Operators record the hardware at customers' premises: rented, sold or assigned."""

import pytest

from billing.models import Hardware

ROUTER = {"product_name": "Router AX3000", "serial": "SN-0001", "ownership": "rented", "price": "4.00"}


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


def test_rented_sold_and_assigned_hardware(client, operator, customer):
    url = f"/admin/v1/customers/{customer['id']}/hardware"
    rented = client.post(url, json=ROUTER | {"assigned_date": "2026-11-01"}, headers=operator)
    sold = client.post(url, json={"product_name": "ONT", "ownership": "sold", "price": "60.00"}, headers=operator)
    lent = client.post(url, json={"product_name": "Set-top box", "ownership": "assigned"}, headers=operator)

    assert [r.status_code for r in (rented, sold, lent)] == [201, 201, 201]
    item = client.get(f"/admin/v1/hardware/{rented.get_json()['id']}", headers=operator).get_json()
    assert item | {"id": 0, "created_at": "", "updated_at": ""} == {
        "id": 0,
        "customer_id": customer["id"],
        "product_name": "Router AX3000",
        "serial": "SN-0001",
        "ownership": "rented",
        "status": "active",
        "price": "4.00",
        "assigned_date": "2026-11-01",
        "created_at": "",
        "updated_at": "",
    }
    assert lent.get_json()["price"] is None
    listed = client.get(url, headers=operator).get_json()
    assert [i["product_name"] for i in listed["items"]] == ["Router AX3000", "ONT", "Set-top box"]


BAD_HARDWARE = {
    "no product": {"ownership": "sold", "price": "1.00"},
    "unknown ownership": {"product_name": "X", "ownership": "leased", "price": "1.00"},
    "rented without price": {"product_name": "X", "ownership": "rented"},
    "sold with null price": {"product_name": "X", "ownership": "sold", "price": None},
    "assigned with a price": {"product_name": "X", "ownership": "assigned", "price": "1.00"},
    "negative price": {"product_name": "X", "ownership": "sold", "price": "-1.00"},
    "unknown status": {"product_name": "X", "ownership": "assigned", "status": "lost"},
    "bad date": {"product_name": "X", "ownership": "assigned", "assigned_date": "yesterday"},
}


@pytest.mark.parametrize("name", BAD_HARDWARE)
def test_bad_hardware_is_refused_and_nothing_is_written(client, operator, customer, count_rows, name):
    response = client.post(f"/admin/v1/customers/{customer['id']}/hardware", json=BAD_HARDWARE[name], headers=operator)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"]
    assert count_rows(Hardware) == 0


def test_changes_and_removal_land_on_the_timeline(client, operator, customer, count_rows):
    item = client.post(f"/admin/v1/customers/{customer['id']}/hardware", json=ROUTER, headers=operator).get_json()
    url = f"/admin/v1/hardware/{item['id']}"

    assert client.patch(url, json={"status": "faulty"}, headers=operator).get_json()["status"] == "faulty"
    assert client.patch(url, json={"ownership": "sold"}, headers=operator).status_code == 200
    assert client.patch(url, json={"ownership": "assigned"}, headers=operator).get_json()["price"] is None
    assert client.patch(url, json={"ownership": "rented"}, headers=operator).status_code == 422
    assert client.delete(url, headers=operator).status_code == 204
    assert client.get(url, headers=operator).status_code == 404
    assert count_rows(Hardware) == 0

    timeline = client.get(f"/admin/v1/customers/{customer['id']}/activity", headers=operator).get_json()["items"]
    mine = [e for e in timeline if e["subject"] == {"type": "hardware", "id": item["id"]}]
    assert [e["action"] for e in mine] == [
        "hardware.removed",
        "hardware.updated",
        "hardware.updated",
        "hardware.updated",
        "hardware.added",
    ]
    assert mine[3]["changes"] == [{"field": "status", "old": "active", "new": "faulty"}]
    assert mine[1]["changes"] == [
        {"field": "ownership", "old": "sold", "new": "assigned"},
        {"field": "price", "old": "4.00", "new": None},
    ]
    assert {"field": "serial", "old": "SN-0001", "new": None} in mine[0]["changes"]


def test_unknown_customers_and_items_are_404(client, operator):
    assert client.post("/admin/v1/customers/999/hardware", json=ROUTER, headers=operator).status_code == 404
    assert client.get("/admin/v1/customers/999/hardware", headers=operator).status_code == 404
    assert client.patch("/admin/v1/hardware/999", json={"status": "faulty"}, headers=operator).status_code == 404
    assert client.delete("/admin/v1/hardware/999", headers=operator).status_code == 404
