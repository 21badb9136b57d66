"""Columns of the tables whose columns the portal config chooses (tickets)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext

from portal_bff.visibility import TICKET_COLUMN_FIELDS


@dataclass(frozen=True)
class Column:
    name: str  # the portal config's name
    field: str  # the page model's field
    label: object


TICKET_LABELS = {
    "id": lazy_gettext("#"),
    "subject": lazy_gettext("Subject"),
    "priority": lazy_gettext("Priority"),
    "status": lazy_gettext("Status"),
    "group": lazy_gettext("Group"),
    "type": lazy_gettext("Type"),
    "assigned_to": lazy_gettext("Assigned to"),
    "created": lazy_gettext("Created"),
    "updated": lazy_gettext("Updated"),
}


def ticket_columns(names: list[str]) -> list[Column]:
    return [Column(name, TICKET_COLUMN_FIELDS[name], TICKET_LABELS[name]) for name in names if name in TICKET_LABELS]
