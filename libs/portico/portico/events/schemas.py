"""Validation of events against the JSON Schemas in `contracts/events/`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from portico.settings import contracts_dir

ENVELOPE_SCHEMA = "envelope.v1.json"


class InvalidEvent(Exception):
    """The message is not an event this suite can accept; the reason says why."""


@cache
def _validator(path: Path) -> jsonschema_rs.Draft202012Validator:
    # Compiled once per schema; a validation costs microseconds, so every consumer can afford it.
    return jsonschema_rs.Draft202012Validator(json.loads(path.read_text()), validate_formats=True)


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


def _first_error(validator: jsonschema_rs.Draft202012Validator, instance: Any) -> str | None:
    if validator.is_valid(instance):
        return None
    error = next(iter(validator.iter_errors(instance)))
    where = "/".join(str(p) for p in error.instance_path) or "(root)"
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
