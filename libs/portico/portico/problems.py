"""RFC 9457 problem details: every error a Portico service answers."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem+json document."""

    def __init__(self, status: int, title: str, detail: str | None = None, **extensions: Any):
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.extensions = extensions


def problem_response(status: int, title: str, detail: str | None = None, **extensions: Any) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extensions)
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def _field_errors(messages: Any) -> dict:
    # webargs nests errors by location ({"json": {...}}); callers want the fields.
    if isinstance(messages, dict) and len(messages) == 1:
        ((location, inner),) = messages.items()
        if location in ("json", "query", "form", "files", "headers", "view_args") and isinstance(inner, dict):
            return inner
    return messages


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(error: Problem):
        return problem_response(error.status, error.title, error.detail, **error.extensions)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        if status in (400, 422) and "messages" in data:
            return problem_response(
                422 if status == 422 else 400,
                "Invalid request",
                "One or more fields are invalid.",
                errors=_field_errors(data["messages"]),
            )
        title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        detail = error.description if isinstance(error.description, str) else None
        response = problem_response(status, title, detail)
        if status == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return problem_response(500, "Internal Server Error", "The request could not be completed.")
