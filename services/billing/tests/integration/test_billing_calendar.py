"""Four months of daily runs for five customers, checked against hand-computed invoices and statuses.

The partner charges 20 % VAT with 14 days to pay. Every recurring customer has Internet at
20.00 a month from 2026-10-01 (24.00 with tax), billed on the 1st, due on the 15th:
- A pays 24.00 on the 10th of each month: always paid, never dunned.
- B pays 24.00 on the 20th: overdue on the 16th, blocked on the 19th (3 grace days),
  unblocked by the payment on the 20th, every month.
- C pays 10.00 on the 10th: blocked on 2026-10-16 (no grace) and stays blocked, still billed.
- D paid 100.00 ahead on 2026-09-30: each invoice is paid from the credit on issue; 4.00 left.
- E is prepaid, 25.00 a month (30.00 with tax), topped up with 30.00 on 2026-10-01 and
  15.00 on 2026-11-05: October's 31 days use up the 30.00, the 1st of November puts it in
  debt and it is blocked (no grace); the top-up unblocks it for 14 more days of 1.00; blocked
  again on 2026-11-19, and a blocked account's days are not charged.
Each day the day's payments come first, then the run.
"""

from datetime import date, timedelta

import pytest

PAYMENTS = {
    "A": [(date(2026, m, 10) if m > 9 else date(2027, m, 10), "24.00") for m in (10, 11, 12, 1)],
    "B": [(date(2026, m, 20) if m > 9 else date(2027, m, 20), "24.00") for m in (10, 11, 12, 1)],
    "C": [(date(2026, m, 10) if m > 9 else date(2027, m, 10), "10.00") for m in (10, 11, 12, 1)],
    "D": [(date(2026, 9, 30), "100.00")],
    "E": [(date(2026, 10, 1), "30.00"), (date(2026, 11, 5), "15.00")],
}


@pytest.fixture
def calendar(client, operator, partner, make_customer, make_plan, make_service):
    client.patch(f"/admin/v1/partners/{partner['id']}", json={"vat_rate": "20.00"}, headers=operator)
    internet = make_plan("internet", price="20.00")
    prepaid_plan = make_plan("internet", name="Prepaid 50", price="25.00")
    people = {
        "A": make_customer(status="active", login="a"),
        "B": make_customer(status="active", login="b", grace_days=3),
        "C": make_customer(status="active", login="c"),
        "D": make_customer(status="active", login="d"),
        "E": make_customer(status="active", login="e", billing_type="prepaid"),
    }
    for name, customer in people.items():
        plan = prepaid_plan if name == "E" else internet
        make_service(customer["id"], plan["id"], start_date="2026-10-01")
    day = date(2026, 9, 30)
    while day <= date(2027, 1, 31):
        for name, plan_payments in PAYMENTS.items():
            for paid_on, amount in plan_payments:
                if paid_on == day:
                    response = client.post(
                        f"/admin/v1/customers/{people[name]['id']}/payments",
                        json={"amount": amount, "method": "bank_transfer", "received_on": day.isoformat()},
                        headers=operator,
                    )
                    assert response.status_code == 201, response.get_json()
        if day >= date(2026, 10, 1):
            result = client.post("/admin/v1/billing-runs", json={"date": day.isoformat()}, headers=operator)
            assert result.get_json()["failed"] == 0
        day += timedelta(days=1)
    return people


def invoices(client, operator, customer) -> list[tuple[str, str, str, str]]:
    items = client.get(f"/admin/v1/customers/{customer['id']}/invoices", headers=operator).get_json()["items"]
    return [(i["issued_on"], i["total"], i["status"], i["amount_due"]) for i in reversed(items)]


def state(client, operator, customer) -> tuple[str, dict]:
    record = client.get(f"/admin/v1/customers/{customer['id']}", headers=operator).get_json()
    summary = client.get(f"/v1/customers/{customer['id']}/summary", headers=operator).get_json()
    return record["status"], summary["balance"]


MONTHS = ["2026-10-01", "2026-11-01", "2026-12-01", "2027-01-01"]


def test_four_months_of_daily_runs(client, operator, calendar, outbox_events):
    a, b, c, d, e = (calendar[name] for name in "ABCDE")

    assert invoices(client, operator, a) == [(m, "24.00", "paid", "0.00") for m in MONTHS]
    assert state(client, operator, a) == ("active", {"amount": "0.00", "sense": "settled"})

    assert invoices(client, operator, b) == [(m, "24.00", "paid", "0.00") for m in MONTHS]
    assert state(client, operator, b) == ("active", {"amount": "0.00", "sense": "settled"})
    for event_type, count in (("suspension_scheduled", 4), ("blocked", 4), ("unblocked", 4)):
        of_b = [x for x in outbox_events(f"billing.account.{event_type}") if x["data"]["customer_id"] == b["id"]]
        assert len(of_b) == count, event_type
    blocking_days = [
        x["data"]["blocking_on"]
        for x in outbox_events("billing.account.suspension_scheduled")
        if x["data"]["customer_id"] == b["id"]
    ]
    assert blocking_days == ["2026-10-19", "2026-11-19", "2026-12-19", "2027-01-19"]

    # C's 40.00 paid the oldest first: October in full, 16.00 of November.
    assert invoices(client, operator, c) == [
        ("2026-10-01", "24.00", "paid", "0.00"),
        ("2026-11-01", "24.00", "overdue", "8.00"),
        ("2026-12-01", "24.00", "overdue", "24.00"),
        ("2027-01-01", "24.00", "overdue", "24.00"),
    ]
    assert state(client, operator, c) == ("blocked", {"amount": "56.00", "sense": "owe"})
    summary_c = client.get(f"/v1/customers/{c['id']}/summary", headers=operator).get_json()
    assert (summary_c["total_due"], summary_c["unpaid_invoices"]) == ("56.00", 3)

    assert invoices(client, operator, d) == [(m, "24.00", "paid", "0.00") for m in MONTHS]
    assert state(client, operator, d) == ("active", {"amount": "4.00", "sense": "overpaid"})

    assert invoices(client, operator, e) == []
    ledger = client.get(f"/admin/v1/customers/{e['id']}/ledger", query_string={"limit": 200}, headers=operator)
    charges = [x for x in ledger.get_json()["items"] if x["kind"] == "prepaid_charge"]
    charged_days = sorted(x["entry_date"] for x in charges)
    assert charged_days[:31] == [f"2026-10-{n:02d}" for n in range(1, 32)]
    assert charged_days[31:] == ["2026-11-01"] + [f"2026-11-{n:02d}" for n in range(5, 20)]
    assert sum(float(x["amount"]) for x in charges if x["entry_date"].startswith("2026-10")) == pytest.approx(-30.0)
    assert state(client, operator, e) == ("blocked", {"amount": "1.00", "sense": "owe"})
    summary_e = client.get(f"/v1/customers/{e['id']}/summary", headers=operator).get_json()
    assert (summary_e["total_due"], summary_e["prepaid"]["remaining_days"]) == ("1.00", 0)

    for customer in calendar.values():
        audit = client.get(f"/admin/v1/customers/{customer['id']}/ledger/audit", headers=operator).get_json()
        assert audit["problems"] == []
