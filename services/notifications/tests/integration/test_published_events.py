"""What notifications publishes through its outbox, in the transaction of the change: a portal
message posted (whatever posted it), news shown, news edited or expired; and nothing for a
request refused or an event already handled."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from notifications.models import Message, News

ADMIN_NEWS = "/admin/v1/news"
MESSAGE_CREATED = "notifications.message.created"
NEWS_PUBLISHED = "notifications.news.published"
NEWS_UPDATED = "notifications.news.updated"


def iso(moment) -> str:
    return moment.isoformat()


@pytest.fixture
def jane(handle, customer_created):
    handle(customer_created())
    return "/admin/v1/customers/7"


def write_news(client, operator, **values) -> dict:
    answer = client.post(ADMIN_NEWS, json={"title": "Fibre in town", "body": "Details.", **values}, headers=operator)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


# -- notifications.message.created -------------------------------------------------------


def test_an_operators_portal_message_publishes_message_created(client, operator, jane, clock, outbox_events):
    answer = client.post(
        f"{jane}/messages", json={"channel": "portal", "subject": "Hello", "body": "News for you."}, headers=operator
    )

    assert answer.status_code == 201, answer.get_json()
    [event] = outbox_events()
    assert (event["type"], event["producer"], event["version"]) == (MESSAGE_CREATED, "notifications", 1)
    assert event["data"] == {
        "message_id": answer.get_json()["message"]["id"],
        "customer_id": 7,
        "title": "Hello",
        "created_at": iso(clock()),
    }


def test_an_email_only_message_posts_nothing_and_publishes_nothing(client, operator, jane, outbox_events):
    answer = client.post(
        f"{jane}/messages", json={"channel": "email", "subject": "Hi", "body": "By email."}, headers=operator
    )

    assert answer.status_code == 201, answer.get_json()
    assert outbox_events() == []


def test_a_refused_message_publishes_nothing(client, operator, jane, outbox_events):
    answer = client.post(f"{jane}/messages", json={"channel": "portal", "body": "No subject."}, headers=operator)

    assert answer.status_code == 422
    assert outbox_events() == []


def test_a_notice_on_an_event_publishes_message_created_once_though_the_event_comes_twice(
    db, handle, customer_created, make, clock, outbox_events
):
    handle(customer_created())
    overdue = make.invoice_overdue()

    assert handle(overdue) == "handled"
    assert handle(overdue) == "duplicate"  # redelivered, as at-least-once allows

    with db.reading() as session:
        [message] = session.scalars(select(Message)).all()
    [event] = outbox_events(MESSAGE_CREATED)
    assert event["data"] == {
        "message_id": message.id,
        "customer_id": 7,
        "title": "Invoice INV-2026-0042 is overdue",
        "created_at": iso(clock()),
    }
    assert event["causation_id"] == overdue.id
    assert event["correlation_id"] == overdue.correlation_id


# -- notifications.news.published on creation ---------------------------------------------


def test_news_shown_at_once_is_published_when_it_is_written(client, db, operator, clock, outbox_events):
    item = write_news(client, operator, partner_ids=[2, 1], expires_at=iso(clock() + timedelta(days=7)))

    [event] = outbox_events()
    assert event["type"] == NEWS_PUBLISHED
    assert event["data"] == {
        "news_id": item["id"],
        "title": "Fibre in town",
        "partner_ids": [1, 2],
        "publish_at": iso(clock()),
        "expires_at": iso(clock() + timedelta(days=7)),
        "published_at": iso(clock()),
    }
    with db.reading() as session:
        assert session.scalars(select(News.announced_at)).one() == clock()


def test_news_written_with_a_past_publication_is_published_as_of_now(client, operator, clock, outbox_events):
    write_news(client, operator, publish_at=iso(clock() - timedelta(hours=2)))

    [event] = outbox_events(NEWS_PUBLISHED)
    assert event["data"]["publish_at"] == iso(clock() - timedelta(hours=2))
    assert event["data"]["published_at"] == iso(clock())  # it did not exist before
    assert (event["data"]["partner_ids"], event["data"]["expires_at"]) == ([], None)


def test_news_scheduled_for_later_is_not_published_when_written(client, db, operator, clock, outbox_events):
    write_news(client, operator, publish_at=iso(clock() + timedelta(hours=1)))

    assert outbox_events() == []
    with db.reading() as session:
        assert session.scalars(select(News.announced_at)).one() is None


def test_refused_news_publishes_nothing(client, operator, outbox_events):
    answer = client.post(ADMIN_NEWS, json={"title": "", "body": "x"}, headers=operator)

    assert answer.status_code == 422
    assert outbox_events() == []


# -- notifications.news.updated ---------------------------------------------------------


def test_an_edit_publishes_news_updated_with_the_fields_after_it_and_what_changed(
    client, operator, clock, outbox_events
):
    item = write_news(client, operator, title="Typo", partner_ids=[2])
    clock.advance(minutes=10)

    answer = client.patch(
        f"{ADMIN_NEWS}/{item['id']}",
        json={"title": "Fixed", "partner_ids": [3, 1], "body": "Details."},
        headers=operator,
    )

    assert answer.status_code == 200, answer.get_json()
    [published, updated] = outbox_events()
    assert published["type"] == NEWS_PUBLISHED
    assert updated["type"] == NEWS_UPDATED
    assert updated["data"] == {
        "news_id": item["id"],
        "title": "Fixed",
        "partner_ids": [1, 3],
        "publish_at": iso(clock() - timedelta(minutes=10)),
        "expires_at": None,
        "changed": ["partner_ids", "title"],  # the body sent was the same
        "updated_at": iso(clock()),
    }


def test_an_edit_that_changes_nothing_publishes_nothing(client, operator, outbox_events):
    item = write_news(client, operator, title="Same", partner_ids=[2])

    answer = client.patch(f"{ADMIN_NEWS}/{item['id']}", json={"title": "Same", "partner_ids": [2]}, headers=operator)

    assert answer.status_code == 200
    assert [event["type"] for event in outbox_events()] == [NEWS_PUBLISHED]


def test_expiring_news_publishes_news_updated_once(client, operator, clock, outbox_events):
    item = write_news(client, operator)
    clock.advance(hours=1)

    assert client.post(f"{ADMIN_NEWS}/{item['id']}/expire", headers=operator).status_code == 200
    clock.advance(hours=1)
    assert client.post(f"{ADMIN_NEWS}/{item['id']}/expire", headers=operator).status_code == 200  # already gone

    [updated] = outbox_events(NEWS_UPDATED)
    assert updated["data"]["changed"] == ["expires_at"]
    assert updated["data"]["expires_at"] == updated["data"]["updated_at"] == iso(clock() - timedelta(hours=1))


def test_bad_edits_are_4xx_and_publish_nothing(client, operator, clock, outbox_events):
    item = write_news(client, operator, title="Stays")
    before = outbox_events()

    assert client.patch(f"{ADMIN_NEWS}/{item['id']}", json={}, headers=operator).status_code == 422
    past = iso(clock() - timedelta(days=1))
    assert client.patch(f"{ADMIN_NEWS}/{item['id']}", json={"expires_at": past}, headers=operator).status_code == 422
    assert client.patch(f"{ADMIN_NEWS}/{item['id']}", json={"title": ""}, headers=operator).status_code == 422
    assert client.patch(f"{ADMIN_NEWS}/999", json={"title": "x"}, headers=operator).status_code == 404
    assert client.post(f"{ADMIN_NEWS}/999/expire", headers=operator).status_code == 404

    assert [event["type"] for event in before] == [NEWS_PUBLISHED]
    assert outbox_events() == before
