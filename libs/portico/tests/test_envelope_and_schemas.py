import pytest
from kit_sample import customer_created

from portico.events import new_event
from portico.events.schemas import InvalidEvent, known_event_types, validate_event


def test_a_new_event_validates_against_the_contracts():
    validate_event(customer_created().to_dict())


def test_unknown_version_is_refused():
    body = customer_created().to_dict() | {"version": 99}
    with pytest.raises(InvalidEvent, match="unknown event type or version"):
        validate_event(body)


def test_data_breaking_its_schema_is_refused_with_the_field():
    body = customer_created().to_dict()
    body["data"]["emails"] = ["not-an-email"]
    with pytest.raises(InvalidEvent, match="emails/0"):
        validate_event(body)


def test_envelope_missing_a_field_is_refused():
    body = customer_created().to_dict()
    del body["occurred_at"]
    with pytest.raises(InvalidEvent, match="invalid envelope"):
        validate_event(body)


def test_event_carries_the_correlation_of_the_work_in_hand():
    from portico import context

    with context.bound(request="r1", correlation="c1", causation="e0"):
        event = new_event("billing", "billing.customer.created", {})
    assert (event.correlation_id, event.causation_id) == ("c1", "e0")


def test_every_contract_is_listed():
    assert ("billing.customer.created", 1) in known_event_types()
