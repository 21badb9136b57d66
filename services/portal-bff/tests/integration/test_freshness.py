"""What the worker makes of the upstreams' events: the version of the named customer's data in the
upstream that changed moves on, and nothing else (freshness.py); the portal config's own changes."""

import pytest

from portal_bff import events
from portal_bff.freshness import ChangeRecorder, Versions, changed, current_versions
from portico.events import new_event

CUSTOMER_CHANGES = [(upstream, kind) for upstream, kinds in events.CHANGES_OF_CUSTOMERS.items() for kind in kinds]


def versions(db, customer_id: int) -> Versions:
    with db.reading() as session:
        return current_versions(session, customer_id)


def moved(before: Versions, after: Versions) -> set[str]:
    return {
        name
        for name in ("billing", "ticketing", "notifications", "news", "config")
        if before.of(name) != after.of(name)
    }


@pytest.mark.parametrize(("upstream", "event_type"), CUSTOMER_CHANGES, ids=[kind for _, kind in CUSTOMER_CHANGES])
def test_each_change_of_a_customer_moves_that_upstreams_version_of_that_customer_only(
    db, handle, jane, upstream, event_type
):
    handle(new_event(upstream, event_type, {"customer_id": 8}))  # another customer's, first
    before, others = versions(db, 7), versions(db, 8)
    # The customer events name the customer as `id`; all others as `customer_id` (with their own `id`).
    data = {"id": 7} if event_type.startswith("billing.customer.") else {"id": 99, "customer_id": 7}

    handle(new_event(upstream, event_type, data))

    assert moved(before, versions(db, 7)) == {upstream}
    assert versions(db, 8) == others


@pytest.mark.parametrize("event_type", events.CHANGES_OF_EVERYONE["news"])
def test_a_news_change_moves_everyones_news_version(db, handle, jane, event_type):
    before = versions(db, 7)

    handle(new_event("notifications", event_type, {"news_id": 3}))

    assert moved(before, versions(db, 7)) == {"news"}


def test_a_customer_update_keeps_the_replica_and_moves_billings_version(db, handle, jane, customer_updated, stored):
    before = versions(db, 7)

    handle(customer_updated(7, login="jane.doe", status="blocked", revision=2))

    assert stored.account(7).customer_status == "blocked"
    assert moved(before, versions(db, 7)) == {"billing"}


def test_a_redelivered_event_only_moves_the_version_again(db, handle, jane):
    event = new_event("ticketing", "ticketing.comment.added", {"customer_id": 7})
    handle(event)
    once = versions(db, 7)

    handle(event)

    assert moved(once, versions(db, 7)) == {"ticketing"}  # one more page read from ticketing: nothing else


def test_an_event_about_a_customer_without_an_account_is_recorded_all_the_same(db, handle):
    handle(new_event("billing", "billing.invoice.issued", {"customer_id": 404}))

    assert versions(db, 404).billing is not None


def test_a_portal_config_change_moves_the_config_version(client, db, jane, operator):
    before = versions(db, 7)
    stored = client.put("/admin/v1/portal-config/partners/1", json={"dashboard": {"news": False}}, headers=operator())
    assert stored.status_code == 200
    after_store = versions(db, 7)

    removed = client.delete("/admin/v1/portal-config/partners/1", headers=operator())
    assert removed.status_code in (200, 204)

    assert moved(before, after_store) == {"config"}
    assert moved(after_store, versions(db, 7)) == {"config"}


def test_every_change_gets_a_version_never_seen_before(db, jane):
    seen = set()
    for _ in range(20):
        with db.transaction() as session:
            seen.add(changed(session, 7, ["billing"])["billing"])
    assert len(seen) == 20


def test_the_change_recorder_records_in_its_own_transaction_and_says_what_it_wrote(db, jane):
    recorder = ChangeRecorder(db)

    version = recorder(7, "ticketing")

    assert versions(db, 7).ticketing == version
    assert recorder(7, "documents") is None  # no section of documents is cached


def test_a_change_that_cannot_be_recorded_is_logged_not_raised(db, jane, caplog):
    class Broken:
        def transaction(self):
            raise RuntimeError("database gone")

    assert ChangeRecorder(Broken())(7, "billing") is None
    assert "could not record" in caplog.text


def test_another_process_sees_a_portal_config_change_at_once(make_app, jane, sign_in, operator, customer_updated):
    first, second = make_app(), make_app()  # two web processes on one database
    token = sign_in("jane.doe", delivery="bearer", using=first.test_client()).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert first.test_client().get("/api/v1/news", headers=headers).status_code != 404

    hidden = second.test_client().put(
        "/admin/v1/portal-config/partners/1", json={"menu": {"news": False}}, headers=operator()
    )
    assert hidden.status_code == 200

    assert first.test_client().get("/api/v1/news", headers=headers).status_code == 404
