"""Error pages: what a page answers when something goes wrong, in the frame, never a bare error.

The domain errors are the API's own (errors.py); a page shows their title and detail with
the same status code the API would answer.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, NotFound

from portal_bff.errors import PortalError, UpstreamUnavailable
from portico.problems import problem_response

API_PREFIXES = ("/api/", "/admin/", "/healthz", "/readyz", "/metrics", "/openapi")


def error_page(status: int, title: str, detail: str | None, headers: dict[str, str] | None = None):
    return render_template("error.html", status=status, title=title, detail=detail), status, headers or {}


def _domain(error: PortalError):
    if isinstance(error, UpstreamUnavailable):
        return error_page(
            503,
            gettext("Not available right now"),
            gettext("This part of the portal is not available right now; nothing was changed. Try again in a minute."),
            error.headers(),
        )
    if error.status == 404:
        return _not_found()
    if error.status == 403:
        return error_page(403, gettext("Not allowed"), str(error))
    return error_page(error.status, str(error.title), str(error), error.headers())


def _not_found():
    return error_page(404, gettext("Page not found"), gettext("There is no such page, or it is not for your account."))


def _http(error: HTTPException):
    if error.code == 404:
        return _not_found()
    if error.code == 413:
        return error_page(413, gettext("File too large"), gettext("The file is too large to upload."))
    return error_page(error.code or 500, error.name, None)


def register(blueprint: Blueprint) -> None:
    blueprint.register_error_handler(PortalError, _domain)
    blueprint.register_error_handler(HTTPException, _http)


def register_not_found(app: Flask) -> None:
    """An address that is no page: an HTML page for a browser, problem+json for the API and tools."""

    @app.errorhandler(NotFound)
    def _unknown_address(error: NotFound):
        if request.path.startswith(API_PREFIXES) or not request.accept_mimetypes.accept_html:
            return problem_response(404, "Not Found", error.description)
        return _not_found()
