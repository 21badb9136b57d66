"""The pieces every page blueprint uses: the blueprint itself, drawing a page, notices, idempotency keys."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import BadRequest

from portal_bff.web import errors
from portal_bff.web.paths import TEMPLATES

# The one-line notices a page shows after a redirect (`?notice=<key>`): only these texts, never
# anything from the address itself.
NOTICES = {
    "signed_out": lazy_gettext("You are signed out."),
    "password_set": lazy_gettext("Your password is set. Sign in with it now."),
    "password_changed": lazy_gettext("Your password is changed. Your other sessions have ended."),
    "reset_sent": lazy_gettext("If an account matches, a link to reset its password is on its way by email."),
    "preferences_saved": lazy_gettext("Your preferences are saved."),
    "ticket_created": lazy_gettext("Your ticket is open. We will answer here and by email."),
    "reply_sent": lazy_gettext("Your reply is added to the ticket."),
    "ticket_closed": lazy_gettext("The ticket is closed. Thank you!"),
    "payment_paid": lazy_gettext("Thank you: your payment is received."),
    "payment_failed": lazy_gettext("The payment did not go through. Nothing was charged."),
    "payment_pending": lazy_gettext("Your payment is being processed."),
    "account_saved": lazy_gettext("The payment account is saved."),
    "account_removed": lazy_gettext("The payment account is removed."),
    "account_default": lazy_gettext("Autopay now charges this account."),
    "autopay_on": lazy_gettext("Autopay is on: new invoices are charged to your default account."),
    "autopay_off": lazy_gettext("Autopay is off."),
    "contract_accepted": lazy_gettext("Thank you: the contract is accepted."),
    "document_uploaded": lazy_gettext("Your document is uploaded."),
    "profile_saved": lazy_gettext("Your profile is saved."),
    "session_ended": lazy_gettext("That session is signed out."),
    "sessions_ended": lazy_gettext("Every other session is signed out."),
    "two_factor_on": lazy_gettext("Two-factor sign-in is on."),
    "two_factor_off": lazy_gettext("Two-factor sign-in is off."),
    "order_completed": lazy_gettext("Your order is done: the new service is on your account."),
    "order_pending": lazy_gettext("Your order is received and waits for our approval."),
}


def blueprint(name: str, import_name: str, url_prefix: str | None = None) -> Blueprint:
    """A page blueprint: the portal's templates, and its errors answered as pages."""
    made = Blueprint(name, import_name, url_prefix=url_prefix, template_folder=str(TEMPLATES))
    errors.register(made)
    return made


def notice() -> Any:
    return NOTICES.get(request.args.get("notice", ""))


def render(template: str, *, status: int = 200, **context: Any):
    """A page, with the notice of the address it was redirected to (if any)."""
    return render_template(template, notice=notice(), **context), status


def form_key() -> str:
    """A fresh Idempotency-Key for a form that creates something: a form sent twice creates it once."""
    return str(uuid.uuid4())


def idempotency_key() -> str | None:
    key = request.form.get("idempotency_key", "").strip()
    return key[:200] or None


def query_args(schema: Schema) -> dict[str, Any]:
    """The page's query string, read by the API's own argument schema; an empty value means "any"."""
    raw: dict[str, Any] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if isinstance(field, fields.List):
            values = [v for v in request.args.getlist(key) if v]
            if values:
                raw[key] = values
        elif request.args.get(key):
            raw[key] = request.args[key]
    try:
        return schema.load(raw)
    except ValidationError as error:
        raise BadRequest(f"Invalid filter: {', '.join(sorted(error.messages))}") from None
