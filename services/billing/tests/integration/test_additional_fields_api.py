"""Operators define additional fields; customers' values are checked against them."""

import pytest
from sqlalchemy import select

from billing.models import AdditionalField, Customer

FIELDS = "/admin/v1/additional-fields"


@pytest.fixture
def defined(client, operator):
    """A field of every type; `segment` is required."""
    definitions = [
        {"name": "notes", "label": "Notes", "type": "text"},
        {"name": "floor", "label": "Floor", "type": "number"},
        {"name": "contract_end", "label": "Contract ends", "type": "date"},
        {"name": "segment", "label": "Segment", "type": "choice", "choices": ["home", "business"], "required": True},
        {"name": "vip", "label": "VIP", "type": "yes_no"},
    ]
    for definition in definitions:
        response = client.post(FIELDS, json=definition, headers=operator)
        assert response.status_code == 201, response.get_json()
    return definitions


def stored_additional(db) -> list[dict]:
    with db.reading() as session:
        return [c.additional for c in session.scalars(select(Customer).order_by(Customer.id))]


def test_definitions_are_created_listed_in_position_order_changed_and_removed(client, operator, db):
    first = client.post(FIELDS, json={"name": "notes", "label": "Notes", "type": "text"}, headers=operator)
    second = client.post(
        FIELDS, json={"name": "segment", "label": "Segment", "type": "choice", "choices": ["a", "b"]}, headers=operator
    )
    assert first.status_code == second.status_code == 201
    assert first.get_json() == {
        "name": "notes", "label": "Notes", "type": "text", "choices": [], "required": False, "position": 1,
    }  # fmt: skip
    assert second.get_json()["position"] == 2

    moved = client.patch(
        f"{FIELDS}/segment", json={"position": 0, "label": "Market", "required": True}, headers=operator
    )
    assert moved.status_code == 200
    assert moved.get_json()["label"] == "Market" and moved.get_json()["required"] is True

    listed = client.get(FIELDS, headers=operator).get_json()
    assert [d["name"] for d in listed] == ["segment", "notes"]

    assert client.delete(f"{FIELDS}/notes", headers=operator).status_code == 204
    assert [d["name"] for d in client.get(FIELDS, headers=operator).get_json()] == ["segment"]
    with db.reading() as session:
        assert session.scalars(select(AdditionalField.name)).all() == ["segment"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Bad Name", "label": "x", "type": "text"},
        {"name": "1st", "label": "x", "type": "text"},
        {"name": "ok", "label": "", "type": "text"},
        {"name": "ok", "label": "x", "type": "colour"},
        {"name": "ok", "label": "x", "type": "choice"},
        {"name": "ok", "label": "x", "type": "choice", "choices": []},
        {"name": "ok", "label": "x", "type": "choice", "choices": ["a", "a"]},
        {"name": "ok", "label": "x", "type": "text", "choices": ["a"]},
        {"name": "ok", "label": "x", "type": "text", "required": "yes"},
        {"name": "ok", "label": "x", "type": "text", "position": -1},
        {"name": "ok", "label": "x", "type": "text", "extra": 1},
        {"label": "x", "type": "text"},
    ],
)
def test_a_bad_definition_is_refused_and_nothing_is_written(client, operator, count_rows, body):
    response = client.post(FIELDS, json=body, headers=operator)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]
    assert count_rows(AdditionalField) == 0


def test_a_name_is_defined_once_and_name_and_type_never_change(client, operator, defined):
    again = client.post(FIELDS, json={"name": "notes", "label": "Again", "type": "text"}, headers=operator)
    assert again.status_code == 409
    for change in ({"name": "remarks"}, {"type": "number"}, {"choices": ["x"]}, {"required": 1}):
        response = client.patch(f"{FIELDS}/notes", json=change, headers=operator)
        assert response.status_code == 422, change
    assert client.patch(f"{FIELDS}/nothing", json={"label": "x"}, headers=operator).status_code == 404
    assert client.delete(f"{FIELDS}/nothing", headers=operator).status_code == 404
    assert client.get(FIELDS, headers=operator).get_json() == [
        d | {"choices": d.get("choices", []), "required": d.get("required", False), "position": i + 1}
        for i, d in enumerate(defined)
    ]


def test_customers_hold_values_of_every_type(make_customer, defined, client, operator, db):
    values = {"notes": "gate 4711", "floor": 3, "contract_end": "2027-01-31", "segment": "business", "vip": True}
    record = make_customer(additional=values)
    assert record["additional"] == values
    assert client.get(f"/admin/v1/customers/{record['id']}", headers=operator).get_json()["additional"] == values
    assert stored_additional(db) == [values]


@pytest.mark.parametrize(
    ("additional", "field"),
    [
        ({"segment": "enterprise"}, "segment"),
        ({"segment": "home", "floor": "three"}, "floor"),
        ({"segment": "home", "contract_end": "2027-02-30"}, "contract_end"),
        ({"segment": "home", "vip": "yes"}, "vip"),
        ({"segment": "home", "notes": 5}, "notes"),
        ({"segment": "home", "colour": "red"}, "colour"),
        ({"notes": "no segment"}, "segment"),
    ],
)
def test_a_bad_value_is_a_422_under_its_field_path_and_nothing_is_written(
    client, operator, body_of_customer, defined, count_rows, outbox_events, additional, field
):
    response = client.post("/admin/v1/customers", json=body_of_customer(additional=additional), headers=operator)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert list(response.get_json()["errors"]["additional"]) == [field]
    assert count_rows(Customer) == 0
    assert outbox_events() == []


def test_a_change_merges_values_and_bad_values_change_nothing(make_customer, defined, client, operator, db):
    record = make_customer(additional={"segment": "home", "notes": "first"})
    url = f"/admin/v1/customers/{record['id']}"

    changed = client.patch(url, json={"additional": {"vip": True, "notes": None}}, headers=operator)
    assert changed.status_code == 200
    assert changed.get_json()["additional"] == {"segment": "home", "vip": True}

    for bad in ({"segment": None}, {"floor": "x"}, {"unknown": 1}, ["segment"]):
        response = client.patch(url, json={"additional": bad}, headers=operator)
        assert response.status_code == 422, bad
    assert stored_additional(db) == [{"segment": "home", "vip": True}]
    assert client.get(url, headers=operator).get_json()["revision"] == 2


def test_a_choice_held_by_a_customer_cannot_be_removed(make_customer, defined, client, operator, db):
    make_customer(additional={"segment": "business"})
    refused = client.patch(f"{FIELDS}/segment", json={"choices": ["home"]}, headers=operator)
    assert refused.status_code == 409
    assert refused.get_json()["choices"] == ["business"]
    allowed = client.patch(f"{FIELDS}/segment", json={"choices": ["business", "shop"]}, headers=operator)
    assert allowed.status_code == 200
    assert allowed.get_json()["choices"] == ["business", "shop"]


def test_removing_a_field_removes_its_values_as_customer_changes(
    make_customer, defined, client, operator, db, outbox_events
):
    holder = make_customer(login="holder", additional={"segment": "home", "vip": False})
    other = make_customer(login="other", additional={"segment": "home"})

    assert client.delete(f"{FIELDS}/vip", headers=operator).status_code == 204

    assert stored_additional(db) == [{"segment": "home"}, {"segment": "home"}]
    [update] = outbox_events("billing.customer.updated")
    assert update["data"]["id"] == holder["id"]
    assert update["data"]["changed"] == ["additional"]
    assert update["data"]["additional"] == {"segment": "home"}
    timeline = client.get(f"/admin/v1/customers/{holder['id']}/activity", headers=operator).get_json()["items"]
    assert timeline[0]["changes"] == [{"field": "additional.vip", "old": False, "new": None}]
    assert client.get(f"/admin/v1/customers/{other['id']}", headers=operator).get_json()["revision"] == 1
