"""A customer snapshot becomes the replica row documents keeps."""

from datetime import UTC, datetime

from documents.customers import replica_values, replicate_customer
from documents.handlers import HANDLERS


def test_replica_keeps_contact_and_address_fields_and_parses_updated_at():
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
        "location": "North",
        "street": "1 High Street",
        "zip_code": "AB1 2CD",
        "city": None,
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
        "street": "1 High Street",
        "zip_code": "AB1 2CD",
        "city": None,
        "updated_at": datetime(2026, 1, 5, 10, 0, 3, tzinfo=UTC),
    }


def test_both_customer_events_are_handled_by_the_replica_rule():
    assert HANDLERS["billing.customer.created"] is replicate_customer
    assert HANDLERS["billing.customer.updated"] is replicate_customer
