"""Payments, allocation, credit, refunds and credit notes through the operator API."""

import pytest
from sqlalchemy import select

from billing.finance_models import Allocation, LedgerEntry, Payment


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


@pytest.fixture
def invoice(client, operator):
    def issue(customer_id: int, price: str, **body) -> dict:
        lines = [{"description": "Installation", "unit_price": price}]
        response = client.post(
            f"/admin/v1/customers/{customer_id}/invoices", json={"lines": lines} | body, headers=operator
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return issue


@pytest.fixture
def pay(client, operator):
    def pay(customer_id: int, amount: str, **body):
        return client.post(
            f"/admin/v1/customers/{customer_id}/payments",
            json={"amount": amount, "method": "cash"} | body,
            headers=operator,
        )

    return pay


def status_of(client, operator, invoice_id: int) -> tuple[str, str, str]:
    body = client.get(f"/admin/v1/invoices/{invoice_id}", headers=operator).get_json()
    return body["status"], body["amount_paid"], body["amount_due"]


def test_a_payment_pays_the_oldest_invoices_first_and_keeps_the_rest_as_credit(
    client, operator, customer, invoice, pay, outbox_events
):
    older = invoice(customer["id"], "30.00")
    newer = invoice(customer["id"], "20.00")

    response = pay(customer["id"], "40.00")

    assert response.status_code == 201
    payment = response.get_json()
    assert [(a["invoice_number"], a["amount"]) for a in payment["allocations"]] == [
        (older["number"], "30.00"),
        (newer["number"], "10.00"),
    ]
    assert payment["credit_amount"] == "0.00"
    assert status_of(client, operator, older["id"]) == ("paid", "30.00", "0.00")
    assert status_of(client, operator, newer["id"]) == ("partially_paid", "10.00", "10.00")
    received = outbox_events("billing.payment.received")[0]["data"]
    assert received["number"] == "RCP-2026-000001" or received["number"].startswith("RCP-")
    assert [e["data"]["number"] for e in outbox_events("billing.invoice.paid")] == [older["number"]]


def test_a_payment_for_chosen_invoices_pays_them_first(client, operator, customer, invoice, pay):
    older = invoice(customer["id"], "30.00")
    newer = invoice(customer["id"], "20.00")

    pay(customer["id"], "20.00", invoice_ids=[newer["id"]])

    assert status_of(client, operator, newer["id"])[0] == "paid"
    assert status_of(client, operator, older["id"]) == ("unpaid", "0.00", "30.00")


def test_overpaying_leaves_credit_that_the_next_invoice_takes(client, operator, customer, invoice, pay):
    pay(customer["id"], "50.00")
    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=operator).get_json()
    assert summary["balance"] == {"amount": "50.00", "sense": "overpaid"}
    assert summary["total_due"] == "0.00"

    first = invoice(customer["id"], "30.00")
    second = invoice(customer["id"], "30.00")

    assert status_of(client, operator, first["id"]) == ("paid", "30.00", "0.00")
    assert status_of(client, operator, second["id"]) == ("partially_paid", "20.00", "10.00")
    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=operator).get_json()
    assert summary["balance"] == {"amount": "10.00", "sense": "owe"}
    assert summary["total_due"] == "10.00"


def test_paying_the_total_due_settles_every_invoice_and_the_balance(client, operator, customer, invoice, pay):
    invoice(customer["id"], "12.34")
    invoice(customer["id"], "45.66")
    total_due = client.get(f"/v1/customers/{customer['id']}/summary", headers=operator).get_json()["total_due"]

    pay(customer["id"], total_due)

    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=operator).get_json()
    assert (total_due, summary["balance"], summary["unpaid_invoices"]) == (
        "58.00",
        {"amount": "0.00", "sense": "settled"},
        0,
    )


def test_a_refund_beyond_the_credit_makes_the_invoice_it_paid_due_again(
    client, operator, customer, invoice, pay, outbox_events
):
    bill = invoice(customer["id"], "30.00")
    payment = pay(customer["id"], "40.00").get_json()  # 30.00 paid, 10.00 credit

    response = client.post(
        f"/admin/v1/payments/{payment['id']}/refunds", json={"amount": "25.00", "reason": "moved"}, headers=operator
    )

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["refunded_amount"] == "25.00"
    assert status_of(client, operator, bill["id"]) == ("partially_paid", "15.00", "15.00")
    ledger = client.get(f"/admin/v1/customers/{customer['id']}/ledger", headers=operator).get_json()
    assert ledger["balance"] == "-15.00"
    assert [entry["kind"] for entry in ledger["items"]] == ["refund", "payment", "invoice"]
    assert outbox_events("billing.payment.refunded")[0]["data"]["refunded_total"] == "25.00"
    audit = client.get(f"/admin/v1/customers/{customer['id']}/ledger/audit", headers=operator).get_json()
    assert audit == {"balance": "-15.00", "problems": []}


def test_refunding_more_than_is_left_of_a_payment_is_refused(client, operator, customer, pay, db):
    payment = pay(customer["id"], "10.00").get_json()
    client.post(f"/admin/v1/payments/{payment['id']}/refunds", json={"amount": "6.00"}, headers=operator)

    response = client.post(f"/admin/v1/payments/{payment['id']}/refunds", json={"amount": "4.01"}, headers=operator)

    assert response.status_code == 409
    with db.reading() as session:
        assert session.scalar(select(Payment.refunded_amount)) == 6


def test_a_credit_note_pays_the_invoice_it_corrects_and_cannot_exceed_it(
    client, operator, customer, invoice, outbox_events
):
    bill = invoice(customer["id"], "30.00")

    response = client.post(
        f"/admin/v1/invoices/{bill['id']}/credit-notes",
        json={"amount": "30.00", "description": "Outage in March"},
        headers=operator,
    )

    assert response.status_code == 201, response.get_json()
    note = response.get_json()
    assert (note["document_type"], note["total"], note["number"]) == ("credit_note", "-30.00", "CN-2026-000001")
    assert status_of(client, operator, bill["id"]) == ("paid", "30.00", "0.00")
    issued = outbox_events("billing.invoice.issued")[-1]["data"]
    assert (issued["document_type"], issued["credited_invoice_number"]) == ("credit_note", bill["number"])
    again = client.post(
        f"/admin/v1/invoices/{bill['id']}/credit-notes", json={"amount": "0.01", "description": "x"}, headers=operator
    )
    assert again.status_code == 409


def test_paying_nothing_due_is_paying_ahead(client, operator, customer, pay):
    response = pay(customer["id"], "15.00")

    assert response.status_code == 201
    assert response.get_json()["credit_amount"] == "15.00"
    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=operator).get_json()
    assert summary["balance"] == {"amount": "15.00", "sense": "overpaid"}


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "-5.00", "method": "cash"},
        {"amount": "0", "method": "cash"},
        {"amount": "ten", "method": "cash"},
        {"amount": "1.005", "method": "cash"},
        {"amount": True, "method": "cash"},
        {"amount": "5.00", "method": "barter"},
        {"amount": "5.00"},
        {"amount": "5.00", "method": "cash", "invoice_ids": ["x"]},
        {"amount": "5.00", "method": "cash", "surprise": 1},
    ],
)
def test_bad_payments_are_refused_and_write_nothing(client, operator, customer, pay, db, body):
    response = client.post(f"/admin/v1/customers/{customer['id']}/payments", json=body, headers=operator)

    assert response.status_code == 422
    with db.reading() as session:
        assert session.scalars(select(Payment.id)).all() == []
        assert session.scalars(select(LedgerEntry.id)).all() == []


def test_paying_an_unknown_or_another_customers_invoice_is_refused_and_writes_nothing(
    client, operator, customer, make_customer, invoice, pay, db
):
    other = make_customer(status="active", login="other")
    theirs = invoice(other["id"], "10.00")

    assert pay(customer["id"], "10.00", invoice_ids=[theirs["id"]]).status_code == 404
    assert pay(customer["id"], "10.00", invoice_ids=[99999]).status_code == 404
    assert pay(99999, "10.00").status_code == 404
    with db.reading() as session:
        assert session.scalars(select(Payment.id)).all() == []
        assert session.scalars(select(Allocation.id)).all() == []


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{"description": "x", "unit_price": "-1.00"}]},
        {"lines": [{"description": "", "unit_price": "1.00"}]},
        {"lines": [{"description": "x", "unit_price": "1.00", "quantity": "-1"}]},
        {"lines": [{"description": "x", "unit_price": "1.00", "discount_percent": "101"}]},
        {"lines": [{"description": "x"}]},
    ],
)
def test_bad_manual_invoices_are_refused_and_write_nothing(client, operator, customer, db, body):
    response = client.post(f"/admin/v1/customers/{customer['id']}/invoices", json=body, headers=operator)

    assert response.status_code == 422
    with db.reading() as session:
        assert session.scalars(select(LedgerEntry.id)).all() == []


def test_paying_a_proforma_issues_its_invoice_and_pays_it(client, operator, customer, invoice, db):
    proforma = invoice(customer["id"], "99.00", proforma=True)
    assert (proforma["document_type"], proforma["number"]) == ("proforma", "PRO-2026-000001")
    with db.reading() as session:
        assert session.scalars(select(LedgerEntry.id)).all() == []  # a request for payment charges nothing

    response = client.post(
        f"/admin/v1/proformas/{proforma['id']}/payments", json={"amount": "99.00", "method": "card"}, headers=operator
    )

    assert response.status_code == 201, response.get_json()
    assert status_of(client, operator, proforma["id"])[0] == "paid"
    [paid_invoice] = client.get(f"/admin/v1/customers/{customer['id']}/invoices", headers=operator).get_json()["items"]
    assert (paid_invoice["number"], paid_invoice["status"], paid_invoice["total"]) == (
        "INV-2026-000001",
        "paid",
        "99.00",
    )


def test_a_payment_sent_again_with_its_idempotency_key_is_recorded_once(client, operator, customer, db, outbox_events):
    body = {"amount": "25.00", "method": "bank_transfer", "reference": "TX-1"}
    headers = operator | {"Idempotency-Key": "pay-2026-11-23-0001"}
    url = f"/admin/v1/customers/{customer['id']}/payments"

    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(outbox_events("billing.payment.received")) == 1
    with db.reading() as session:
        assert len(session.scalars(select(Payment.id)).all()) == 1
    other = client.post(url, json=body | {"amount": "26.00"}, headers=headers)
    assert other.status_code == 422
    assert client.post(url, json=body, headers=operator | {"Idempotency-Key": "has space"}).status_code == 422
    with db.reading() as session:
        assert len(session.scalars(select(Payment.id)).all()) == 1


def test_a_refund_sent_again_with_its_idempotency_key_refunds_once(client, operator, customer, pay, db):
    payment = pay(customer["id"], "30.00").get_json()
    headers = operator | {"Idempotency-Key": "refund-1"}
    url = f"/admin/v1/payments/{payment['id']}/refunds"

    for _ in range(2):
        assert client.post(url, json={"amount": "10.00"}, headers=headers).status_code == 201

    with db.reading() as session:
        assert str(session.get(Payment, payment["id"]).refunded_amount) == "10.00"
