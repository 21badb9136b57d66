"""A customer snapshot becomes the replica row ticketing keeps."""

from datetime import UTC, datetime

from ticketing.customers import replica_values, replicate_customer
from ticketing.handlers import HANDLERS


def test_replica_keeps_contact_fields_and_parses_updated_at():
    snapshot = {
        "id": 7,
        "revision": 3,
        "login": "jane.doe",
        "status": "active",
        "billing_type": "prepaid",
        "full_name": "Jane Roe",
        "emails": ["jane@example.com"],
        "phones": ["+44 20 7946 0000"],
        "partner_id": 2,
        "street": "1 High Street",
        "updated_at": "2026-01-05T10:00:03Z",
    }

    assert replica_values(snapshot) == {
        "id": 7,
        "revision": 3,
        "login": "jane.doe",
        "full_name": "Jane Roe",
        "emails": ["jane@example.com"],
        "partner_id": 2,
        "status": "active",
        "updated_at": datetime(2026, 1, 5, 10, 0, 3, tzinfo=UTC),
    }


def test_both_customer_events_are_handled_by_the_replica_rule():
    assert sorted(HANDLERS) == ["billing.customer.created", "billing.customer.updated"]
    assert all(handler is replicate_customer for handler in HANDLERS.values())
