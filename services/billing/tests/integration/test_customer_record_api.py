"""The full record: minimum balance as a two-place string, grace days, in the API, the database and the events."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from billing.models import Customer


def stored(db, customer_id: int) -> Customer:
    with db.reading() as session:
        return session.scalars(select(Customer).where(Customer.id == customer_id)).one()


def test_minimum_balance_and_grace_days_default_to_zero(make_customer, outbox_events):
    customer = make_customer()
    assert (customer["minimum_balance"], customer["grace_days"], customer["additional"]) == ("0.00", 0, {})
    [created] = outbox_events("billing.customer.created")
    assert created["data"]["minimum_balance"] == "0.00"
    assert created["data"]["grace_days"] == 0


def test_minimum_balance_is_stored_as_a_decimal_and_answered_as_a_string(
    make_customer, client, operator, db, outbox_events
):
    customer = make_customer(minimum_balance="-20.5", grace_days=7)
    assert customer["minimum_balance"] == "-20.50"
    assert stored(db, customer["id"]).minimum_balance == Decimal("-20.50")

    changed = client.patch(
        f"/admin/v1/customers/{customer['id']}", json={"minimum_balance": "12.50", "grace_days": 0}, headers=operator
    )

    assert changed.get_json()["minimum_balance"] == "12.50"
    assert stored(db, customer["id"]).minimum_balance == Decimal("12.50")
    [update] = outbox_events("billing.customer.updated")
    assert update["data"]["changed"] == ["grace_days", "minimum_balance"]
    assert (update["data"]["minimum_balance"], update["data"]["grace_days"]) == ("12.50", 0)


@pytest.mark.parametrize(
    "changes",
    [
        {"minimum_balance": "twelve"},
        {"minimum_balance": "12.345"},
        {"minimum_balance": "NaN"},
        {"minimum_balance": True},
        {"minimum_balance": "99999999999"},
        {"grace_days": -1},
        {"grace_days": "3"},
        {"grace_days": 2.5},
        {"grace_days": 366},
        {"additional": "x"},
        {"additional": {"": 1}},
    ],
)
def test_bad_money_and_grace_days_are_refused_and_nothing_is_written(
    make_customer, body_of_customer, client, operator, db, outbox_events, changes
):
    customer = make_customer(login="exists")
    created = client.post("/admin/v1/customers", json=body_of_customer(login="new", **changes), headers=operator)
    changed = client.patch(f"/admin/v1/customers/{customer['id']}", json=changes, headers=operator)

    for response in (created, changed):
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"
        assert set(response.get_json()["errors"]) == set(changes)
    with db.reading() as session:
        assert session.scalars(select(Customer.login)).all() == ["exists"]
    assert stored(db, customer["id"]).revision == 1
    assert len(outbox_events()) == 1


def test_unknown_customer_ids_are_404_on_every_customer_endpoint(client, operator):
    for method, path, body in [
        ("get", "/admin/v1/customers/999", None),
        ("patch", "/admin/v1/customers/999", {"city": "x"}),
        ("delete", "/admin/v1/customers/999", None),
        ("get", "/admin/v1/customers/999/comments", None),
        ("post", "/admin/v1/customers/999/comments", {"body": "x"}),
        ("get", "/admin/v1/customers/999/activity", None),
    ]:
        response = getattr(client, method)(path, json=body, headers=operator)
        assert response.status_code == 404, (method, path)
        assert response.mimetype == "application/problem+json"
