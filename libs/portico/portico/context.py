"""The request and correlation ids of the work in hand, carried across threads by contextvars."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)


@contextmanager
def bound(*, request: str | None = None, correlation: str | None = None, causation: str | None = None):
    """Bind ids for the duration of a block (an HTTP request or a consumed event)."""
    tokens = [
        (request_id, request_id.set(request)),
        (correlation_id, correlation_id.set(correlation)),
        (causation_id, causation_id.set(causation)),
    ]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
