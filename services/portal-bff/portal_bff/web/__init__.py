"""The web portal: server-rendered pages built from the same page models as /api/v1.

`init_web(app)` adds Bootstrap 5 (served from the installed Bootstrap-Flask, never a CDN),
Flask-Babel with the shipped translations, the page blueprints, their error pages and the
template helpers. Forms post back to the portal and work without JavaScript; the little
script there is (static/portal.js) only enhances them.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_babel import Babel
from flask_bootstrap import Bootstrap5

from portal_bff.security_headers import CONTENT_SECURITY_POLICY
from portal_bff.web import (
    account_pages,
    dashboard_pages,
    documents_pages,
    errors,
    finance_pages,
    layout,
    messages_pages,
    profile_pages,
    services_pages,
    speedtest,
    tickets_pages,
)
from portal_bff.web.formatting import FILTERS
from portal_bff.web.paths import TRANSLATIONS
from portal_bff.web.visitors import choices

BLUEPRINTS = (
    layout.blp,
    account_pages.blp,
    dashboard_pages.blp,
    finance_pages.blp,
    services_pages.blp,
    speedtest.blp,
    messages_pages.blp,
    tickets_pages.blp,
    documents_pages.blp,
    profile_pages.blp,
)

# The portal's policy, and one more source: Bootstrap's CSS draws the select arrow, the check
# box's tick and the menu button as data: SVG images (an image can run no script).
PAGE_CSP = f"{CONTENT_SECURITY_POLICY}; img-src 'self' data:"


def _locale() -> str:
    return choices().language


def init_web(app: Flask) -> None:
    app.config.setdefault("BOOTSTRAP_SERVE_LOCAL", True)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    Bootstrap5(app)
    Babel(app, locale_selector=_locale)
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.register_not_found(app)

    @app.after_request
    def _page_headers(response: Response) -> Response:
        if response.mimetype == "text/html":
            # A page shows one customer's data: never kept by a browser's or proxy's cache.
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Vary", "Cookie")
            if response.headers.get("Content-Security-Policy", CONTENT_SECURITY_POLICY) == CONTENT_SECURITY_POLICY:
                response.headers["Content-Security-Policy"] = PAGE_CSP
        return response
