"""Cursor pagination: a page of items and an opaque cursor to the next one.

A cursor is base64 of the last row's sort key and id, tagged with the listing and sort order,
so that the next page continues exactly after it even when sort keys tie, and a cursor of
another listing or order is refused instead of misread.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from ticketing.errors import InvalidFields

MAX_CURSOR_LENGTH = 1024


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(tag: str, *values: str | int) -> str:
    raw = json.dumps([tag, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, tag: str, *types: type) -> tuple[Any, ...]:
    """The values of `cursor`, which must carry `tag` and values of `types`."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid_cursor() from None
    if not isinstance(decoded, list) or len(decoded) != 1 + len(types) or decoded[0] != tag:
        raise invalid_cursor()
    values = decoded[1:]
    # bool is an int to Python, never to a cursor
    if any(type(value) is not kind for value, kind in zip(values, types, strict=True)):
        raise invalid_cursor()
    return tuple(values)


def invalid_cursor() -> InvalidFields:
    return InvalidFields({"cursor": ["Not a cursor of this listing and sort order."]})
