"""The tickets list as CSV, with the columns the portal shows (seed 002)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from ticketing.errors import InvalidFields
from ticketing.models import Ticket

COLUMNS: dict[str, Callable[[Ticket], object]] = {
    "id": lambda t: t.id,
    "subject": lambda t: t.subject,
    "priority": lambda t: t.priority,
    "status": lambda t: t.status,
    "group": lambda t: t.group_name or "",
    "type": lambda t: t.ticket_type or "",
    "assigned_to": lambda t: t.assignee or "",
    "created": lambda t: t.created_at.isoformat(),
    "updated": lambda t: t.updated_at.isoformat(),
}
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def parse_columns(text: str | None) -> tuple[str, ...]:
    """`id,subject,...` → the columns in that order; all of them when not given."""
    if not text:
        return tuple(COLUMNS)
    names = [name.strip() for name in text.split(",")]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown or len(set(names)) != len(names):
        raise InvalidFields({"columns": [f"A comma-separated list without repeats of: {', '.join(COLUMNS)}."]})
    return tuple(names)


def safe_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def tickets_csv(tickets: Iterable[Ticket], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for ticket in tickets:
        writer.writerow([safe_cell(COLUMNS[name](ticket)) for name in columns])
    return out.getvalue()
