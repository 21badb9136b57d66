"""The events billing handles, registered in one list (network usage arrives with the billing issue)."""

from portico.events.consumer import Handler

HANDLERS: dict[str, Handler] = {}
