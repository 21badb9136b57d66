"""Order new products and change plans: the quote, at once or after approval, and what the next invoice charges."""

from datetime import UTC, datetime

import pytest

from billing.api.clock import CLOCK
from billing.models import CustomerService
from billing.order_models import ProductOrder

TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # November's cycle (billing day 1) has 30 days


@pytest.fixture
def clock(app):
    """The app's clock, frozen at TODAY; `clock.now = ...` moves it."""

    class Frozen:
        now = TODAY

    app.extensions[CLOCK] = lambda: Frozen.now
    return Frozen


@pytest.fixture
def billed_partner(client, operator, partner):
    response = client.patch(f"/admin/v1/partners/{partner['id']}", json={"vat_rate": "20.00"}, headers=operator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def customer(billed_partner, make_customer, clock):
    return make_customer(status="active", billing_day=1)


@pytest.fixture
def me(as_customer, customer):
    return as_customer(customer["id"])


@pytest.fixture
def offered(make_plan):
    """A self-service plan (internet unless said), orderable by the test partner's customers."""

    def make(name: str, price: str, kind: str = "internet", **changes) -> dict:
        return make_plan(kind, name=name, price=price, self_service=True, **changes)

    return make


@pytest.fixture
def run(client, operator):
    def run_for(day: str) -> dict:
        response = client.post("/admin/v1/billing-runs", json={"date": day}, headers=operator)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return run_for


def invoice_lines(client, operator, customer_id: int, issued_on: str) -> list[dict]:
    invoices = client.get(f"/admin/v1/customers/{customer_id}/invoices", headers=operator).get_json()["items"]
    [invoice] = [i for i in invoices if i["issued_on"] == issued_on and i["document_type"] == "invoice"]
    return client.get(f"/admin/v1/invoices/{invoice['id']}", headers=operator).get_json()["lines"]


def services_of(client, customer_id: int, headers: dict) -> list[dict]:
    return client.get(f"/v1/customers/{customer_id}/services", headers=headers).get_json()["items"]


def test_offers_are_the_self_service_plans_of_the_customers_partner(client, operator, customer, me, make_plan, offered):
    fibre = offered("Fibre 100", "25.00")
    make_plan("custom", name="Back office only", price="9.00")
    other_partner = client.post("/admin/v1/partners", json={"name": "Elsewhere"}, headers=operator).get_json()
    offered("Elsewhere Fibre", "20.00", partner_ids=[other_partner["id"]])

    offers = client.get(f"/v1/customers/{customer['id']}/offers", headers=me).get_json()["items"]

    assert [(o["id"], o["price"], o["tax_rate"], o["price_with_tax"]) for o in offers] == [
        (fibre["id"], "25.00", "20.00", "30.00")
    ]
    assert offers[0]["internet"]["download_mbps"] == 100


def test_the_preview_prorates_the_rest_of_the_cycle_and_the_next_invoice_charges_exactly_that(
    client, operator, customer, me, make_plan, make_service, offered, run, count_rows
):
    make_service(customer["id"], make_plan("custom", name="Static IP", price="3.50")["id"], start_date="2026-11-01")
    run("2026-11-01")  # November is invoiced: a new service is charged with December's invoice
    fibre = offered("Fibre 100", "25.00")
    body = {"plan_id": fibre["id"], "quantity": 2}

    preview = client.post(f"/v1/customers/{customer['id']}/orders/preview", json=body, headers=me)

    assert preview.status_code == 200, preview.get_json()
    quote = preview.get_json()
    # 8 of November's 30 days: round(25 * 30/30) - round(25 * 22/30) = 25.00 - 18.33 = 6.67 a unit;
    # two units 13.34, tax 20 % of it 2.668 -> 2.67.
    assert quote["rest_of_cycle"] == {
        "period_start": "2026-11-23",
        "period_end": "2026-11-30",
        "days": 8,
        "net_amount": "13.34",
        "tax_amount": "2.67",
        "total": "16.01",
    }
    assert quote["total_now"] == "16.01"
    assert quote["monthly"] == {"net_amount": "50.00", "tax_amount": "10.00", "total": "60.00"}
    assert (quote["effective_date"], quote["next_invoice_on"], quote["billing"]) == (
        "2026-11-23",
        "2026-12-01",
        "next_invoice",
    )
    assert quote["cycle"] == {"start": "2026-11-01", "end": "2026-11-30", "days": 30}
    assert (quote["unit_price"], quote["tax_rate"], quote["credit"], quote["requires_approval"]) == (
        "25.00",
        "20.00",
        None,
        False,
    )
    assert count_rows(ProductOrder) == 0

    placed = client.post(f"/v1/customers/{customer['id']}/orders", json=body, headers=me)

    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    assert (order["status"], order["kind"], order["quote"]) == ("completed", "new_service", quote)
    assert order["requested_by"] == f"customer:{customer['id']}"
    [service] = [s for s in services_of(client, customer["id"], me) if s["id"] == order["new_service_id"]]
    assert (service["plan_id"], service["quantity"], service["start_date"], service["status"]) == (
        fibre["id"],
        2,
        "2026-11-23",
        "active",
    )
    run("2026-12-01")
    lines = [
        (line["period_start"], line["period_end"], line["unit_price"], line["total"])
        for line in invoice_lines(client, operator, customer["id"], "2026-12-01")
        if line["service_id"] == service["id"]
    ]
    assert lines == [("2026-11-23", "2026-11-30", "6.67", "16.01"), ("2026-12-01", "2026-12-31", "25.00", "60.00")]


def test_a_prepaid_customer_sees_the_daily_cost(client, billed_partner, make_customer, as_customer, offered, clock):
    prepaid = make_customer(status="active", billing_type="prepaid", login="prepaid")
    plan = offered("Fibre 30", "30.00")

    quote = client.post(
        f"/v1/customers/{prepaid['id']}/orders/preview",
        json={"plan_id": plan["id"]},
        headers=as_customer(prepaid["id"]),
    ).get_json()

    # 36.00 a month with tax; November 23rd is round(36 * 23/30) - round(36 * 22/30) = 27.60 - 26.40.
    assert (quote["billing"], quote["daily_cost"], quote["next_invoice_on"]) == ("daily", "1.20", None)
    assert quote["rest_of_cycle"]["total"] == "9.60"  # 36.00 - 26.40
    assert (quote["rest_of_cycle"]["net_amount"], quote["rest_of_cycle"]["tax_amount"]) == ("8.00", "1.60")


def test_an_order_needing_approval_waits_then_is_approved_or_rejected(
    client, operator, customer, me, offered, clock, count_rows
):
    premium = offered("Fibre 1000", "60.00", requires_approval=True)
    url = f"/v1/customers/{customer['id']}/orders"

    first = client.post(url, json={"plan_id": premium["id"]}, headers=me).get_json()
    second = client.post(url, json={"plan_id": premium["id"], "start_date": "2026-12-01"}, headers=me).get_json()

    assert (first["status"], first["new_service_id"], first["quote"]["requires_approval"]) == ("pending", None, True)
    assert count_rows(CustomerService) == 0
    queue = client.get("/admin/v1/orders", headers=operator).get_json()["items"]
    assert [order["id"] for order in queue] == [first["id"], second["id"]]

    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    approved = client.post(f"/admin/v1/orders/{first['id']}/approve", headers=operator)
    rejected = client.post(
        f"/admin/v1/orders/{second['id']}/reject", json={"reason": "No fibre in your street yet."}, headers=operator
    )

    assert approved.status_code == rejected.status_code == 200
    done = approved.get_json()
    assert (done["status"], done["decided_by"], done["decided_at"]) == (
        "approved",
        "admin",
        "2026-11-25T09:00:00+00:00",
    )
    [service] = services_of(client, customer["id"], me)
    assert (service["id"], service["start_date"]) == (done["new_service_id"], "2026-11-25")  # no earlier than approval
    refused = rejected.get_json()
    assert (refused["status"], refused["reason"], refused["new_service_id"]) == (
        "rejected",
        "No fibre in your street yet.",
        None,
    )
    assert client.post(f"/admin/v1/orders/{first['id']}/approve", headers=operator).status_code == 409
    assert client.post(f"/admin/v1/orders/{second['id']}/approve", headers=operator).status_code == 409
    assert client.get("/admin/v1/orders", headers=operator).get_json()["items"] == []
    mine = client.get(url, headers=me).get_json()["items"]
    assert [(o["id"], o["status"]) for o in mine] == [(second["id"], "rejected"), (first["id"], "approved")]
    assert client.post(f"/admin/v1/orders/{second['id']}/reject", json={}, headers=operator).status_code == 422
    assert client.post("/admin/v1/orders/999/approve", headers=operator).status_code == 404


def test_a_plan_change_credits_the_invoiced_days_and_the_next_invoice_charges_the_new_plan(
    client, operator, customer, me, offered, make_service, run
):
    fibre = offered("Fibre 100", "25.00")
    faster = offered("Fibre 300", "40.00")
    old = make_service(customer["id"], fibre["id"], start_date="2026-11-01", login="jane-fibre")
    run("2026-11-01")  # November invoiced in advance: 25.00 + 5.00 tax
    url = f"/v1/customers/{customer['id']}/services/{old['id']}/plan-change"

    preview = client.post(f"{url}/preview", json={"plan_id": faster["id"]}, headers=me)

    assert preview.status_code == 200, preview.get_json()
    quote = preview.get_json()
    # Old: 25.00 - round(25 * 22/30) = 6.67 + 1.33 tax credited; new: 40.00 - round(40 * 22/30) = 10.67 + 2.13 tax.
    assert {k: quote["credit"][k] for k in ("period_start", "period_end", "net_amount", "tax_amount", "total")} == {
        "period_start": "2026-11-23",
        "period_end": "2026-11-30",
        "net_amount": "6.67",
        "tax_amount": "1.33",
        "total": "8.00",
    }
    assert (quote["rest_of_cycle"]["net_amount"], quote["rest_of_cycle"]["total"]) == ("10.67", "12.80")
    assert quote["total_now"] == "4.80"
    assert quote["monthly"]["total"] == "48.00"
    assert quote["monthly_before"]["total"] == "30.00"

    placed = client.post(url, json={"plan_id": faster["id"]}, headers=me)

    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    assert (order["status"], order["kind"], order["service_id"]) == ("completed", "plan_change", old["id"])
    note = client.get(f"/admin/v1/invoices/{order['credit_note_id']}", headers=operator).get_json()
    assert (note["document_type"], note["total"]) == ("credit_note", "-8.00")
    services = {s["id"]: s for s in services_of(client, customer["id"], me)}
    assert (services[old["id"]]["status"], services[old["id"]]["end_date"], services[old["id"]]["login"]) == (
        "stopped",
        "2026-11-22",
        None,
    )
    new = services[order["new_service_id"]]
    assert (new["plan_id"], new["start_date"], new["login"], new["price"]) == (
        faster["id"],
        "2026-11-23",
        "jane-fibre",
        "40.00",
    )
    november = client.get(f"/admin/v1/customers/{customer['id']}/invoices", headers=operator).get_json()["items"]
    [november] = [i for i in november if i["document_type"] == "invoice"]
    # The credit paid part of it; the rest, due on November 15th, is overdue.
    assert (november["amount_paid"], november["amount_due"], november["status"]) == ("8.00", "22.00", "overdue")

    run("2026-12-01")
    lines = [
        (line["service_id"], line["period_start"], line["unit_price"], line["total"])
        for line in invoice_lines(client, operator, customer["id"], "2026-12-01")
    ]
    assert lines == [(new["id"], "2026-11-23", "10.67", "12.80"), (new["id"], "2026-12-01", "40.00", "48.00")]


def test_a_plan_change_needing_approval_takes_effect_when_approved(
    client, operator, customer, me, offered, make_service, clock
):
    old = make_service(customer["id"], offered("Fibre 100", "25.00")["id"], start_date="2026-11-01")
    premium = offered("Fibre 1000", "60.00", requires_approval=True)
    url = f"/v1/customers/{customer['id']}/services/{old['id']}/plan-change"

    pending = client.post(url, json={"plan_id": premium["id"]}, headers=me).get_json()
    assert pending["status"] == "pending"
    assert client.post(url, json={"plan_id": premium["id"]}, headers=me).status_code == 409  # one at a time
    clock.now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    approved = client.post(f"/admin/v1/orders/{pending['id']}/approve", headers=operator).get_json()

    services = {s["id"]: s for s in services_of(client, customer["id"], me)}
    assert services[old["id"]]["end_date"] == "2026-11-25"
    assert services[approved["new_service_id"]]["start_date"] == "2026-11-26"
    assert approved["credit_note_id"] is None  # November was never invoiced: nothing to give back


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ("same plan", 422),
        ("another kind", 422),
        ("paused", 409),
        ("starts today", 409),
        ("not self-service", 422),
    ],
)
def test_a_plan_change_that_cannot_be_is_refused_and_writes_nothing(
    client, operator, customer, me, offered, make_plan, make_service, count_rows, change, status
):
    fibre = offered("Fibre 100", "25.00")
    target = offered("Fibre 300", "40.00")
    start = "2026-11-23" if change == "starts today" else "2026-11-01"
    service = make_service(customer["id"], fibre["id"], start_date=start)
    if change == "same plan":
        target = fibre
    elif change == "another kind":
        target = offered("Voice 100", "5.00", kind="voice")
    elif change == "paused":
        client.patch(f"/admin/v1/services/{service['id']}", json={"status": "paused"}, headers=operator)
    elif change == "not self-service":
        target = make_plan("internet", name="Fibre staff", price="1.00")
    url = f"/v1/customers/{customer['id']}/services/{service['id']}/plan-change"

    assert client.post(f"{url}/preview", json={"plan_id": target["id"]}, headers=me).status_code == status
    assert client.post(url, json={"plan_id": target["id"]}, headers=me).status_code == status
    assert count_rows(ProductOrder) == 0
    assert count_rows(CustomerService) == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"plan_id": "1"},
        {"plan_id": 0},
        {"plan_id": 999},
        {"quantity": 0},
        {"quantity": 101},
        {"quantity": "2"},
        {"start_date": "2026-11-22"},  # yesterday
        {"start_date": "2027-11-24"},  # beyond a year
        {"start_date": "tomorrow"},
        {"colour": "blue"},
    ],
)
def test_bad_order_input_is_refused_and_writes_nothing(client, customer, me, offered, count_rows, body):
    plan = offered("Fibre 100", "25.00")
    full = {"plan_id": plan["id"]} | body if body else {}

    for path in ("orders/preview", "orders"):
        answer = client.post(f"/v1/customers/{customer['id']}/{path}", json=full, headers=me)
        assert answer.status_code in (400, 422), answer.get_json()
        assert answer.mimetype == "application/problem+json"
    assert count_rows(ProductOrder) == count_rows(CustomerService) == 0


def test_plans_not_offered_to_the_customer_cannot_be_ordered(client, operator, customer, me, make_plan, count_rows):
    back_office = make_plan("internet", name="Back office", price="1.00")
    elsewhere = client.post("/admin/v1/partners", json={"name": "Elsewhere"}, headers=operator).get_json()
    theirs = make_plan("custom", name="Theirs", price="2.00", self_service=True, partner_ids=[elsewhere["id"]])

    for plan in (back_office, theirs):
        answer = client.post(f"/v1/customers/{customer['id']}/orders", json={"plan_id": plan["id"]}, headers=me)
        assert answer.status_code == 422
        assert "plan_id" in answer.get_json()["errors"]
    assert count_rows(ProductOrder) == 0


def test_an_inactive_customer_cannot_order(client, billed_partner, make_customer, as_customer, offered, clock):
    gone = make_customer(status="inactive", login="gone")
    plan = offered("Fibre 100", "25.00")

    answer = client.post(
        f"/v1/customers/{gone['id']}/orders", json={"plan_id": plan["id"]}, headers=as_customer(gone["id"])
    )

    assert answer.status_code == 409


def test_another_customers_orders_and_services_answer_404(
    client, customer, me, make_customer, as_customer, offered, make_service, count_rows
):
    other = make_customer(status="active", login="other")
    plan = offered("Fibre 100", "25.00")
    faster = offered("Fibre 300", "40.00")
    theirs = client.post(
        f"/v1/customers/{other['id']}/orders", json={"plan_id": plan["id"]}, headers=as_customer(other["id"])
    ).get_json()
    their_service = theirs["new_service_id"]

    assert client.get(f"/v1/customers/{customer['id']}/orders/{theirs['id']}", headers=me).status_code == 404
    assert client.get(f"/v1/customers/{other['id']}/orders", headers=me).status_code == 404
    assert client.get(f"/v1/customers/{other['id']}/offers", headers=me).status_code == 404
    body = {"plan_id": plan["id"]}
    assert client.post(f"/v1/customers/{other['id']}/orders", json=body, headers=me).status_code == 404
    assert client.post(f"/v1/customers/{other['id']}/orders/preview", json=body, headers=me).status_code == 404
    change = f"/v1/customers/{customer['id']}/services/{their_service}/plan-change"
    assert client.post(f"{change}/preview", json={"plan_id": faster["id"]}, headers=me).status_code == 404
    assert client.post(change, json={"plan_id": faster["id"]}, headers=me).status_code == 404
    assert client.get("/admin/v1/orders", headers=me).status_code == 403
    assert client.post(f"/admin/v1/orders/{theirs['id']}/approve", headers=me).status_code == 403
    assert count_rows(ProductOrder) == 1
    assert count_rows(CustomerService) == 1


def test_a_retried_order_with_its_idempotency_key_places_one(client, customer, me, offered, count_rows):
    plan = offered("Fibre 100", "25.00")
    url = f"/v1/customers/{customer['id']}/orders"
    key = {"Idempotency-Key": "order-fibre-1"}

    first = client.post(url, json={"plan_id": plan["id"]}, headers=me | key)
    again = client.post(url, json={"plan_id": plan["id"]}, headers=me | key)
    other = client.post(url, json={"plan_id": plan["id"], "quantity": 2}, headers=me | key)

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert other.status_code == 422
    assert count_rows(ProductOrder) == count_rows(CustomerService) == 1
