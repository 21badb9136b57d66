"""Autopay: an invoice issued to an opted-in customer is charged to the saved card once, never twice."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from billing import autopay
from billing.finance_models import Payment
from billing.gateway_models import AutopayCharge, DemoCharge
from billing.gateways import configured_gateways

NEXT_YEAR = datetime.now(UTC).year + 1
RUN_DAY = date(2026, 12, 1)


def card(number: str) -> dict:
    return {"card": {"number": number, "exp_month": 12, "exp_year": NEXT_YEAR}}


@pytest.fixture
def demo(db, settings):
    return configured_gateways(db, settings)["demo"]


@pytest.fixture
def billed_partner(client, operator, partner):
    response = client.patch(f"/admin/v1/partners/{partner['id']}", json={"vat_rate": "20.00"}, headers=operator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def subscriber(client, billed_partner, make_customer, make_plan, make_service, as_customer):
    """An active customer with a 25.00 service from November, who saved `number` and opted into autopay."""

    def make(number: str = "4242424242424242", *, opt_in: bool = True, login: str = "jane.doe") -> dict:
        customer = make_customer(status="active", login=login)
        make_service(customer["id"], make_plan("internet", name=f"Fibre {login}")["id"], start_date="2026-11-01")
        headers = as_customer(customer["id"])
        saved = client.post(f"/v1/customers/{customer['id']}/payment-accounts", json=card(number), headers=headers)
        assert saved.status_code == 201, saved.get_json()
        if opt_in:
            enabled = client.put(f"/v1/customers/{customer['id']}/autopay", json={"enabled": True}, headers=headers)
            assert enabled.status_code == 200, enabled.get_json()
        return customer

    return make


@pytest.fixture
def run(client, operator):
    def run_for(day: date) -> dict:
        response = client.post("/admin/v1/billing-runs", json={"date": day.isoformat()}, headers=operator)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return run_for


def invoices_of(client, operator, customer_id: int) -> list[dict]:
    return client.get(f"/admin/v1/customers/{customer_id}/invoices", headers=operator).get_json()["items"]


def manual_invoice(client, operator, customer_id: int, price: str = "10.00") -> dict:
    lines = [{"description": "Installation", "unit_price": price}]
    response = client.post(f"/admin/v1/customers/{customer_id}/invoices", json={"lines": lines}, headers=operator)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_daily_run_charges_a_new_invoice_once_across_repeated_runs_and_calls(
    client, operator, subscriber, run, demo, db
):
    customer = subscriber()
    run(RUN_DAY)  # November and December at 25.00 + 20 %: 60.00, charged by the run
    run(RUN_DAY)

    assert autopay.charge_issued_invoices(db, demo, datetime.now(UTC), on=RUN_DAY).charged == 0
    [invoice] = invoices_of(client, operator, customer["id"])
    assert (invoice["total"], invoice["status"], invoice["amount_due"]) == ("60.00", "paid", "0.00")
    with db.reading() as session:
        [payment] = session.scalars(select(Payment)).all()
        [charge] = session.scalars(select(AutopayCharge)).all()
        [at_gateway] = session.scalars(select(DemoCharge)).all()
    assert (str(payment.amount), payment.method, payment.received_on) == ("60.00", "card", RUN_DAY)
    assert (charge.status, charge.payment_id, str(charge.amount)) == ("succeeded", payment.id, "60.00")
    assert payment.reference == charge.gateway_transaction_id == at_gateway.transaction_id
    assert at_gateway.reference == f"autopay-invoice-{invoice['id']}"


def test_an_invoice_is_charged_once_however_often_autopay_runs(client, operator, subscriber, demo, db, count_rows):
    customer = subscriber()
    invoice = manual_invoice(client, operator, customer["id"])

    first = autopay.charge_issued_invoices(db, demo, datetime.now(UTC), on=RUN_DAY)
    again = autopay.charge_issued_invoices(db, demo, datetime.now(UTC), on=RUN_DAY)

    assert (first.charged, again.charged) == (1, 0)
    assert count_rows(Payment) == count_rows(DemoCharge) == 1
    assert invoices_of(client, operator, customer["id"])[0]["id"] == invoice["id"]
    assert invoices_of(client, operator, customer["id"])[0]["status"] == "paid"


def test_a_declined_card_is_not_tried_again(client, operator, subscriber, run, demo, db, count_rows):
    customer = subscriber("4000 0000 0000 0002")
    run(RUN_DAY)  # the run's autopay is declined

    again = autopay.charge_issued_invoices(db, demo, datetime.now(UTC), on=RUN_DAY)

    assert again.failed == again.charged == 0
    assert count_rows(Payment) == 0
    with db.reading() as session:
        [charge] = session.scalars(select(AutopayCharge)).all()
    assert (charge.status, charge.failure_reason) == ("failed", "Your card was declined.")
    assert invoices_of(client, operator, customer["id"])[0]["status"] == "unpaid"


def test_only_invoices_issued_while_opted_in_are_charged(client, operator, subscriber, as_customer, run, demo, db):
    customer = subscriber(opt_in=False)
    lines = [{"description": "Installation", "unit_price": "10.00"}]
    earlier = client.post(f"/admin/v1/customers/{customer['id']}/invoices", json={"lines": lines}, headers=operator)
    assert earlier.status_code == 201
    client.put(f"/v1/customers/{customer['id']}/autopay", json={"enabled": True}, headers=as_customer(customer["id"]))

    run(RUN_DAY)  # charges the recurring invoice only

    assert autopay.charge_issued_invoices(db, demo, datetime.now(UTC), on=RUN_DAY).charged == 0
    statuses = {i["id"]: i["status"] for i in invoices_of(client, operator, customer["id"])}
    [recurring] = set(statuses) - {earlier.get_json()["id"]}
    with db.reading() as session:
        assert session.scalars(select(AutopayCharge.invoice_id)).all() == [recurring]
    assert statuses == {earlier.get_json()["id"]: "unpaid", recurring: "paid"}


def test_customers_who_did_not_opt_in_are_not_charged(subscriber, run, demo, db, count_rows):
    subscriber(opt_in=False)
    run(RUN_DAY)

    assert autopay.charge_issued_invoices(db, demo, datetime.now(UTC), on=RUN_DAY).charged == 0
    assert count_rows(AutopayCharge) == count_rows(DemoCharge) == count_rows(Payment) == 0


def test_two_autopay_calls_at_once_charge_an_invoice_once(client, operator, subscriber, demo, db, count_rows):
    for login in ("jane.doe", "john.roe"):
        manual_invoice(client, operator, subscriber(login=login)["id"])

    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda _: autopay.charge_issued_invoices(db, demo, datetime.now(UTC), on=RUN_DAY), range(2))
        )

    assert sum(result.charged for result in results) == 2
    assert count_rows(DemoCharge) == count_rows(Payment) == count_rows(AutopayCharge) == 2
