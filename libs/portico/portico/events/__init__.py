"""Events: the envelope, their schemas, the broker topology, the outbox and the consumer."""

from portico.events.envelope import Event, new_event
from portico.events.outbox import emit

__all__ = ["Event", "emit", "new_event"]
