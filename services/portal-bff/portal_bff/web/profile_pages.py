"""The Profile pages (contact data as the portal config lets the customer see and change it, the
password, open sessions and sign-in history, two-factor sign-in) and About."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext

from portal_bff import sessions, sign_in_history, two_factor
from portal_bff.api.authentication import visitor
from portal_bff.api.context import now, policies
from portal_bff.api.readers import reader
from portal_bff.devices import describe_device
from portal_bff.errors import InvalidFields, NotFound, UpstreamRejected
from portal_bff.page_arguments import ProfileChangeSchema
from portal_bff.page_schemas import ProfilePageSchema
from portal_bff.pages.profile import profile_page
from portal_bff.portal_config_schema import PROFILE_FIELDS
from portal_bff.profile_changes import change_profile
from portal_bff.web.account_pages import change_password_from_form
from portal_bff.web.guard import page
from portal_bff.web.pages import blueprint, render
from portico.web import database

blp = blueprint("web_profile", __name__)
LIST_FIELDS = ("emails", "billing_emails", "phones")
HISTORY = 10


def _security() -> dict:
    me = visitor()
    with database().reading() as session:
        live = sessions.live_sessions(session, me.customer_id, policy=policies().session, now=now())
        history = sign_in_history.history(session, me.customer_id, limit=HISTORY)
        second = two_factor.status(session, me.customer_id)
    return {
        "sessions": [
            {
                "id": r.id,
                "device": describe_device(r.user_agent),
                "ip": r.ip,
                "last_seen_at": r.last_seen_at,
                "created_at": r.created_at,
                "current": r.id == me.record.id,
                "impersonated_by": r.impersonated_by,
            }
            for r in live
        ],
        "history": [
            {
                "at": r.at,
                "ip": r.ip,
                "device": describe_device(r.user_agent),
                "outcome": r.outcome,
                "impersonated_by": r.impersonated_by,
            }
            for r in history.items
        ],
        "two_factor": second,
        "two_factor_required": me.config["security"]["require_two_factor"],
    }


def _profile(*, status: int = 200, errors: dict | None = None, password_error: str | None = None, values=None):
    model = ProfilePageSchema().dump(profile_page(reader()))
    return render(
        "profile/profile.html",
        status=status,
        page=model,
        fields=PROFILE_FIELDS,
        list_fields=LIST_FIELDS,
        errors=errors or {},
        posted=values or {},
        password_error=password_error,
        **_security(),
    )


@blp.get("/profile")
@page(module="profile")
def profile():
    return _profile()


@blp.post("/profile")
@page(module="profile")
def save_profile():
    editable = set(visitor().config["profile"]) & {
        n for n, how in visitor().config["profile"].items() if how == "editable"
    }
    changes: dict = {}
    for name in editable:
        if name not in request.form:
            continue
        text = request.form[name].strip()
        if name in LIST_FIELDS:
            changes[name] = [part.strip() for part in text.split(",") if part.strip()]
        else:
            changes[name] = text or (None if name != "full_name" else "")
    errors = ProfileChangeSchema().validate(changes)
    if errors:
        shown = {
            name: str(messages[0] if isinstance(messages, list) else next(iter(messages.values()))[0])
            for name, messages in errors.items()
        }
        return _profile(status=422, errors=shown, values=request.form)
    try:
        found = reader()
        change_profile(found, ProfileChangeSchema().load(changes))
        found.changed("billing")
    except (InvalidFields, UpstreamRejected) as refused:
        found = getattr(refused, "errors", None) or {"_form": [str(refused)]}
        shown = {name: str(m[0]) if isinstance(m, list) and m else str(m) for name, m in found.items()}
        return _profile(status=422, errors=shown, values=request.form)
    return redirect(url_for("web_profile.profile", notice="profile_saved"), code=303)


@blp.post("/profile/password")
@page(module="profile", customer_only=True)
def change_password():
    error = change_password_from_form()
    if error is not None:
        return _profile(status=422, password_error=error)
    return redirect(url_for("web_profile.profile", notice="password_changed"), code=303)


@blp.get("/profile/sessions")
@page()
def sessions_page():
    return render("profile/sessions.html", **_security())


@blp.post("/profile/sessions/<string:session_id>/end")
@page()
def end_session(session_id: str):
    try:
        with database().transaction() as session:
            sessions.end_customers_session(session, visitor().customer_id, session_id[:64], now=now())
    except NotFound:
        raise NotFound(gettext("No such session.")) from None
    return redirect(url_for("web_profile.sessions_page", notice="session_ended"), code=303)


@blp.post("/profile/sessions/end-others")
@page()
def end_other_sessions():
    me = visitor()
    with database().transaction() as session:
        sessions.end_other_sessions(
            session, me.customer_id, keep=me.record.id, reason=sessions.Reason.SIGNED_OUT_ELSEWHERE, now=now()
        )
    return redirect(url_for("web_profile.sessions_page", notice="sessions_ended"), code=303)


@blp.get("/about")
@page(module="about")
def about():
    return render("profile/about.html", main=visitor().config["main"])
