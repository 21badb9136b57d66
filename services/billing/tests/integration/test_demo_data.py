"""The demo data `make run` loads: customers with two months of billing, written once."""

from datetime import UTC, datetime

from billing.demo import load_demo_data


def test_demo_data_has_a_paid_and_an_open_invoice_and_is_written_once(client, operator, db):
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    assert load_demo_data(db, now) is True
    assert load_demo_data(db, now) is False

    demo, alice = (client.get(f"/v1/customers/{n}/summary", headers=operator).get_json() for n in (1, 2))
    invoices = client.get("/v1/customers/1/invoices", headers=operator).get_json()["items"]
    assert [(i["issued_on"], i["status"]) for i in invoices] == [("2026-11-01", "unpaid"), ("2026-10-01", "paid")]
    assert demo["balance"] == {"amount": invoices[0]["amount_due"], "sense": "owe"}
    assert demo["next_payment"]["due_on"] == "2026-12-01"
    assert alice["balance"] == {"amount": "50.00", "sense": "overpaid"}
