"""billing.customer.* snapshots keep the customer replica at the newest revision."""

from notifications.models import Customer


def replica(db, customer_id=7) -> Customer | None:
    with db.reading() as session:
        return session.get(Customer, customer_id)


def test_customer_created_adds_the_customer_to_the_replica(handle, db, customer_created):
    assert handle(customer_created()) == "handled"

    customer = replica(db)
    assert customer.login == "jane.doe"
    assert customer.full_name == "Jane Doe"
    assert customer.emails == ["jane@example.com", "jane.doe@work.example"]
    assert customer.phones == ["+44 20 7946 0000"]
    assert (customer.partner_id, customer.status, customer.revision) == (1, "new", 1)


def test_newer_update_replaces_the_snapshot(handle, db, customer_created, customer_updated):
    handle(customer_created())
    handle(customer_updated(revision=2, full_name="Jane Roe", status="active", changed=["full_name", "status"]))

    customer = replica(db)
    assert (customer.full_name, customer.status, customer.revision) == ("Jane Roe", "active", 2)


def test_older_revision_arriving_late_is_ignored(handle, db, customer_created, customer_updated):
    handle(customer_updated(revision=3, full_name="Jane Roe", changed=["full_name"]))
    handle(customer_updated(revision=2, full_name="Jane Stale", changed=["full_name"]))
    handle(customer_created())  # revision 1, delivered last

    customer = replica(db)
    assert (customer.full_name, customer.revision) == ("Jane Roe", 3)


def test_redelivered_event_changes_nothing(handle, customer_created):
    event = customer_created()
    assert handle(event) == "handled"
    assert handle(event) == "duplicate"
