"""CSV columns and cells."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ticketing.errors import InvalidFields
from ticketing.export import COLUMNS, parse_columns, safe_cell, tickets_csv
from ticketing.models import Ticket


def test_columns_default_to_all_and_keep_the_order_asked():
    assert parse_columns(None) == tuple(COLUMNS)
    assert parse_columns("updated, id") == ("updated", "id")
    for bad in ("id,id", "id,secret", "id,,subject"):
        with pytest.raises(InvalidFields):
            parse_columns(bad)


def test_cells_that_a_spreadsheet_would_run_are_defused():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("Router down") == "Router down"
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    ticket = Ticket(id=4, subject="=cmd|' /C calc'!A0", status="new", created_at=at, assignee=None)
    assert tickets_csv([ticket], ("id", "subject", "assigned_to")).splitlines() == [
        "id,subject,assigned_to",
        "4,'=cmd|' /C calc'!A0,",
    ]
