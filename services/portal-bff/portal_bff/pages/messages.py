"""The Messages pages: the inbox with its unread count, and one message (reading it marks it read)."""

from __future__ import annotations

from typing import Any

from portal_bff.pages import Reader, page_of


def messages_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    notifications = reader.upstreams.notifications
    loaders = {
        "unread": lambda: reader.get(notifications, "/messages/unread-count"),
        "messages": lambda: page_of(reader.get(notifications, "/messages", query)),
    }
    return reader.gather(loaders, "notifications")


def message_page(reader: Reader, message_id: int) -> dict[str, Any]:
    """The message; reading it marks it read, so the unread count the portal has cached is out of date."""
    notifications = reader.upstreams.notifications
    loaders = {"message": lambda: {"item": reader.get_subject(notifications, f"/messages/{message_id}", "message")}}
    try:
        return reader.gather(loaders, "notifications")
    finally:
        reader.changed("notifications")  # read or not (a timeout may have marked it), after the upstream


def unread_page(reader: Reader) -> dict[str, Any]:
    notifications = reader.upstreams.notifications
    return reader.gather({"unread": lambda: reader.get(notifications, "/messages/unread-count")}, "notifications")


def news_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    notifications = reader.upstreams.notifications
    return reader.gather({"news": lambda: page_of(reader.get(notifications, "/news", query))}, "notifications")
