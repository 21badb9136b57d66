"""Bad input to the finance endpoints answers 4xx and writes nothing."""

import pytest
from sqlalchemy import func, select

from billing.finance_models import BillingRun, Invoice, LedgerEntry, Payment
from billing.models import Partner


@pytest.fixture
def books(client, operator, make_customer):
    customer = make_customer(status="active")
    lines = [{"description": "Installation", "unit_price": "30.00"}]
    invoice = client.post(f"/admin/v1/customers/{customer['id']}/invoices", json={"lines": lines}, headers=operator)
    payment = client.post(
        f"/admin/v1/customers/{customer['id']}/payments", json={"amount": "10.00", "method": "cash"}, headers=operator
    )
    return {"customer": customer, "invoice": invoice.get_json(), "payment": payment.get_json()}


def snapshot(db) -> tuple:
    with db.reading() as session:
        counts = [
            session.scalar(select(func.count()).select_from(m)) for m in (Invoice, Payment, LedgerEntry, BillingRun)
        ]
        return (*counts, session.scalar(select(Partner.vat_rate)))


CASES = [
    ("post", "/admin/v1/invoices/{invoice}/credit-notes", {"amount": "-1.00", "description": "x"}, 422),
    ("post", "/admin/v1/invoices/{invoice}/credit-notes", {"amount": "5.00"}, 422),
    ("post", "/admin/v1/invoices/{invoice}/credit-notes", {"amount": "31.00", "description": "x"}, 409),
    ("post", "/admin/v1/invoices/99999/credit-notes", {"amount": "1.00", "description": "x"}, 404),
    ("post", "/admin/v1/payments/{payment}/refunds", {"amount": "0.00"}, 422),
    ("post", "/admin/v1/payments/{payment}/refunds", {"amount": "10.01"}, 409),
    ("post", "/admin/v1/payments/99999/refunds", {"amount": "1.00"}, 404),
    ("post", "/admin/v1/proformas/{invoice}/payments", {"amount": "30.00", "method": "cash"}, 404),
    ("post", "/admin/v1/billing-runs", {"date": "2026-02-30"}, 422),
    ("post", "/admin/v1/billing-runs", {"date": 20261101}, 422),
    ("post", "/admin/v1/billing-runs", {}, 422),
    ("patch", "/admin/v1/partners/{partner}", {"vat_rate": "101.00"}, 422),
    ("patch", "/admin/v1/partners/{partner}", {"currency": "euro"}, 422),
    ("patch", "/admin/v1/partners/{partner}", {"payment_terms_days": -1}, 422),
    ("patch", "/admin/v1/partners/{partner}", {"document_prefix": "A/B"}, 422),
    ("patch", "/admin/v1/partners/99999", {"vat_rate": "5.00"}, 404),
    ("patch", "/admin/v1/customers/{customer}", {"billing_day": 29}, 422),
    ("get", "/admin/v1/customers/{customer}/invoices?cursor=nonsense", None, 422),
    ("get", "/admin/v1/customers/{customer}/ledger?limit=0", None, 422),
    ("get", "/admin/v1/customers/99999/ledger", None, 404),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), CASES)
def test_bad_finance_requests_are_refused_and_change_nothing(
    client, operator, partner, books, db, method, path, body, status
):
    before = snapshot(db)
    url = path.format(
        invoice=books["invoice"]["id"],
        payment=books["payment"]["id"],
        customer=books["customer"]["id"],
        partner=partner["id"],
    )

    response = (
        getattr(client, method)(url, json=body, headers=operator)
        if body is not None
        else client.get(url, headers=operator)
    )

    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert snapshot(db) == before
