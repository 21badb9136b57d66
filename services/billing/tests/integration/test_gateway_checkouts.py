"""Paying through the demo gateway: checkout, hosted page, signed webhook, the payment recorded once."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from billing.finance_models import LedgerEntry, Payment
from billing.gateway_models import DemoCheckout, GatewayCheckout, PaymentAccount
from billing.gateways import signatures
from billing.gateways.demo import DEV_SECRET

CARD = {"card_number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": str(datetime.now(UTC).year + 2)}


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


@pytest.fixture
def me(as_customer, customer):
    return as_customer(customer["id"])


@pytest.fixture
def invoice(client, operator):
    def issue(customer_id: int, price: str) -> dict:
        lines = [{"description": "Installation", "unit_price": price}]
        response = client.post(f"/admin/v1/customers/{customer_id}/invoices", json={"lines": lines}, headers=operator)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return issue


@pytest.fixture
def checkout(client):
    def start(customer_id: int, headers: dict, **body) -> dict:
        response = client.post(f"/v1/customers/{customer_id}/checkouts", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return start


@pytest.fixture
def webhook(client, settings):
    """Send a webhook as the demo gateway would: signed with its secret (or `secret`), at `at`."""

    def send(data: dict, *, secret: str | None = None, at: datetime | None = None, body: bytes | None = None):
        raw = json.dumps(data).encode()
        signature = signatures.sign(
            secret or settings.get("demo_gateway_secret") or DEV_SECRET, raw, at or datetime.now(UTC)
        )
        return client.post(
            "/v1/gateways/demo/webhook",
            data=body if body is not None else raw,
            headers={signatures.HEADER: signature, "Content-Type": "application/json"},
        )

    return send


def paid_event(opened: dict, amount: str, **changes) -> dict:
    event = {
        "type": "checkout.completed",
        "checkout_id": gateway_id(opened),
        "status": "paid",
        "amount": amount,
        "currency": "EUR",
        "transaction_id": "dtx_test_1",
        "method": "card",
        "failure_reason": None,
        "saved_method": None,
    }
    return event | changes


def gateway_id(opened: dict) -> str:
    return opened["url"].rsplit("/", 1)[1]


def page_of(opened: dict) -> str:
    return urlsplit(opened["url"]).path


def test_paying_on_the_hosted_page_pays_the_invoice_and_the_summary_shows_it(
    client, settings, customer, me, invoice, checkout, outbox_events
):
    issued = invoice(customer["id"], "30.00")
    opened = checkout(
        customer["id"], me, invoice_ids=[issued["id"]], return_url="https://portal.example/finance?tab=invoices"
    )
    assert opened["status"] == "pending"
    assert (opened["amount"], opened["currency"]) == ("30.00", "EUR")
    assert opened["url"].startswith(f"{settings.public_url}/gateway/demo/checkout/")

    page = client.get(page_of(opened))
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "30.00 EUR" in html
    assert f"Payment of {issued['number']}" in html
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]

    paid = client.post(page_of(opened), data={"action": "pay", **CARD})

    assert paid.status_code == 303
    assert paid.headers["Location"] == (
        f"https://portal.example/finance?tab=invoices&checkout=checkout-{opened['checkout_id']}&status=paid"
    )
    status = client.get(f"/v1/customers/{customer['id']}/checkouts/{opened['checkout_id']}", headers=me).get_json()
    assert status["status"] == "paid"
    payment = client.get(f"/v1/customers/{customer['id']}/payments/{status['payment_id']}", headers=me).get_json()
    assert (payment["amount"], payment["method"]) == ("30.00", "card")
    assert [(a["invoice_number"], a["amount"]) for a in payment["allocations"]] == [(issued["number"], "30.00")]
    mine = client.get(f"/v1/customers/{customer['id']}/invoices/{issued['id']}", headers=me).get_json()
    assert (mine["status"], mine["amount_due"]) == ("paid", "0.00")
    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=me).get_json()
    assert summary["balance"] == {"amount": "0.00", "sense": "settled"}
    assert (summary["total_due"], summary["unpaid_invoices"]) == ("0.00", 0)
    [received] = outbox_events("billing.payment.received")
    assert received["data"]["amount"] == "30.00"
    # The page now says it is paid, and paying again is refused.
    assert "Paid. Thank you." in client.get(page_of(opened)).get_data(as_text=True)
    assert client.post(page_of(opened), data={"action": "pay", **CARD}).status_code == 409


def test_a_card_saved_at_checkout_is_kept_masked_and_its_number_nowhere(client, customer, me, checkout, db, settings):
    opened = checkout(customer["id"], me, amount="15.00", save_method=True)
    assert 'name="save_method"' in client.get(page_of(opened)).get_data(as_text=True)

    paid = client.post(page_of(opened), data={"action": "pay", "save_method": "yes", **CARD})
    assert paid.status_code == 200
    assert "Paid. Thank you." in paid.get_data(as_text=True)

    [account] = client.get(f"/v1/customers/{customer['id']}/payment-accounts", headers=me).get_json()["items"]
    assert (account["masked"], account["brand"], account["last4"], account["is_default"]) == (
        "•••• 4242",
        "visa",
        "4242",
        True,
    )
    with db.reading() as session:
        stored = [
            json.dumps([str(value) for value in row])
            for model in (PaymentAccount, DemoCheckout, GatewayCheckout)
            for row in session.execute(select(*model.__table__.columns)).all()
        ]
    assert not any("4242424242424242" in row or "4242 4242 4242 4242" in row for row in stored)


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"action": "fail"}, "The customer cancelled the payment."),
        ({"action": "pay", **CARD, "card_number": "4000 0000 0000 0002"}, "Your card was declined."),
    ],
)
def test_a_failed_payment_records_nothing(client, customer, me, invoice, checkout, count_rows, form, reason):
    issued = invoice(customer["id"], "30.00")
    opened = checkout(customer["id"], me, invoice_ids=[issued["id"]])

    answer = client.post(page_of(opened), data=form)

    assert answer.status_code == 200
    assert "did not go through" in answer.get_data(as_text=True)
    status = client.get(f"/v1/customers/{customer['id']}/checkouts/{opened['checkout_id']}", headers=me).get_json()
    assert (status["status"], status["failure_reason"], status["payment_id"]) == ("failed", reason, None)
    assert count_rows(Payment) == 0
    mine = client.get(f"/v1/customers/{customer['id']}/invoices/{issued['id']}", headers=me).get_json()
    assert (mine["status"], mine["amount_due"]) == ("unpaid", "30.00")


def test_a_webhook_delivered_again_records_the_payment_once(client, customer, me, checkout, webhook, db):
    opened = checkout(customer["id"], me, amount="25.00")
    event = paid_event(opened, "25.00")

    first = webhook(event)
    again = webhook(event)

    assert first.status_code == again.status_code == 200
    assert again.get_json() == {"received": True, "checkout_status": "paid"}
    with db.reading() as session:
        assert len(session.scalars(select(Payment.id)).all()) == 1
        credits = session.scalars(select(LedgerEntry.amount).where(LedgerEntry.kind == "payment")).all()
    assert [str(amount) for amount in credits] == ["25.00"]
    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=me).get_json()
    assert summary["balance"] == {"amount": "25.00", "sense": "overpaid"}


def test_the_same_webhook_delivered_concurrently_records_one_payment(app, customer, me, checkout, settings, db):
    opened = checkout(customer["id"], me, amount="25.00")
    raw = json.dumps(paid_event(opened, "25.00")).encode()
    secret = settings.get("demo_gateway_secret") or DEV_SECRET

    def deliver(_):
        signed = {signatures.HEADER: signatures.sign(secret, raw, datetime.now(UTC))}
        return app.test_client().post("/v1/gateways/demo/webhook", data=raw, headers=signed).status_code

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(deliver, range(4)))

    assert answers == [200] * 4
    with db.reading() as session:
        assert len(session.scalars(select(Payment.id)).all()) == 1


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "tampered body", "too old", "from the future", "no signature", "malformed"],
)
def test_a_webhook_whose_signature_fails_is_refused_and_changes_nothing(
    client, customer, me, checkout, webhook, count_rows, how
):
    opened = checkout(customer["id"], me, amount="25.00")
    event = paid_event(opened, "25.00")
    if how == "wrong secret":
        answer = webhook(event, secret="someone-else")
    elif how == "tampered body":
        answer = webhook(event, body=json.dumps(event | {"amount": "2500.00"}).encode())
    elif how == "too old":
        answer = webhook(event, at=datetime.now(UTC) - timedelta(minutes=6))
    elif how == "from the future":
        answer = webhook(event, at=datetime.now(UTC) + timedelta(minutes=6))
    elif how == "no signature":
        answer = client.post("/v1/gateways/demo/webhook", json=event)
    else:
        answer = client.post("/v1/gateways/demo/webhook", json=event, headers={signatures.HEADER: "v1=abc"})

    assert answer.status_code == 400
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["title"] == "Invalid webhook"
    assert count_rows(Payment) == 0
    status = client.get(f"/v1/customers/{customer['id']}/checkouts/{opened['checkout_id']}", headers=me).get_json()
    assert status["status"] == "pending"


def test_a_webhook_for_an_unknown_checkout_or_gateway_answers_404(client, customer, me, checkout, webhook, count_rows):
    opened = checkout(customer["id"], me, amount="25.00")

    assert webhook(paid_event(opened, "25.00", checkout_id="dcs_nobody")).status_code == 404
    assert client.post("/v1/gateways/nope/webhook", data=b"{}").status_code == 404
    assert webhook({"checkout_id": gateway_id(opened)}).status_code == 400  # signed, but not an event
    assert count_rows(Payment) == 0


def test_without_an_amount_the_checkout_pays_what_is_due(client, customer, me, invoice, checkout):
    first = invoice(customer["id"], "30.00")
    invoice(customer["id"], "12.50")

    assert checkout(customer["id"], me)["amount"] == "42.50"  # the total due
    chosen = checkout(customer["id"], me, invoice_ids=[first["id"]])
    assert (chosen["amount"], chosen["invoice_ids"]) == ("30.00", [first["id"]])
    assert checkout(customer["id"], me, amount="100.00")["amount"] == "100.00"  # pay ahead


def test_a_prepaid_customer_extends_service_with_a_top_up(client, make_customer, as_customer, checkout, webhook):
    prepaid = make_customer(status="active", billing_type="prepaid", login="prepaid")
    headers = as_customer(prepaid["id"])

    opened = checkout(prepaid["id"], headers, amount="20.00")
    assert webhook(paid_event(opened, "20.00")).status_code == 200

    summary = client.get(f"/v1/customers/{prepaid['id']}/summary", headers=headers).get_json()
    assert summary["balance"] == {"amount": "20.00", "sense": "overpaid"}


def test_nothing_due_and_no_amount_is_refused(client, customer, me, count_rows):
    answer = client.post(f"/v1/customers/{customer['id']}/checkouts", json={}, headers=me)

    assert answer.status_code == 422
    assert "amount" in answer.get_json()["errors"]
    assert count_rows(GatewayCheckout) == count_rows(DemoCheckout) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "-5.00"},
        {"amount": "0"},
        {"amount": "abc"},
        {"amount": "1.234"},
        {"amount": True},
        {"amount": "10.00", "invoice_ids": ["x"]},
        {"amount": "10.00", "invoice_ids": [1, 1]},
        {"amount": "10.00", "gateway": "nope"},
        {"amount": "10.00", "return_url": "javascript:alert(1)"},
        {"amount": "10.00", "save_method": "yes"},
        {"amount": "10.00", "colour": "blue"},
    ],
)
def test_bad_checkout_input_is_refused_and_writes_nothing(client, customer, me, count_rows, body):
    answer = client.post(f"/v1/customers/{customer['id']}/checkouts", json=body, headers=me)

    assert answer.status_code in (400, 422), answer.get_json()
    assert answer.mimetype == "application/problem+json"
    assert count_rows(GatewayCheckout) == count_rows(DemoCheckout) == 0


def test_another_customers_checkouts_and_invoices_answer_404(
    client, customer, me, make_customer, as_customer, invoice, checkout, count_rows
):
    other = make_customer(status="active", login="other")
    theirs = invoice(other["id"], "30.00")
    opened = checkout(other["id"], as_customer(other["id"]), amount="10.00")

    assert client.get(f"/v1/customers/{other['id']}/checkouts/{opened['checkout_id']}", headers=me).status_code == 404
    assert (
        client.get(f"/v1/customers/{customer['id']}/checkouts/{opened['checkout_id']}", headers=me).status_code == 404
    )
    assert client.post(f"/v1/customers/{other['id']}/checkouts", json={}, headers=me).status_code == 404
    paying_theirs = client.post(
        f"/v1/customers/{customer['id']}/checkouts", json={"invoice_ids": [theirs["id"]]}, headers=me
    )
    assert paying_theirs.status_code == 404
    assert count_rows(GatewayCheckout) == 1


def test_a_retried_checkout_with_its_idempotency_key_opens_one(client, customer, me, count_rows):
    url = f"/v1/customers/{customer['id']}/checkouts"
    key = {"Idempotency-Key": "pay-2026-11-23-1"}

    first = client.post(url, json={"amount": "10.00"}, headers=me | key)
    again = client.post(url, json={"amount": "10.00"}, headers=me | key)
    other = client.post(url, json={"amount": "11.00"}, headers=me | key)

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["checkout_id"] == first.get_json()["checkout_id"]
    assert again.get_json()["url"] == first.get_json()["url"]
    assert other.status_code == 422
    assert count_rows(GatewayCheckout) == count_rows(DemoCheckout) == 1
    bad_key = client.post(url, json={"amount": "10.00"}, headers=me | {"Idempotency-Key": "has spaces"})
    assert bad_key.status_code == 422
    assert count_rows(GatewayCheckout) == 1


def test_paying_a_proforma_on_the_hosted_page_issues_its_invoice_and_pays_it(client, operator, customer, me, checkout):
    lines = [{"description": "Installation", "unit_price": "45.00"}]
    proforma = client.post(
        f"/admin/v1/customers/{customer['id']}/invoices", json={"lines": lines, "proforma": True}, headers=operator
    ).get_json()
    assert (
        client.post(
            f"/v1/customers/{customer['id']}/checkouts",
            json={"invoice_ids": [proforma["id"]], "amount": "40.00"},
            headers=me,
        ).status_code
        == 422
    )  # a proforma is paid in full
    opened = checkout(customer["id"], me, invoice_ids=[proforma["id"]])
    assert opened["amount"] == "45.00"

    paid = client.post(page_of(opened), data={"action": "pay", **CARD})

    assert "Paid. Thank you." in paid.get_data(as_text=True)

    assert (
        client.get(f"/v1/customers/{customer['id']}/invoices/{proforma['id']}", headers=me).get_json()["status"]
        == "paid"
    )
    [invoice] = client.get(f"/v1/customers/{customer['id']}/invoices", headers=me).get_json()["items"]
    assert (invoice["document_type"], invoice["total"], invoice["status"]) == ("invoice", "45.00", "paid")
    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=me).get_json()
    assert (summary["balance"]["sense"], summary["unpaid_proformas"]) == ("settled", 0)
