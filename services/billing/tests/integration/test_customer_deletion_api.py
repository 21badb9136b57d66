"""Only Inactive customers are deleted; several at once all or nothing; each deletion is an event."""

from sqlalchemy import select

from billing.models import Activity, Customer, CustomerComment

BULK = "/admin/v1/customers/bulk-delete"


def customer_ids(db) -> list[int]:
    with db.reading() as session:
        return session.scalars(select(Customer.id).order_by(Customer.id)).all()


def test_an_inactive_customer_is_deleted_with_its_comments_and_an_event(
    make_customer, client, operator, db, count_rows, outbox_events
):
    customer = make_customer(status="inactive")
    url = f"/admin/v1/customers/{customer['id']}"
    client.post(f"{url}/comments", json={"body": "moving abroad"}, headers=operator)

    response = client.delete(url, headers=operator)

    assert response.status_code == 204
    assert client.get(url, headers=operator).status_code == 404
    assert customer_ids(db) == []
    assert count_rows(CustomerComment) == 0
    [deleted] = outbox_events("billing.customer.deleted")
    assert deleted["data"]["id"] == customer["id"]
    assert deleted["data"]["revision"] == customer["revision"] + 1
    # The trail stays, readable, ending with the deletion.
    timeline = client.get(f"{url}/activity", headers=operator).get_json()["items"]
    assert timeline[0]["action"] == "customer.deleted"
    assert {"field": "login", "old": "jane.doe", "new": None} in timeline[0]["changes"]
    assert count_rows(Activity) == len(timeline)


def test_a_customer_that_is_not_inactive_is_not_deleted(make_customer, client, operator, db, outbox_events):
    for status in ("new", "active", "blocked", "lead"):
        customer = make_customer(status=status, login=f"c-{status}")
        response = client.delete(f"/admin/v1/customers/{customer['id']}", headers=operator)
        assert response.status_code == 409, status
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["ids"] == [customer["id"]]
    assert len(customer_ids(db)) == 4
    assert outbox_events("billing.customer.deleted") == []


def test_deleting_an_unknown_customer_is_a_404(client, operator):
    response = client.delete("/admin/v1/customers/4040", headers=operator)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_bulk_delete_deletes_every_inactive_customer_named(make_customer, client, operator, db, outbox_events):
    doomed = [make_customer(status="inactive", login=f"gone{i}")["id"] for i in range(3)]
    kept = make_customer(status="active", login="kept")["id"]

    response = client.post(BULK, json={"ids": [doomed[2], doomed[0], doomed[1], doomed[0]]}, headers=operator)

    assert response.status_code == 200
    assert response.get_json() == {"deleted": doomed}
    assert customer_ids(db) == [kept]
    assert [e["data"]["id"] for e in outbox_events("billing.customer.deleted")] == doomed


def test_bulk_delete_with_one_active_customer_deletes_nothing(make_customer, client, operator, db, outbox_events):
    inactive = [make_customer(status="inactive", login=f"old{i}")["id"] for i in range(2)]
    active = make_customer(status="active", login="busy")["id"]

    response = client.post(BULK, json={"ids": [*inactive, active]}, headers=operator)

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["ids"] == [active]
    assert customer_ids(db) == sorted([*inactive, active])
    assert outbox_events("billing.customer.deleted") == []


def test_bulk_delete_with_an_unknown_id_deletes_nothing(make_customer, client, operator, db):
    inactive = make_customer(status="inactive")["id"]
    response = client.post(BULK, json={"ids": [inactive, 999, 998]}, headers=operator)
    assert response.status_code == 404
    assert response.get_json()["ids"] == [998, 999]
    assert customer_ids(db) == [inactive]


def test_bulk_delete_refuses_bad_bodies(make_customer, client, operator, db):
    inactive = make_customer(status="inactive")["id"]
    for body in (
        {},
        {"ids": []},
        {"ids": "1"},
        {"ids": ["1"]},
        {"ids": [0]},
        {"ids": [True]},
        {"ids": list(range(1, 502))},
    ):
        response = client.post(BULK, json=body, headers=operator)
        assert response.status_code == 422, body
        assert response.get_json()["errors"]
    assert customer_ids(db) == [inactive]


def test_a_status_change_emits_status_changed_beside_updated(make_customer, client, operator, outbox_events):
    customer = make_customer()
    url = f"/admin/v1/customers/{customer['id']}"

    client.patch(url, json={"status": "active", "full_name": "Jane Roe"}, headers=operator)
    client.patch(url, json={"full_name": "Jane Poe"}, headers=operator)

    assert [e["type"] for e in outbox_events()] == [
        "billing.customer.created",
        "billing.customer.updated",
        "billing.customer.status_changed",
        "billing.customer.updated",
    ]
    [moved] = outbox_events("billing.customer.status_changed")
    assert moved["data"] | {"changed_at": None} == {
        "id": customer["id"], "revision": 2, "old_status": "new", "new_status": "active", "changed_at": None,
    }  # fmt: skip
    assert outbox_events("billing.customer.updated")[0]["data"]["changed"] == ["full_name", "status"]


def test_a_refused_status_change_emits_nothing(make_customer, client, operator, outbox_events):
    customer = make_customer(status="active")
    response = client.patch(f"/admin/v1/customers/{customer['id']}", json={"status": "lead"}, headers=operator)
    assert response.status_code == 409
    assert len(outbox_events("billing.customer.status_changed")) == 1  # new → active only
