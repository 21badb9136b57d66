"""The envelope every Portico event travels in (ARCHITECTURE §4)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from portico import context


def utc_now_rfc3339() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Event:
    type: str
    data: dict[str, Any]
    producer: str
    version: int = 1
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=utc_now_rfc3339)
    correlation_id: str | None = None
    causation_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # Field by field: `asdict` would deep-copy `data`, which costs more than the rest of emitting.
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), default=str)

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> Event:
        return cls(
            type=body["type"],
            data=body["data"],
            producer=body["producer"],
            version=body["version"],
            id=body["id"],
            occurred_at=body["occurred_at"],
            correlation_id=body.get("correlation_id"),
            causation_id=body.get("causation_id"),
        )


def new_event(producer: str, type: str, data: dict[str, Any], *, version: int = 1) -> Event:
    """A new event, correlated with the request or event being handled in this context."""
    correlation = context.correlation_id.get() or context.request_id.get() or str(uuid.uuid4())
    return Event(
        type=type,
        data=data,
        producer=producer,
        version=version,
        correlation_id=correlation,
        causation_id=context.causation_id.get(),
    )
