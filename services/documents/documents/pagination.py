"""Keyset pagination for documents' lists: a page and an opaque cursor to the next one.

A cursor holds the listing it belongs to and the last row's sort key, so a page continues
exactly after the previous one and a cursor of another listing is refused, not misread.
(Billing has the same idea in its own module; it belongs in the kit, see the report.)
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from documents.errors import InvalidFields

MAX_CURSOR_LENGTH = 512


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(listing: str, *key: str | int) -> str:
    raw = json.dumps([listing, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, listing: str, *types: type) -> tuple[Any, ...]:
    """The sort key in `cursor`, if it is a cursor of `listing` whose values have `types`."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid_cursor() from None
    if not isinstance(decoded, list) or len(decoded) != len(types) + 1 or decoded[0] != listing:
        raise invalid_cursor()
    key = decoded[1:]
    if any(type(value) is not kind for value, kind in zip(key, types, strict=True)):
        raise invalid_cursor()
    return tuple(key)


def page_of(rows: list[Any], limit: int, cursor_of) -> Page:
    """A page from `limit + 1` rows: the extra row only says that there is a next page."""
    items = list(rows[:limit])
    return Page(items, cursor_of(items[-1]) if len(rows) > limit else None)


def invalid_cursor() -> InvalidFields:
    """The error for a cursor that is not one of the listing asked for."""
    return InvalidFields({"cursor": ["Not a cursor of this listing."]})
