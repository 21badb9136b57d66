"""Saved cards and bank accounts: masked, one per number, a default; and opting into autopay."""

from datetime import UTC, datetime

import pytest

from billing.gateway_models import DemoMethod, PaymentAccount

NEXT_YEAR = datetime.now(UTC).year + 1
CARD = {"card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": NEXT_YEAR, "holder_name": "Jane Doe"}}
MASTERCARD = {"card": {"number": "5555555555554444", "exp_month": 6, "exp_year": NEXT_YEAR}}
IBAN = {"bank_account": {"iban": "DE89 3704 0044 0532 0130 00", "holder_name": "Jane Doe"}}


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


@pytest.fixture
def me(as_customer, customer):
    return as_customer(customer["id"])


@pytest.fixture
def accounts_url(customer):
    return f"/v1/customers/{customer['id']}/payment-accounts"


def test_a_card_is_kept_masked_and_saving_it_again_keeps_one(client, me, accounts_url, db, count_rows):
    first = client.post(accounts_url, json=CARD, headers=me)

    assert first.status_code == 201, first.get_json()
    saved = first.get_json()
    assert {k: saved[k] for k in ("kind", "masked", "brand", "last4", "exp_month", "exp_year", "is_default")} == {
        "kind": "card",
        "masked": "•••• 4242",
        "brand": "visa",
        "last4": "4242",
        "exp_month": 12,
        "exp_year": NEXT_YEAR,
        "is_default": True,
    }
    renewed = {"card": {"number": "4242-4242-4242-4242", "exp_month": 3, "exp_year": NEXT_YEAR + 2}}
    again = client.post(accounts_url, json=renewed, headers=me)

    assert again.status_code == 200
    assert again.get_json()["id"] == saved["id"]
    assert (again.get_json()["exp_month"], again.get_json()["exp_year"]) == (3, NEXT_YEAR + 2)
    assert [a["id"] for a in client.get(accounts_url, headers=me).get_json()["items"]] == [saved["id"]]
    assert count_rows(PaymentAccount) == 1
    with db.reading() as session:
        account = session.get(PaymentAccount, saved["id"])
        assert account.token.startswith("dpm_")
        assert "4242424242424242" not in " ".join(str(v) for v in vars(account).values())


def test_a_bank_account_is_kept_with_its_iban_masked(client, me, accounts_url):
    saved = client.post(accounts_url, json=IBAN, headers=me)

    assert saved.status_code == 201
    body = saved.get_json()
    assert (body["kind"], body["masked"], body["last4"], body["brand"]) == (
        "bank_account",
        "DE89 •••• 3000",
        "3000",
        None,
    )
    same = {"bank_account": {"iban": "de89370400440532013000", "holder_name": "J. Doe"}}
    assert client.post(accounts_url, json=same, headers=me).get_json()["id"] == body["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"card": {"number": "4242 4242 4242 4241", "exp_month": 12, "exp_year": NEXT_YEAR}},  # fails Luhn
        {"card": {"number": "4242 4242 4242 4242", "exp_month": 1, "exp_year": 2020}},  # expired
        {"card": {"number": "4242 4242 4242 4242", "exp_month": 13, "exp_year": NEXT_YEAR}},
        {"card": {"number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": NEXT_YEAR}},
        {"card": {"number": "4242 4242 4242 4242"}},
        {"bank_account": {"iban": "DE89 3704 0044 0532 0130 01", "holder_name": "Jane"}},  # wrong check digits
        {"bank_account": {"iban": "DE89 3704 0044 0532 0130 00"}},
        CARD | IBAN,
        {},
        CARD | {"gateway": "nope"},
        CARD | {"cvc": "123"},
    ],
)
def test_an_unusable_account_is_refused_and_nothing_is_kept(client, me, accounts_url, count_rows, body):
    answer = client.post(accounts_url, json=body, headers=me)

    assert answer.status_code in (400, 422), answer.get_json()
    assert answer.mimetype == "application/problem+json"
    assert count_rows(PaymentAccount) == count_rows(DemoMethod) == 0


def test_the_default_moves_when_chosen_or_removed(client, me, accounts_url):
    visa = client.post(accounts_url, json=CARD, headers=me).get_json()
    mastercard = client.post(accounts_url, json=MASTERCARD, headers=me).get_json()
    bank = client.post(accounts_url, json=IBAN, headers=me).get_json()
    assert (visa["is_default"], mastercard["is_default"], bank["is_default"]) == (True, False, False)

    chosen = client.patch(f"{accounts_url}/{bank['id']}", json={"is_default": True}, headers=me)
    assert chosen.status_code == 200
    assert client.patch(f"{accounts_url}/{bank['id']}", json={"is_default": False}, headers=me).status_code == 422

    assert client.delete(f"{accounts_url}/{bank['id']}", headers=me).status_code == 204
    items = client.get(accounts_url, headers=me).get_json()["items"]
    assert [(a["id"], a["is_default"]) for a in items] == [(visa["id"], True), (mastercard["id"], False)]
    assert client.delete(f"{accounts_url}/{bank['id']}", headers=me).status_code == 404

    back = client.post(accounts_url, json=IBAN, headers=me)
    assert (back.status_code, back.get_json()["id"], back.get_json()["is_default"]) == (201, bank["id"], False)


def test_another_customers_accounts_answer_404(client, me, accounts_url, make_customer, as_customer, count_rows):
    other = make_customer(status="active", login="other")
    theirs_url = f"/v1/customers/{other['id']}/payment-accounts"
    theirs = client.post(theirs_url, json=CARD, headers=as_customer(other["id"])).get_json()

    assert client.get(theirs_url, headers=me).status_code == 404
    assert client.post(theirs_url, json=MASTERCARD, headers=me).status_code == 404
    assert client.delete(f"{accounts_url}/{theirs['id']}", headers=me).status_code == 404
    assert client.patch(f"{accounts_url}/{theirs['id']}", json={"is_default": True}, headers=me).status_code == 404
    assert client.put(f"/v1/customers/{other['id']}/autopay", json={"enabled": True}, headers=me).status_code == 404
    assert count_rows(PaymentAccount) == 1


def test_autopay_needs_a_saved_account(client, me, customer, accounts_url):
    autopay_url = f"/v1/customers/{customer['id']}/autopay"
    assert client.get(autopay_url, headers=me).get_json() == {
        "enabled": False,
        "enabled_at": None,
        "payment_account": None,
    }

    assert client.put(autopay_url, json={"enabled": False}, headers=me).get_json()["enabled"] is False
    refused = client.put(autopay_url, json={"enabled": True}, headers=me)
    assert refused.status_code == 409
    assert client.get(autopay_url, headers=me).get_json()["enabled"] is False

    card = client.post(accounts_url, json=CARD, headers=me).get_json()
    enabled = client.put(autopay_url, json={"enabled": True}, headers=me)
    assert enabled.status_code == 200
    body = enabled.get_json()
    assert (body["enabled"], body["payment_account"]["id"]) == (True, card["id"])
    assert body["enabled_at"] is not None
    assert client.put(autopay_url, json={"enabled": "yes"}, headers=me).status_code == 422
    assert client.put(autopay_url, json={"enabled": False}, headers=me).get_json()["enabled"] is False
