"""The customer replica follows billing's events: newest revision wins, duplicates change nothing."""

from sqlalchemy import select

from documents.customers import replicate_customer
from documents.models import Customer


def replica_rows(db) -> list[Customer]:
    with db.reading() as session:
        return session.scalars(select(Customer)).all()


def test_created_then_updated_keeps_the_newer_values(db, customer_event):
    created = customer_event("billing.customer.created", revision=1)
    updated = customer_event(
        "billing.customer.updated",
        revision=2,
        full_name="Jane Roe",
        street="2 Low Road",
        zip_code=None,
        city="Shelbyville",
    )

    with db.transaction() as session:
        replicate_customer(session, created)
    with db.transaction() as session:
        replicate_customer(session, updated)

    [row] = replica_rows(db)
    assert (row.id, row.revision) == (7, 2)
    assert (row.full_name, row.street, row.zip_code, row.city) == ("Jane Roe", "2 Low Road", None, "Shelbyville")


def test_an_older_revision_arriving_late_is_ignored(db, customer_event):
    updated = customer_event("billing.customer.updated", revision=3, full_name="Jane Roe", city="Shelbyville")
    created = customer_event("billing.customer.created", revision=1)

    with db.transaction() as session:
        replicate_customer(session, updated)
    with db.transaction() as session:
        replicate_customer(session, created)

    [row] = replica_rows(db)
    assert (row.revision, row.full_name, row.city) == (3, "Jane Roe", "Shelbyville")


def test_the_same_event_twice_leaves_one_unchanged_row(db, customer_event):
    created = customer_event("billing.customer.created", revision=1, login="jd")

    with db.transaction() as session:
        replicate_customer(session, created)
    with db.transaction() as session:
        replicate_customer(session, created)

    [row] = replica_rows(db)
    assert (row.id, row.revision, row.login, row.full_name) == (7, 1, "jd", "Jane Doe")


def test_a_different_snapshot_with_the_same_revision_changes_nothing(db, customer_event):
    with db.transaction() as session:
        replicate_customer(session, customer_event("billing.customer.created", revision=1))
    with db.transaction() as session:
        replicate_customer(session, customer_event("billing.customer.created", revision=1, full_name="Someone Else"))

    [row] = replica_rows(db)
    assert row.full_name == "Jane Doe"
