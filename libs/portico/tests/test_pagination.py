"""Cursors carry the last row's sort key and id, and only fit the listing they came from."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portico.pagination import InvalidCursor, decode_cursor, encode_cursor, page_of


@given(st.text(max_size=200), st.integers(min_value=1, max_value=2**53))
def test_a_cursor_decodes_to_what_it_encoded(key, last_id):
    cursor = encode_cursor("customers:full_name", key, last_id)
    assert decode_cursor(cursor, "customers:full_name", str, int) == (key, last_id)


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        "e30",  # {}
        encode_cursor("customers:-full_name", "Jane", 3),  # another sort order
        encode_cursor("customers:full_name", 5, 3),  # a key of the wrong type
        encode_cursor("customers:full_name", "Jane", True),
        encode_cursor("customers:full_name", "Jane"),
        "A" * 2000,
    ],
)
def test_a_cursor_of_something_else_is_a_field_error(cursor):
    with pytest.raises(InvalidCursor) as raised:
        decode_cursor(cursor, "customers:full_name", str, int)
    assert "cursor" in raised.value.extensions["errors"]


def test_a_page_has_a_next_cursor_only_when_a_row_beyond_it_exists():
    assert page_of([1, 2, 3], 2, lambda last: f"after {last}").next_cursor == "after 2"
    assert page_of([1, 2], 2, lambda last: f"after {last}").next_cursor is None
