"""Cursor pagination: a page of items and an opaque cursor to the next one.

A cursor is base64 of the last row's sort key and id, tagged with what it pages through,
so that a page continues exactly after the previous one even when sort keys tie, and a
cursor from another listing or sort order is refused instead of misread.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from billing.errors import InvalidFields

MAX_CURSOR_LENGTH = 1024


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(tag: str, *values: str | int) -> str:
    raw = json.dumps([tag, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, shape: tuple[str, ...] | tuple[Any, ...]) -> tuple[Any, ...]:
    """The values of `cursor`, checked against `shape` = (tag, type of each value)."""
    tag, *types = shape
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _invalid() from None
    if not isinstance(decoded, list) or len(decoded) != len(shape) or decoded[0] != tag:
        raise _invalid()
    values = decoded[1:]
    # bool is an int to Python, never to a cursor
    if any(type(value) is not kind for value, kind in zip(values, types, strict=True)):
        raise _invalid()
    return tuple(values)


def _invalid() -> InvalidFields:
    return InvalidFields({"cursor": ["Not a cursor of this listing and sort order."]})
