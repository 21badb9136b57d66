"""A customer's values of the operator-defined additional fields, checked against their definitions.

Values travel as JSON: text and choice as strings, number as a JSON number, date as an ISO
date string ("2024-05-01"), yes/no as a boolean. A null removes a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.errors import InvalidFields
from billing.models import AdditionalField, AdditionalFieldType

MAX_TEXT = 1000
MAX_NUMBER = 2**53
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def definitions(session: Session) -> dict[str, AdditionalField]:
    """Every definition by name, share-locked so that none changes until the caller commits.

    Callers take this lock before locking any customer (as the definitions' own rules do),
    so the two never wait for each other in opposite orders.
    """
    rows = session.scalars(select(AdditionalField).with_for_update(read=True)).all()
    return {row.name: row for row in rows}


def apply_values(
    defined: Mapping[str, AdditionalField], current: Mapping[str, Any], given: Mapping[str, Any], *, creating: bool
) -> dict[str, Any]:
    """`current` with `given` merged in; InvalidFields names every bad value as `additional.<name>`."""
    result = dict(current)
    errors: dict[str, list[str]] = {}
    for name, value in given.items():
        definition = defined.get(name)
        if definition is None:
            errors[name] = ["Unknown additional field."]
        elif value is None:
            if definition.required:
                errors[name] = ["This field is required."]
            result.pop(name, None)
        elif problem := value_problem(definition, value):
            errors[name] = [problem]
        else:
            result[name] = value
    if creating:
        for name, definition in defined.items():
            if definition.required and name not in result and name not in errors:
                errors[name] = ["Missing data for required field."]
    if errors:
        raise InvalidFields({"additional": errors})
    return result


def value_problem(definition: AdditionalField, value: Any) -> str | None:
    """Why `value` cannot be held by the field, or None if it can."""
    kind = definition.type
    if kind == AdditionalFieldType.TEXT:
        if not isinstance(value, str):
            return "Not a valid string."
        if definition.required and not value.strip():
            return "This field is required."
        return "Longer than 1000 characters." if len(value) > MAX_TEXT else None
    if kind == AdditionalFieldType.NUMBER:
        return None if _is_number(value) else "Not a valid number."
    if kind == AdditionalFieldType.DATE:
        return None if isinstance(value, str) and _is_iso_date(value) else "Not a valid date (use YYYY-MM-DD)."
    if kind == AdditionalFieldType.CHOICE:
        return None if isinstance(value, str) and value in definition.choices else _not_a_choice(definition)
    if kind == AdditionalFieldType.YES_NO:
        return None if isinstance(value, bool) else "Not a valid boolean."
    return f"Fields of type {kind!r} hold no values."


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    # Within what every JSON reader holds exactly; NaN and infinities fail the comparison.
    return abs(value) <= MAX_NUMBER


def _is_iso_date(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _not_a_choice(definition: AdditionalField) -> str:
    return "Must be one of: " + ", ".join(definition.choices) + "."
