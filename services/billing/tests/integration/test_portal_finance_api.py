"""What the portal reads of a customer's money, and that a customer sees only their own."""

import pytest


@pytest.fixture
def billed(client, operator, make_customer, make_plan, make_service):
    """A customer billed for two months, with a price change and a new service in the second."""
    customer = make_customer(status="active")
    internet = make_service(customer["id"], make_plan("internet", price="25.00")["id"], start_date="2026-10-01")
    client.post("/admin/v1/billing-runs", json={"date": "2026-10-01"}, headers=operator)
    client.patch(f"/admin/v1/services/{internet['id']}", json={"price": "30.00"}, headers=operator)
    make_service(customer["id"], make_plan("custom")["id"], start_date="2026-10-16")
    client.post("/admin/v1/billing-runs", json={"date": "2026-11-01"}, headers=operator)
    return customer


def test_the_bill_explainer_names_the_new_service_its_part_period_and_the_price_change(client, operator, billed):
    november, october = client.get(f"/v1/customers/{billed['id']}/invoices", headers=operator).get_json()["items"]

    explained = client.get(f"/v1/customers/{billed['id']}/invoices/{november['id']}/explanation", headers=operator)

    assert explained.status_code == 200
    body = explained.get_json()
    assert body["previous"]["number"] == october["number"]
    # Static IP 3.50 a month: 16 of 31 October days prorated = 1.81, then November whole.
    assert body["difference"] == "10.31"
    assert [(c["kind"], c["net_amount"]) for c in body["changes"]] == [
        ("price_changed", "5.00"),
        ("new", "3.50"),
        ("proration", "1.81"),
    ]


def test_a_customer_reads_their_own_finances_and_gets_404_for_anothers(client, billed, make_customer, as_customer):
    other = make_customer(status="active", login="other")
    own, theirs = as_customer(billed["id"]), as_customer(other["id"])
    invoices = client.get(f"/v1/customers/{billed['id']}/invoices", headers=own).get_json()["items"]

    assert client.get(f"/v1/customers/{billed['id']}/summary", headers=own).status_code == 200
    assert client.get(f"/v1/customers/{billed['id']}/invoices/{invoices[0]['id']}", headers=own).status_code == 200
    for path in ("summary", "invoices", f"invoices/{invoices[0]['id']}", "payments", "proformas", "profile"):
        assert client.get(f"/v1/customers/{billed['id']}/{path}", headers=theirs).status_code == 404, path
    # Their own id with someone else's invoice is as absent as a made-up one.
    assert client.get(f"/v1/customers/{other['id']}/invoices/{invoices[0]['id']}", headers=theirs).status_code == 404


def test_the_invoice_list_filters_by_status_and_date(client, operator, billed):
    url = f"/v1/customers/{billed['id']}/invoices"

    open_invoices = client.get(url, query_string={"status": ["unpaid", "overdue"]}, headers=operator).get_json()
    assert [invoice["status"] for invoice in open_invoices["items"]] == ["unpaid", "overdue"]
    assert client.get(url, query_string={"status": "paid"}, headers=operator).get_json()["items"] == []
    november = client.get(url, query_string={"issued_from": "2026-10-15"}, headers=operator).get_json()["items"]
    assert [invoice["issued_on"] for invoice in november] == ["2026-11-01"]
    assert client.get(url, query_string={"status": "sideways"}, headers=operator).status_code == 422
    assert client.get(url, query_string={"issued_from": "yesterday"}, headers=operator).status_code == 422


def test_a_customer_changes_their_contacts_but_not_their_name_or_status(client, billed, as_customer, outbox_events):
    own = as_customer(billed["id"])
    url = f"/v1/customers/{billed['id']}/profile"

    changed = client.patch(url, json={"phones": ["+44 20 7946 0999"], "city": "Shelbyville"}, headers=own)

    assert changed.status_code == 200
    assert (changed.get_json()["phones"], changed.get_json()["city"]) == (["+44 20 7946 0999"], "Shelbyville")
    assert outbox_events("billing.customer.updated")[-1]["data"]["changed"] == ["city", "phones"]
    for refused in ({"full_name": "Someone Else"}, {"status": "active"}, {"emails": ["not-an-email"]}):
        assert client.patch(url, json=refused, headers=own).status_code == 422
    assert client.get(url, headers=own).get_json()["full_name"] == "Jane Doe"
