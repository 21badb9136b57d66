"""A customer accepts a contract once; the record is immutable and shown to operators."""

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from documents.models import ContractAcceptance

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
ACCEPTED = "documents.contract.accepted"


@pytest.fixture
def contract(replicated, upload, files):
    replicated(customer_id=7)
    return upload(
        7, files["pdf"], "agreement.pdf", title="Service agreement", kind="contract", requires_acceptance=True
    ).get_json()


def accept(client, as_customer, document, customer_id=7, **overrides):
    body = {"accepted_name": "Jane Doe", "sha256": document["sha256"]} | overrides
    headers = {**as_customer(customer_id), "User-Agent": BROWSER, "X-Forwarded-For": "203.0.113.9, 10.0.0.2"}
    return client.post(f"/v1/customers/{customer_id}/documents/{document['id']}/acceptance", json=body, headers=headers)


def acceptances(db) -> list[ContractAcceptance]:
    with db.reading() as session:
        return session.scalars(select(ContractAcceptance)).all()


def test_the_customer_accepts_the_exact_file_and_operators_see_the_record(
    client, operator, as_customer, contract, db, outbox_events
):
    response = accept(client, as_customer, contract)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["document_id"], body["accepted_name"], body["sha256"]) == (
        contract["id"],
        "Jane Doe",
        contract["sha256"],
    )
    [record] = acceptances(db)
    assert (record.customer_id, record.ip_address, record.user_agent, record.sha256) == (
        7,
        "203.0.113.9",
        BROWSER,
        contract["sha256"],
    )
    admin = client.get(f"/admin/v1/documents/{contract['id']}", headers=operator).get_json()
    assert admin["acceptance"] | {"accepted_at": None} == {
        "id": record.id,
        "document_id": contract["id"],
        "customer_id": 7,
        "accepted_name": "Jane Doe",
        "accepted_at": None,
        "ip_address": "203.0.113.9",
        "user_agent": BROWSER,
        "sha256": contract["sha256"],
    }
    customer_view = client.get(f"/v1/customers/7/documents/{contract['id']}", headers=as_customer(7)).get_json()
    assert customer_view["acceptance"]["accepted_name"] == "Jane Doe"
    assert "ip_address" not in customer_view["acceptance"]
    [event] = outbox_events(ACCEPTED)
    assert event["data"] | {"accepted_at": None} == {
        "acceptance_id": record.id,
        "document_id": contract["id"],
        "customer_id": 7,
        "title": "Service agreement",
        "sha256": contract["sha256"],
        "accepted_name": "Jane Doe",
        "accepted_at": None,
    }


def test_accepting_twice_is_a_conflict_and_keeps_the_first_record(client, as_customer, contract, db, outbox_events):
    assert accept(client, as_customer, contract).status_code == 201
    first = acceptances(db)[0]

    again = accept(client, as_customer, contract, accepted_name="Someone Else")

    assert again.status_code == 409
    [kept] = acceptances(db)
    assert (kept.id, kept.accepted_name, kept.accepted_at) == (first.id, "Jane Doe", first.accepted_at)
    assert len(outbox_events(ACCEPTED)) == 1


def test_the_record_cannot_be_changed_even_in_the_database(client, as_customer, contract, db):
    accept(client, as_customer, contract)

    with pytest.raises(DBAPIError, match="immutable"), db.transaction() as session:
        session.execute(update(ContractAcceptance).values(accepted_name="Forged"))

    assert acceptances(db)[0].accepted_name == "Jane Doe"


def test_an_accepted_contract_keeps_its_terms_and_cannot_be_deleted(client, operator, as_customer, contract, db):
    accept(client, as_customer, contract)
    url = f"/admin/v1/documents/{contract['id']}"

    assert client.patch(url, json={"requires_acceptance": False}, headers=operator).status_code == 409
    assert client.patch(url, json={"kind": "document"}, headers=operator).status_code == 409
    assert client.delete(url, headers=operator).status_code == 409
    # Hiding it is allowed: the record stays.
    assert client.patch(url, json={"visible": False}, headers=operator).status_code == 200
    assert client.get(url, headers=operator).get_json()["acceptance"]["accepted_name"] == "Jane Doe"
    assert len(acceptances(db)) == 1


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"sha256": "0" * 64}, 409),  # not the file the contract holds
        ({"sha256": "not-a-hash"}, 422),
        ({"accepted_name": ""}, 422),
        ({"accepted_name": "x" * 201}, 422),
        ({"accepted_name": None}, 422),
        ({"extra": True}, 422),
    ],
)
def test_bad_acceptances_are_refused_and_write_nothing(
    client, as_customer, contract, db, outbox_events, overrides, status
):
    response = accept(client, as_customer, contract, **overrides)

    assert response.status_code == status, response.get_json()
    assert acceptances(db) == []
    assert outbox_events(ACCEPTED) == []


def test_only_a_contract_asking_for_it_can_be_accepted(client, operator, as_customer, replicated, upload, files, db):
    replicated(customer_id=7)
    plain = upload(7, files["pdf"], "a.pdf").get_json()
    contract = upload(7, files["png"], "b.png", kind="contract").get_json()
    hidden = upload(7, files["docx"], "c.docx", kind="contract", requires_acceptance=True, visible=False).get_json()

    assert accept(client, as_customer, plain).status_code == 409
    assert accept(client, as_customer, contract).status_code == 409
    assert accept(client, as_customer, hidden).status_code == 404
    assert acceptances(db) == []


def test_only_the_customer_can_accept(client, operator, contract, db):
    response = client.post(
        f"/v1/customers/7/documents/{contract['id']}/acceptance",
        json={"accepted_name": "Admin", "sha256": contract["sha256"]},
        headers=operator,
    )

    assert response.status_code == 403
    assert acceptances(db) == []
