"""What every page's frame shows: the menu, the user menu (theme, language, sign out), the static files,
and the form that changes the theme and the language."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Blueprint, redirect, request
from flask_babel import get_locale

from portal_bff import csrf, preferences
from portal_bff.api.context import languages, now
from portal_bff.errors import CsrfRejected, InvalidFields
from portal_bff.web import errors, menu
from portal_bff.web.guard import (
    FIELD,
    check_signed_out_form,
    posted_csrf_token,
    safe_next,
    set_form_cookie,
    signed_out_form_token,
)
from portal_bff.web.paths import STATIC, STATIC_URL, TEMPLATES
from portal_bff.web.visitors import LANGUAGE_COOKIE, THEME_COOKIE, choices, forget_visitor, signed_in_visitor
from portico.web import database

blp = Blueprint(
    "web_layout", __name__, static_folder=str(STATIC), static_url_path=STATIC_URL, template_folder=str(TEMPLATES)
)
errors.register(blp)
# A year: the theme and language the browser shows before its customer signs in.
CHOICE_COOKIE_AGE = 365 * 24 * 3600


def language_names() -> list[tuple[str, str]]:
    """Each language the portal offers, named in itself ("Deutsch")."""
    named = []
    for code in languages():
        try:
            named.append((code, Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))))
        except (ValueError, LookupError):
            named.append((code, code))
    return [(code, name[:1].upper() + name[1:]) for code, name in named]


@blp.app_context_processor
def frame() -> dict[str, Any]:
    found = signed_in_visitor()
    chosen = choices()
    context: dict[str, Any] = {
        "me": found,
        "theme": chosen.theme,
        "language": str(get_locale() or chosen.language),
        "languages": language_names(),
        "csrf_field": FIELD,
        "portal_title": "Portico",
    }
    if found is not None:
        context |= {
            "menu": menu.menu_for(found),
            "home": menu.home_endpoint(found),
            "csrf_token": found.record.csrf_token,
            "portal_title": found.config["main"]["title"],
            "impersonation": found.record.impersonated_by,
            "read_only": found.record.read_only,
        }
    else:
        context["csrf_token"] = signed_out_form_token()
    return context


@blp.post("/preferences")
def change_preferences():
    """Theme and/or language from the user menu: kept for the customer, and by the browser for the sign-in page."""
    changes = {name: request.form[name] for name in ("theme", "language") if request.form.get(name)}
    if changes.get("theme") not in (None, *preferences.THEMES) or changes.get("language") not in (None, *languages()):
        raise InvalidFields({"theme": ["Choose light, dark or system."]})
    found = signed_in_visitor()
    if found is not None:
        if not csrf.csrf_token_matches(found.record.csrf_token, posted_csrf_token()):
            raise CsrfRejected()
        with database().transaction() as session:
            preferences.change_preferences(session, found.customer_id, changes, languages=languages(), now=now())
    else:
        check_signed_out_form()
    forget_visitor()
    response = redirect(safe_next(request.form.get("next")), code=303)
    cookies = {"theme": THEME_COOKIE, "language": LANGUAGE_COOKIE}
    for name, value in changes.items():
        response.set_cookie(cookies[name], value, max_age=CHOICE_COOKIE_AGE, samesite="Lax", httponly=True)
    return response


blp.after_app_request(set_form_cookie)
