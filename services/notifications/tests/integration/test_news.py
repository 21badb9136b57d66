"""News: operators write, schedule, target and expire it; customers see what is theirs and current, latest first."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from notifications.config import NotificationConfig
from notifications.models import Delivery, News
from notifications.news_mailing import NewsMailing

ADMIN = "/admin/v1/news"


@pytest.fixture
def customers(handle, customer_created):
    """Jane (7) of partner 1 and Bob (8) of partner 2."""
    handle(customer_created(customer_id=7, partner_id=1))
    handle(customer_created(customer_id=8, partner_id=2, login="bob", full_name="Bob Roe", emails=["bob@example.com"]))


def iso(moment) -> str:
    return moment.isoformat()


def titles(client, customer_id, headers) -> list[str]:
    answer = client.get(f"/v1/customers/{customer_id}/news", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return [item["title"] for item in answer.get_json()["items"]]


def write(client, operator, **values) -> dict:
    answer = client.post(ADMIN, json={"body": "Details.", **values}, headers=operator)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_customers_see_news_for_their_partner_or_everyone_latest_first(client, operator, as_customer, customers, clock):
    now = clock()
    write(client, operator, title="For all", publish_at=iso(now - timedelta(hours=3)))
    write(client, operator, title="Partner 1", publish_at=iso(now - timedelta(hours=2)), partner_ids=[1])
    write(client, operator, title="Partners 2 and 3", publish_at=iso(now - timedelta(hours=1)), partner_ids=[2, 3])

    assert titles(client, 7, as_customer(7)) == ["Partner 1", "For all"]
    assert titles(client, 8, as_customer(8)) == ["Partners 2 and 3", "For all"]


def test_scheduled_news_appears_at_its_time_and_expired_news_goes(client, operator, as_customer, customers, clock):
    now = clock()
    write(client, operator, title="Later", publish_at=iso(now + timedelta(hours=1)))
    write(
        client, operator, title="Gone", publish_at=iso(now - timedelta(days=2)), expires_at=iso(now - timedelta(days=1))
    )
    write(client, operator, title="Now", expires_at=iso(now + timedelta(minutes=30)))

    assert titles(client, 7, as_customer(7)) == ["Now"]
    clock.advance(hours=1)
    assert titles(client, 7, as_customer(7)) == ["Later"]


def test_an_operator_edits_and_expires_news(client, operator, as_customer, customers, clock):
    item = write(client, operator, title="Typo", partner_ids=[2])

    edited = client.patch(f"{ADMIN}/{item['id']}", json={"title": "Fixed", "partner_ids": []}, headers=operator)

    assert edited.status_code == 200
    assert (edited.get_json()["title"], edited.get_json()["partner_ids"]) == ("Fixed", [])
    assert titles(client, 7, as_customer(7)) == ["Fixed"]
    expired = client.post(f"{ADMIN}/{item['id']}/expire", headers=operator)
    assert expired.get_json()["state"] == "expired"
    assert titles(client, 7, as_customer(7)) == []
    assert client.get(f"{ADMIN}?state=expired", headers=operator).get_json()["items"][0]["title"] == "Fixed"
    assert client.get(f"{ADMIN}?state=published", headers=operator).get_json()["items"] == []


def test_the_admin_list_shows_states_and_pages(client, operator, clock):
    now = clock()
    for hour in range(3):
        write(client, operator, title=f"Item {hour}", publish_at=iso(now - timedelta(hours=3 - hour)))
    write(client, operator, title="Soon", publish_at=iso(now + timedelta(hours=1)), partner_ids=[5])

    first = client.get(f"{ADMIN}?limit=2", headers=operator).get_json()
    second = client.get(f"{ADMIN}?limit=2&cursor={first['next_cursor']}", headers=operator).get_json()

    assert [(i["title"], i["state"]) for i in first["items"] + second["items"]] == [
        ("Soon", "scheduled"), ("Item 2", "published"), ("Item 1", "published"), ("Item 0", "published"),
    ]  # fmt: skip
    assert second["next_cursor"] is None
    assert [i["title"] for i in client.get(f"{ADMIN}?state=scheduled", headers=operator).get_json()["items"]] == [
        "Soon"
    ]


def test_customer_news_pages_with_a_cursor(client, operator, as_customer, customers, clock):
    for minute in range(5):
        write(client, operator, title=f"N{minute}", publish_at=iso(clock() - timedelta(minutes=10 - minute)))

    first = client.get("/v1/customers/7/news?limit=3", headers=as_customer(7)).get_json()
    second = client.get(
        f"/v1/customers/7/news?limit=3&cursor={first['next_cursor']}", headers=as_customer(7)
    ).get_json()

    assert [i["title"] for i in first["items"] + second["items"]] == ["N4", "N3", "N2", "N1", "N0"]
    assert set(first["items"][0]) == {"id", "title", "body", "published_at", "expires_at"}


def test_another_customers_news_is_404(client, as_customer, customers):
    assert client.get("/v1/customers/7/news", headers=as_customer(8)).status_code == 404
    assert client.get("/v1/customers/99/news", headers=as_customer(99)).status_code == 404
    assert client.get("/v1/customers/7/news").status_code == 401


BAD = [
    ({"body": "no title"}, "title"),
    ({"title": "", "body": "x"}, "title"),
    ({"title": "x" * 201, "body": "x"}, "title"),
    ({"title": "x", "body": "x", "publish_at": "tomorrow"}, "publish_at"),
    ({"title": "x", "body": "x", "publish_at": "2026-03-02T00:00:00Z", "expires_at": "2026-03-01T00:00:00Z"},
     "expires_at"),
    ({"title": "x", "body": "x", "partner_ids": [0]}, "partner_ids"),
    ({"title": "x", "body": "x", "state": "published"}, "state"),
]  # fmt: skip


@pytest.mark.parametrize(("payload", "field"), BAD, ids=[f"{field}-{n}" for n, (_, field) in enumerate(BAD)])
def test_bad_news_is_422_and_nothing_is_written(client, db, operator, payload, field):
    answer = client.post(ADMIN, json=payload, headers=operator)

    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["errors"]
    with db.reading() as session:
        assert session.execute(select(func.count()).select_from(News)).scalar_one() == 0


def test_bad_edits_are_4xx_and_change_nothing(client, operator, clock):
    item = write(client, operator, title="Stays", publish_at=iso(clock()))

    assert client.patch(f"{ADMIN}/{item['id']}", json={}, headers=operator).status_code == 422
    assert (
        client.patch(
            f"{ADMIN}/{item['id']}", json={"expires_at": iso(clock() - timedelta(days=1))}, headers=operator
        ).status_code
        == 422
    )
    assert client.patch(f"{ADMIN}/999", json={"title": "x"}, headers=operator).status_code == 404
    assert client.post(f"{ADMIN}/999/expire", headers=operator).status_code == 404
    assert client.get(f"{ADMIN}/{item['id']}", headers=operator).get_json()["expires_at"] is None
    assert client.get(f"{ADMIN}/{item['id']}", headers=operator).get_json()["title"] == "Stays"


def test_news_asking_for_email_goes_once_to_its_customers_who_take_news_emails(
    client, db, operator, as_customer, customers, handle, customer_created, clock, settings, sender, running_smtp_server
):
    handle(customer_created(customer_id=9, partner_id=1, login="ann", full_name="Ann", emails=["ann@example.com"]))
    client.patch("/v1/customers/9/notification-preferences", json={"news_emails": False}, headers=as_customer(9))
    write(
        client,
        operator,
        title="Fibre in town",
        partner_ids=[1],
        send_email=True,
        publish_at=iso(clock() + timedelta(minutes=5)),
    )
    mailing = NewsMailing(db, NotificationConfig.from_settings(settings), clock=clock)

    assert mailing.run_once() == 0  # not published yet
    clock.advance(minutes=6)
    assert mailing.run_once() == 2
    assert mailing.run_once() == 0
    sender.send_due()

    assert sorted(r.rcpt_tos[0] for r in running_smtp_server.received) == ["jane.doe@work.example", "jane@example.com"]
    assert {r.message["Subject"] for r in running_smtp_server.received} == {"Fibre in town"}
    assert "https://portal.example/news" in running_smtp_server.received[0].message.get_body(("plain",)).get_content()
    with db.reading() as session:
        assert session.scalars(select(News.emailed_at)).one() is not None
        assert session.execute(select(func.count()).select_from(Delivery)).scalar_one() == 2
