"""Validation of events against the JSON Schemas in `contracts/events/`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from portico.settings import contracts_dir

ENVELOPE_SCHEMA = "envelope.v1.json"


class InvalidEvent(Exception):
    """The message is not an event this suite can accept; the reason says why."""


@cache
def _validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_path(event_type: str, version: int) -> Path:
    return contracts_dir() / "events" / f"{event_type}.v{version}.json"


def known_event_types() -> list[tuple[str, int]]:
    found = []
    for path in sorted((contracts_dir() / "events").glob("*.v*.json")):
        if path.name == ENVELOPE_SCHEMA:
            continue
        name, _, version = path.name.removesuffix(".json").rpartition(".v")
        found.append((name, int(version)))
    return found


def _first_error(validator: Draft202012Validator, instance: Any) -> str | None:
    error: ValidationError | None = next(iter(validator.iter_errors(instance)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"{where}: {error.message}"


def validate_event(body: Any) -> None:
    """Raise InvalidEvent unless `body` is a valid envelope with valid data for its type and version."""
    problem = _first_error(_validator(contracts_dir() / "events" / ENVELOPE_SCHEMA), body)
    if problem:
        raise InvalidEvent(f"invalid envelope: {problem}")
    path = schema_path(body["type"], body["version"])
    if not path.exists():
        raise InvalidEvent(f"unknown event type or version: {body['type']} v{body['version']}")
    problem = _first_error(_validator(path), body["data"])
    if problem:
        raise InvalidEvent(f"invalid data for {body['type']} v{body['version']}: {problem}")
