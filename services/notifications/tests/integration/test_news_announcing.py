"""Scheduled news is announced (`notifications.news.published`) once when its time comes, by the
worker's announcing step; never before, never twice, not even by two workers at once."""

import threading
from datetime import timedelta

from sqlalchemy import select

from notifications.models import News
from notifications.news import announce
from notifications.news_announcing import NewsAnnouncing
from portico.db import Database

ADMIN_NEWS = "/admin/v1/news"
NEWS_PUBLISHED = "notifications.news.published"
NEWS_UPDATED = "notifications.news.updated"


def iso(moment) -> str:
    return moment.isoformat()


def write_news(client, operator, **values) -> dict:
    answer = client.post(ADMIN_NEWS, json={"body": "Details.", **values}, headers=operator)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def published(outbox_events) -> list[tuple[int, str]]:
    return [(e["data"]["news_id"], e["data"]["published_at"]) for e in outbox_events(NEWS_PUBLISHED)]


def test_scheduled_news_is_announced_once_when_its_time_comes_and_not_before(
    client, db, operator, clock, outbox_events
):
    publish_at = clock() + timedelta(minutes=5)
    item = write_news(client, operator, title="Fibre in town", partner_ids=[4], publish_at=iso(publish_at))
    announcing = NewsAnnouncing(db, clock=clock)

    assert announcing.run_once() == 0
    clock.advance(minutes=4, seconds=59)
    assert announcing.run_once() == 0
    assert outbox_events() == []
    clock.advance(seconds=31)
    assert announcing.run_once() == 1
    assert announcing.run_once() == 0
    clock.advance(hours=1)
    assert announcing.run_once() == 0

    [event] = outbox_events()
    assert event["type"] == NEWS_PUBLISHED
    assert event["data"] == {
        "news_id": item["id"],
        "title": "Fibre in town",
        "partner_ids": [4],
        "publish_at": iso(publish_at),
        "expires_at": None,
        "published_at": iso(publish_at),  # shown from then, though announced a little later
    }
    with db.reading() as session:
        assert session.scalars(select(News.announced_at)).one() == publish_at + timedelta(seconds=30)


def test_news_announced_when_written_is_not_announced_again(client, db, operator, clock, outbox_events):
    write_news(client, operator, title="At once")
    clock.advance(minutes=1)

    assert NewsAnnouncing(db, clock=clock).run_once() == 0
    assert len(outbox_events(NEWS_PUBLISHED)) == 1


def test_a_worker_that_read_the_item_before_another_announced_it_does_not_announce_it(
    client, db, operator, clock, outbox_events
):
    item = write_news(client, operator, title="Soon", publish_at=iso(clock() + timedelta(minutes=1)))
    clock.advance(minutes=2)
    with db.reading() as session:
        seen_by_the_slow_worker = session.get(News, item["id"])

    assert NewsAnnouncing(db, clock=clock).run_once() == 1
    with db.transaction() as session:
        assert announce(session, seen_by_the_slow_worker, now=clock()) is False

    assert len(outbox_events(NEWS_PUBLISHED)) == 1


def test_two_workers_announcing_at_once_announce_each_item_once(client, settings, operator, clock, outbox_events):
    ids = [
        write_news(client, operator, title=f"Item {n}", publish_at=iso(clock() + timedelta(minutes=1)))["id"]
        for n in range(5)
    ]
    clock.advance(minutes=2)
    workers = [Database(settings.database_url), Database(settings.database_url)]  # as two processes would
    start = threading.Barrier(len(workers))
    counts: list[int] = []

    def run(db: Database) -> None:
        start.wait()
        counts.append(NewsAnnouncing(db, clock=clock).run_once())

    threads = [threading.Thread(target=run, args=(db,)) for db in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for db in workers:
        db.dispose()

    assert sum(counts) == 5
    assert sorted(news_id for news_id, _ in published(outbox_events)) == ids


def test_news_expired_before_its_time_is_never_announced(client, db, operator, clock, outbox_events):
    item = write_news(client, operator, title="Cancelled", publish_at=iso(clock() + timedelta(hours=1)))
    assert client.post(f"{ADMIN_NEWS}/{item['id']}/expire", headers=operator).status_code == 200
    clock.advance(hours=2)

    assert NewsAnnouncing(db, clock=clock).run_once() == 0

    assert [event["type"] for event in outbox_events()] == [NEWS_UPDATED]
    with db.reading() as session:
        assert session.scalars(select(News.announced_at)).one() is not None  # looked at once, then left alone


def test_scheduled_news_moved_to_now_is_announced_by_the_edit(client, db, operator, clock, outbox_events):
    item = write_news(client, operator, title="Sooner", publish_at=iso(clock() + timedelta(days=1)))
    clock.advance(minutes=3)

    answer = client.patch(f"{ADMIN_NEWS}/{item['id']}", json={"publish_at": iso(clock())}, headers=operator)

    assert answer.status_code == 200, answer.get_json()
    assert [event["type"] for event in outbox_events()] == [NEWS_UPDATED, NEWS_PUBLISHED]
    assert published(outbox_events) == [(item["id"], iso(clock()))]
    assert NewsAnnouncing(db, clock=clock).run_once() == 0


def test_news_moved_back_to_the_future_is_announced_again_when_its_new_time_comes(
    client, db, operator, clock, outbox_events
):
    item = write_news(client, operator, title="Too early")
    first_shown = clock()
    later = clock() + timedelta(hours=1)
    assert (
        client.patch(f"{ADMIN_NEWS}/{item['id']}", json={"publish_at": iso(later)}, headers=operator).status_code == 200
    )
    announcing = NewsAnnouncing(db, clock=clock)

    assert announcing.run_once() == 0  # hidden again until its new time
    clock.advance(hours=1)
    assert announcing.run_once() == 1
    assert announcing.run_once() == 0

    assert published(outbox_events) == [(item["id"], iso(first_shown)), (item["id"], iso(later))]
