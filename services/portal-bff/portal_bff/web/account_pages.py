"""Signing in and out, setting a password from the welcome link, resetting a forgotten one, the
forced change at first sign-in, the two-factor step, and enrolling in two-factor sign-in."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext

from portal_bff import accounts, password_change, password_reset, rate_limit, restrictions, sessions, signin, two_factor
from portal_bff.api.authentication import COOKIE, clear_session_cookie, set_session_cookie, visitor
from portal_bff.api.context import client, now, policies, public_url
from portal_bff.errors import (
    Conflict,
    InvalidToken,
    RateLimited,
    TwoFactorRequired,
    WeakPassword,
    WrongCode,
    WrongPassword,
    WrongTwoFactorCode,
)
from portal_bff.models import PortalAccount
from portal_bff.web import menu
from portal_bff.web.guard import check_signed_out_form, page, safe_next
from portal_bff.web.messages_of import error_text
from portal_bff.web.pages import blueprint, render
from portal_bff.web.visitors import signed_in_visitor
from portico.web import database

blp = blueprint("web_account", __name__)
ENROLMENT = (restrictions.ENROL_TWO_FACTOR,)
MAX_FIELD = 1024


def _field(name: str) -> str:
    return request.form.get(name, "")[:MAX_FIELD]


@blp.get("/sign-in")
def sign_in():
    found = signed_in_visitor()
    if found is not None:
        return redirect(url_for(menu.home_endpoint(found)), code=303)
    return render("account/sign_in.html", next=safe_next(request.args.get("next")), login="")


@blp.post("/sign-in")
def sign_in_post():
    check_signed_out_form()
    login, code = _field("login").strip(), _field("code").strip()
    target = safe_next(request.form.get("next"))
    credentials = signin.Credentials(
        login=login,
        password=_field("password"),
        totp=code if code.isdigit() else None,
        recovery_code=code if code and not code.isdigit() else None,
    )
    result = signin.sign_in(
        database(), credentials, client(), policies=policies(), now=now(), replacing_token=request.cookies.get(COOKIE)
    )
    refusal = result.refusal
    if isinstance(refusal, TwoFactorRequired | WrongTwoFactorCode):
        error = None if isinstance(refusal, TwoFactorRequired) else error_text(refusal)
        # The second step sends the password again with the code: no half-signed-in state is kept.
        return render(
            "account/two_factor_step.html",
            status=401,
            login=login,
            password=credentials.password,
            next=target,
            error=error,
        )
    if refusal is not None:
        return render(
            "account/sign_in.html", status=refusal.status, next=target, login=login, error=error_text(refusal)
        )
    set_session_cookie(result.issued.token)
    return redirect(target if target != "/" else url_for("web_dashboard.dashboard"), code=303)


@blp.post("/sign-out")
@page(during=restrictions.ALL, read_only_ok=True)
def sign_out():
    with database().transaction() as session:
        sessions.end_session(session, visitor().record.id, reason=sessions.Reason.SIGNED_OUT, now=now())
    clear_session_cookie()
    return redirect(url_for("web_account.sign_in", notice="signed_out"), code=303)


def _password_form(template: str, token: str, *, status: int = 200, error: str | None = None):
    return render(template, status=status, token=token, error=error)


def _set_password(template: str):
    check_signed_out_form()
    token, password = _field("token"), _field("password")
    if password != _field("confirm"):
        return _password_form(template, token, status=422, error=gettext("The two passwords are not the same."))
    try:
        with database().transaction() as session:
            accounts.set_password(session, token, password, now=now())
    except InvalidToken:
        return render("account/link_expired.html", status=410)
    except WeakPassword as weak:
        return _password_form(template, token, status=422, error=error_text(weak))
    return redirect(url_for("web_account.sign_in", notice="password_set"), code=303)


@blp.get("/set-password")
def set_password():
    return _password_form("account/set_password.html", request.args.get("token", ""))


@blp.post("/set-password")
def set_password_post():
    return _set_password("account/set_password.html")


@blp.get("/reset-password")
def reset_password():
    return _password_form("account/reset_password.html", request.args.get("token", ""))


@blp.post("/reset-password")
def reset_password_post():
    return _set_password("account/reset_password.html")


@blp.get("/forgot-password")
def forgot_password():
    return render("account/forgot_password.html")


@blp.post("/forgot-password")
def forgot_password_post():
    check_signed_out_form()
    given = _field("login").strip()[:254]
    if not given:
        return render("account/forgot_password.html", status=422, error=gettext("Give your login or your email."))
    moment, rules = now(), policies()
    by_email = "@" in given
    try:
        with database().transaction() as session:
            rate_limit.enforce(session, rules.password_reset_per_ip, client().ip, now=moment)
            password_reset.request_reset(
                session,
                login=None if by_email else given,
                email=given if by_email else None,
                public_url=public_url(),
                ttl=rules.password_reset_ttl,
                per_account=rules.password_reset_per_account,
                now=moment,
            )
    except RateLimited as limited:
        return render("account/forgot_password.html", status=429, error=error_text(limited))
    return redirect(url_for("web_account.sign_in", notice="reset_sent"), code=303)


@blp.get("/change-password")
@page(during=restrictions.ALL)
def forced_change():
    return render("account/change_password.html", forced=restrictions.CHANGE_PASSWORD in visitor().restrictions)


@blp.post("/change-password")
@page(during=restrictions.ALL, customer_only=True)
def forced_change_post():
    error = change_password_from_form()
    if error is not None:
        return render("account/change_password.html", status=422, forced=True, error=error)
    return redirect(url_for("web_dashboard.dashboard", notice="password_changed"), code=303)


def change_password_from_form() -> str | None:
    """Change the signed-in customer's password from the form; the error to show, or None."""
    me, moment = visitor(), now()
    if _field("new") != _field("confirm"):
        return gettext("The two new passwords are not the same.")
    try:
        with database().transaction() as session:
            rate_limit.enforce(session, policies().password_change_per_account, me.customer_id, now=moment)
        with database().transaction() as session:
            password_change.change_password(
                session,
                me.customer_id,
                current=_field("current"),
                new=_field("new"),
                keep_session=me.record.id,
                now=moment,
            )
    except (WrongPassword, WeakPassword, RateLimited) as refused:
        return error_text(refused)
    return None


@blp.get("/two-factor")
@page(during=ENROLMENT)
def enrol():
    with database().reading() as session:
        found = two_factor.status(session, visitor().customer_id)
    required = visitor().config["security"]["require_two_factor"]
    return render("account/two_factor.html", status_of=found, required=required, enrolment=None)


@blp.post("/two-factor")
@page(during=ENROLMENT, customer_only=True)
def enrol_start():
    me = visitor()
    try:
        with database().transaction() as session:
            account = session.get(PortalAccount, me.customer_id)
            enrolment = two_factor.start_enrolment(session, account, issuer=me.config["main"]["title"], now=now())
    except Conflict:
        return redirect(url_for("web_account.enrol"), code=303)
    return render("account/two_factor.html", status_of=None, required=False, enrolment=enrolment)


@blp.post("/two-factor/confirm")
@page(during=ENROLMENT, customer_only=True)
def enrol_confirm():
    try:
        with database().transaction() as session:
            codes = two_factor.confirm_enrolment(session, visitor().customer_id, _field("code").strip(), now=now())
    except (WrongCode, Conflict) as refused:
        with database().reading() as session:
            found = two_factor.status(session, visitor().customer_id)
        message = error_text(refused) if isinstance(refused, WrongCode) else gettext("Start the set-up again.")
        return render(
            "account/two_factor.html", status=422, status_of=found, required=False, enrolment=None, error=message
        )
    return render("account/recovery_codes.html", codes=codes)


@blp.post("/two-factor/disable")
@page(customer_only=True)
def disable_two_factor():
    me = visitor()
    try:
        with database().transaction() as session:
            account = session.get(PortalAccount, me.customer_id)
            two_factor.disable(
                session,
                account,
                password=_field("password"),
                code=_field("code").strip(),
                required=me.config["security"]["require_two_factor"],
                now=now(),
            )
    except (WrongPassword, WrongCode, Conflict) as refused:
        with database().reading() as session:
            found = two_factor.status(session, me.customer_id)
        required = me.config["security"]["require_two_factor"]
        text = (
            error_text(refused)
            if not isinstance(refused, Conflict)
            else gettext("Your provider requires two-factor sign-in.")
        )
        return render(
            "account/two_factor.html", status=422, status_of=found, required=required, enrolment=None, error=text
        )
    return redirect(url_for("web_profile.profile", notice="two_factor_off"), code=303)
