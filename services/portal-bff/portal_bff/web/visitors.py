"""Who is looking at a portal page: the session (read as the JSON API reads it) and the customer's
theme and language.

The session is looked up once per request by the API's own authentication, so a page and
the API see the same customer, config, owed steps and data versions (`g`), and the page
models are called exactly as the API calls them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request

from portal_bff import preferences
from portal_bff.api.authentication import Visitor, forget_request_visitor, request_visitor
from portal_bff.api.context import languages
from portal_bff.errors import NotSignedIn
from portico.web import database

THEME_COOKIE = "portico_theme"
LANGUAGE_COOKIE = "portico_language"


@dataclass(frozen=True)
class Choices:
    """The theme and language a page is drawn in."""

    theme: str
    language: str


def signed_in_visitor() -> Visitor | None:
    """The live session of this request (read once, as the API reads it), or None."""
    try:
        return request_visitor()
    except NotSignedIn:  # an Authorization header that is no bearer token: no session, as for the API
        return None


def choices() -> Choices:
    """The signed-in customer's preferences; before signing in, the browser's cookies or its languages."""
    if "web_choices" in g:
        return g.web_choices
    offered = languages()
    found = signed_in_visitor()
    if found is not None:
        with database().reading() as session:
            chosen = preferences.preferences_of(session, found.customer_id, languages=offered)
        g.web_choices = Choices(theme=chosen["theme"], language=chosen["language"])
        return g.web_choices
    theme = request.cookies.get(THEME_COOKIE)
    language = request.cookies.get(LANGUAGE_COOKIE)
    if language not in offered:
        language = request.accept_languages.best_match(offered) or offered[0]
    g.web_choices = Choices(
        theme=theme if theme in preferences.THEMES else preferences.DEFAULT_THEME, language=language
    )
    return g.web_choices


def forget_visitor() -> None:
    """After signing in or out, or changing preferences, within a request: read them again."""
    forget_request_visitor()
    g.pop("web_choices", None)
