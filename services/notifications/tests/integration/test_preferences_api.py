"""A customer opts out of news and marketing emails; only they (and operators) see or change that."""

import pytest
from sqlalchemy import func, select

from notifications.models import NotificationPreferences

URL = "/v1/customers/7/notification-preferences"


@pytest.fixture
def jane(handle, customer_created):
    handle(customer_created())


def stored(db) -> int:
    with db.reading() as session:
        return session.execute(select(func.count()).select_from(NotificationPreferences)).scalar_one()


def test_everything_is_on_until_the_customer_opts_out(client, jane, as_customer):
    answer = client.get(URL, headers=as_customer(7))

    assert answer.status_code == 200
    assert answer.get_json() == {
        "news_emails": True,
        "marketing_emails": True,
        "mandatory": ["security", "billing", "service"],
    }


def test_opting_out_changes_only_what_is_sent(client, db, jane, as_customer):
    answer = client.patch(URL, json={"news_emails": False}, headers=as_customer(7))

    assert answer.status_code == 200
    assert (answer.get_json()["news_emails"], answer.get_json()["marketing_emails"]) == (False, True)
    client.patch(URL, json={"marketing_emails": False}, headers=as_customer(7))
    assert client.get(URL, headers=as_customer(7)).get_json()["news_emails"] is False
    assert stored(db) == 1


def test_another_customers_preferences_are_404(client, db, jane, as_customer, operator):
    assert client.get(URL, headers=as_customer(8)).status_code == 404
    assert client.patch(URL, json={"news_emails": False}, headers=as_customer(8)).status_code == 404
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=operator).status_code == 200
    assert client.get("/v1/customers/99/notification-preferences", headers=as_customer(99)).status_code == 404
    assert stored(db) == 0


@pytest.mark.parametrize("payload", [{}, {"news_emails": "maybe"}, {"billing_emails": False}, [True]])
def test_bad_input_is_422_and_nothing_is_stored(client, db, jane, as_customer, payload):
    answer = client.patch(URL, json=payload, headers=as_customer(7))

    assert answer.status_code == 422
    assert stored(db) == 0


def test_billing_and_security_messages_go_whatever_the_preferences(
    client, db, jane, as_customer, handle, make, sender, running_smtp_server
):
    client.patch(URL, json={"news_emails": False, "marketing_emails": False}, headers=as_customer(7))

    handle(make.password_reset())
    handle(make.payment_received())
    sender.send_due()

    assert len(running_smtp_server.received) == 4  # two of each, to both addresses
