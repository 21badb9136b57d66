"""One relay publishes an outbox at a time; a standby takes over when the leader stops."""

from kit_sample import customer_created, outbox

from portico.db import Database
from portico.events import emit
from portico.events.outbox import OutboxRelay, outbox_backlog
from portico.testing import wait_for


def test_only_one_relay_leads_and_a_standby_takes_over(db, broker_url):
    first = OutboxRelay(db, outbox, broker_url, poll_interval=0.05)
    # A second process would open its own engine on the same database.
    other_db = Database(db.url)
    second = OutboxRelay(other_db, outbox, broker_url, poll_interval=0.05)
    first.start()
    wait_for(lambda: first.leading, message="the first relay to lead")
    second.start()
    try:
        with db.transaction() as session:
            emit(session, outbox, customer_created(1), aggregate_type="customer", aggregate_id=1)
        wait_for(lambda: outbox_backlog(db, outbox)[0] == 0, message="the leader to publish")
        assert not second.leading

        first.stop()
        wait_for(lambda: second.leading, message="the standby to take over")
        with db.transaction() as session:
            emit(session, outbox, customer_created(2), aggregate_type="customer", aggregate_id=2)
        wait_for(lambda: outbox_backlog(db, outbox)[0] == 0, message="the new leader to publish")
    finally:
        first.stop()
        second.stop()
        other_db.dispose()
