"""The daily run through the API: recurring invoices, numbering, tax, overdue, dunning, prepaid."""

from datetime import date

import pytest
from sqlalchemy import select

from billing.finance_models import Invoice, LedgerEntry
from billing.finance_schemas import SummarySchema


@pytest.fixture
def billed_partner(client, operator, partner):
    changes = {"vat_rate": "20.00", "tax_id": "GB123456789", "payment_terms_days": 14, "document_prefix": "M-"}
    response = client.patch(f"/admin/v1/partners/{partner['id']}", json=changes, headers=operator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def run(client, operator):
    def run_for(day: str) -> dict:
        response = client.post("/admin/v1/billing-runs", json={"date": day}, headers=operator)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return run_for


@pytest.fixture
def invoices_of(client, operator):
    def invoices(customer_id: int, **query) -> list[dict]:
        response = client.get(f"/admin/v1/customers/{customer_id}/invoices", query_string=query, headers=operator)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    return invoices


@pytest.fixture
def summary_of(client, operator):
    """The customer's summary, checked to be exactly what its schema describes (it is shaped by hand)."""

    def summary(customer_id: int) -> dict:
        response = client.get(f"/v1/customers/{customer_id}/summary", headers=operator)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert SummarySchema().dump(SummarySchema().load(body)) == body  # no key missing, extra or ill-typed
        return body

    return summary


def test_first_run_invoices_the_cycle_ahead_with_the_partial_cycle_before_it_prorated(
    client, operator, billed_partner, make_customer, make_plan, make_service, run, outbox_events
):
    customer = make_customer(status="active", billing_day=1)
    plan = make_plan("internet", price="30.00")
    make_service(customer["id"], plan["id"], start_date="2026-10-21")

    result = run("2026-11-01")

    assert result["invoices_issued"] == 1
    [issued] = outbox_events("billing.invoice.issued")
    invoice = issued["data"]
    assert invoice["number"] == "M-INV-2026-000001"
    assert (invoice["issued_on"], invoice["due_on"]) == ("2026-11-01", "2026-11-15")
    assert (invoice["period_start"], invoice["period_end"]) == ("2026-11-01", "2026-11-30")
    # October 21-31 is 11 of 31 days: round(30 * 11 / 31) = 10.65; November is whole.
    lines = [(line["unit_price"], line["period_start"], line["period_end"]) for line in invoice["lines"]]
    assert lines == [("10.65", "2026-10-21", "2026-10-31"), ("30.00", "2026-11-01", "2026-11-30")]
    assert [line["tax_amount"] for line in invoice["lines"]] == ["2.13", "6.00"]
    assert (invoice["net_total"], invoice["tax_total"], invoice["total"]) == ("40.65", "8.13", "48.78")
    assert invoice["tax_summary"] == [
        {"tax_rate": "20.00", "net_amount": "40.65", "tax_amount": "8.13", "total": "48.78"}
    ]
    assert invoice["amount_due"] == "48.78"


def test_running_a_date_twice_changes_nothing_the_second_time(
    client, operator, billed_partner, make_customer, make_plan, make_service, run, db, outbox_events
):
    customer = make_customer(status="active")
    make_service(customer["id"], make_plan("internet")["id"], start_date="2026-11-01")
    run("2026-11-01")
    with db.reading() as session:
        entries_before = session.scalars(select(LedgerEntry.id)).all()
    events_before = len(outbox_events())

    second = run("2026-11-01")

    assert second["invoices_issued"] == 0
    with db.reading() as session:
        assert session.scalars(select(LedgerEntry.id)).all() == entries_before
        assert len(session.scalars(select(Invoice.id)).all()) == 1
    assert len(outbox_events()) == events_before


def test_numbers_run_on_without_gaps_and_restart_each_year(
    client, operator, billed_partner, make_customer, make_plan, make_service, run, invoices_of
):
    plan = make_plan("internet")
    first = make_customer(status="active", login="first")
    second = make_customer(status="active", login="second")
    for customer in (first, second):
        make_service(customer["id"], plan["id"], start_date="2026-12-01")

    run("2026-12-01")
    run("2027-01-01")

    numbers = sorted(i["number"] for c in (first, second) for i in invoices_of(c["id"]))
    assert numbers == ["M-INV-2026-000001", "M-INV-2026-000002", "M-INV-2027-000001", "M-INV-2027-000002"]


def test_an_unpaid_invoice_goes_overdue_then_the_account_is_blocked_after_the_grace_days_and_paying_unblocks_it(
    client,
    operator,
    billed_partner,
    make_customer,
    make_plan,
    make_service,
    run,
    invoices_of,
    summary_of,
    outbox_events,
):
    customer = make_customer(status="active", grace_days=3, minimum_balance="0.00")
    make_service(customer["id"], make_plan("internet", price="25.00")["id"], start_date="2026-11-01")
    run("2026-11-01")  # due 2026-11-15

    run("2026-11-15")
    assert invoices_of(customer["id"])[0]["status"] == "unpaid"

    overdue_run = run("2026-11-16")
    assert overdue_run["invoices_overdue"] == 1
    assert overdue_run["suspensions_scheduled"] == 1
    assert invoices_of(customer["id"])[0]["status"] == "overdue"
    [scheduled] = outbox_events("billing.account.suspension_scheduled")
    assert scheduled["data"]["blocking_on"] == "2026-11-19"
    assert summary_of(customer["id"])["suspension"]["blocking_on"] == "2026-11-19"

    assert run("2026-11-18")["blocked"] == 0
    assert run("2026-11-19")["blocked"] == 1
    record = client.get(f"/admin/v1/customers/{customer['id']}", headers=operator).get_json()
    assert record["status"] == "blocked"
    assert outbox_events("billing.account.blocked")[0]["data"]["reason"] == "debt"

    paid = client.post(
        f"/admin/v1/customers/{customer['id']}/payments",
        json={"amount": "30.00", "method": "bank_transfer", "received_on": "2026-11-20"},
        headers=operator,
    )
    assert paid.status_code == 201, paid.get_json()

    record = client.get(f"/admin/v1/customers/{customer['id']}", headers=operator).get_json()
    assert record["status"] == "active"
    assert outbox_events("billing.account.unblocked")[0]["data"]["reason"] == "paid"
    assert invoices_of(customer["id"])[0]["status"] == "paid"
    summary = summary_of(customer["id"])
    assert summary["balance"] == {"amount": "0.00", "sense": "settled"}
    assert summary["suspension"] is None


def test_credit_pays_the_next_invoice_on_issue(
    client, operator, billed_partner, make_customer, make_plan, make_service, run, invoices_of, summary_of
):
    customer = make_customer(status="active")
    make_service(customer["id"], make_plan("internet", price="25.00")["id"], start_date="2026-11-01")
    client.post(
        f"/admin/v1/customers/{customer['id']}/payments",
        json={"amount": "40.00", "method": "cash", "received_on": "2026-10-30"},
        headers=operator,
    )
    assert summary_of(customer["id"])["balance"] == {"amount": "40.00", "sense": "overpaid"}

    run("2026-11-01")  # 25.00 + 20 % = 30.00, paid from the 40.00 credit
    [invoice] = invoices_of(customer["id"])
    assert (invoice["status"], invoice["amount_paid"], invoice["amount_due"]) == ("paid", "30.00", "0.00")

    run("2026-12-01")  # 30.00 with 10.00 of credit left: partly paid
    december = invoices_of(customer["id"])[0]
    assert (december["status"], december["amount_paid"], december["amount_due"]) == ("partially_paid", "10.00", "20.00")
    summary = summary_of(customer["id"])
    assert summary["balance"] == {"amount": "20.00", "sense": "owe"}
    assert summary["total_due"] == "20.00"
    assert summary["unpaid_invoices"] == 1


def test_prepaid_days_are_charged_once_each_and_the_summary_counts_the_days_left(
    client, operator, billed_partner, make_customer, make_plan, make_service, run, summary_of, db, outbox_events
):
    customer = make_customer(status="active", billing_type="prepaid")
    make_service(customer["id"], make_plan("internet", price="25.00")["id"], start_date="2026-11-01")
    client.post(
        f"/admin/v1/customers/{customer['id']}/payments",
        json={"amount": "10.00", "method": "cash", "received_on": "2026-11-01"},
        headers=operator,
    )

    run("2026-11-01")
    run("2026-11-01")
    run("2026-11-02")
    run("2026-11-03")

    with db.reading() as session:
        charges = session.scalars(
            select(LedgerEntry.amount).where(LedgerEntry.kind == "prepaid_charge").order_by(LedgerEntry.entry_date)
        ).all()
    # 30.00 a month with tax over 30 days: a dollar a day.
    assert [str(charge) for charge in charges] == ["-1.00", "-1.00", "-1.00"]
    summary = summary_of(customer["id"])
    assert summary["balance"] == {"amount": "7.00", "sense": "overpaid"}
    assert summary["prepaid"] == {"daily_cost": "1.00", "remaining_days": 7}
    assert summary["total_due"] == "0.00"
    charged = [e["data"] for e in outbox_events("billing.account.charged")]
    assert [(c["customer_id"], c["day"], c["amount"], c["balance"]) for c in charged] == [
        (customer["id"], "2026-11-01", "1.00", "9.00"),
        (customer["id"], "2026-11-02", "1.00", "8.00"),
        (customer["id"], "2026-11-03", "1.00", "7.00"),
    ]


def test_the_run_skips_customers_that_are_not_active_or_blocked(
    client, operator, billed_partner, make_customer, make_plan, make_service, run, invoices_of
):
    plan = make_plan("internet")
    new = make_customer(login="new")
    make_service(new["id"], plan["id"], start_date="2026-11-01")
    inactive = make_customer(status="inactive", login="gone")
    make_service(inactive["id"], plan["id"], start_date="2026-11-01")

    assert run("2026-11-01")["customers"] == 0
    assert invoices_of(new["id"]) == invoices_of(inactive["id"]) == []


def test_a_paused_service_is_not_charged_for_the_cycle_it_is_paused_at_the_start_of(
    client, operator, billed_partner, make_customer, make_plan, make_service, run, invoices_of
):
    customer = make_customer(status="active")
    plan = make_plan("internet")
    service = make_service(customer["id"], plan["id"], start_date="2026-11-01")
    make_service(customer["id"], make_plan("custom")["id"], start_date="2026-11-01")
    client.patch(f"/admin/v1/services/{service['id']}", json={"status": "paused"}, headers=operator)

    run("2026-11-01")

    [invoice] = invoices_of(customer["id"])
    detail = client.get(f"/admin/v1/invoices/{invoice['id']}", headers=operator).get_json()
    assert [line["description"] for line in detail["lines"]] == ["Static IP, 2026-11-01 to 2026-11-30"]
    assert date.fromisoformat(detail["due_on"]) == date(2026, 11, 15)
