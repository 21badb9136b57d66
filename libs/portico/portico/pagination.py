"""Keyset pagination: a page of items and an opaque cursor to the next one.

A cursor is base64 of the listing it belongs to and the last row's sort key (ending in its
id), so a page continues exactly after the previous one even when sort keys tie, and a
cursor of another listing or sort order is refused (422) instead of misread.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portico.problems import Problem

MAX_CURSOR_LENGTH = 1024


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


class InvalidCursor(Problem):
    """A cursor that is not one of the listing asked for."""

    def __init__(self) -> None:
        super().__init__(
            422,
            "Invalid request",
            "One or more fields are invalid.",
            errors={"cursor": ["Not a cursor of this listing."]},
        )


def encode_cursor(listing: str, *key: str | int) -> str:
    raw = json.dumps([listing, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, listing: str, *types: type) -> tuple[Any, ...]:
    """The sort key in `cursor` if it is a cursor of `listing` whose values have `types`; else InvalidCursor."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor() from None
    if not isinstance(decoded, list) or len(decoded) != len(types) + 1 or decoded[0] != listing:
        raise InvalidCursor()
    key = decoded[1:]
    # bool is an int to Python, never to a cursor
    if any(type(value) is not kind for value, kind in zip(key, types, strict=True)):
        raise InvalidCursor()
    return tuple(key)


def page_of(rows: list[Any], limit: int, cursor_of: Callable[[Any], str]) -> Page:
    """A page from `limit + 1` rows: the extra row only says that there is a next page."""
    items = list(rows[:limit])
    return Page(items, cursor_of(items[-1]) if len(rows) > limit else None)
