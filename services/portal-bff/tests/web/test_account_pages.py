"""Signing in and out, the welcome link, a forgotten password, the forced change, the two-factor step,
CSRF on forms, and the theme and language a customer chooses."""

import re

import pyotp

from portal_bff import two_factor
from portal_bff.models import PortalAccount
from portal_bff.passwords import hash_password

from .conftest import Browser


def test_signing_in_opens_the_dashboard_and_a_wrong_password_says_so(app, customer, db, password):
    browser = Browser(app.test_client())
    page = browser.text("/sign-in")
    assert 'name="csrf_token"' in page and "Sign in to your account" in page
    with db.transaction() as session:
        session.get(PortalAccount, customer["id"]).password_hash = hash_password(password)

    wrong = browser.post("/sign-in", {"login": customer["login"], "password": "not it at all"})
    right = browser.post("/sign-in", {"login": customer["login"], "password": password, "next": "/tickets"})

    assert wrong.status_code == 401 and "The login or the password is not correct." in wrong.get_data(as_text=True)
    assert right.status_code == 303 and right.headers["Location"] == "/tickets"
    assert "portico_session=" in right.headers["Set-Cookie"] and "HttpOnly" in right.headers["Set-Cookie"]


def test_pages_send_a_signed_out_browser_to_sign_in_and_back(browser):
    response = browser.get("/finance/invoices?status=unpaid")

    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in?next=/finance/invoices?status%3Dunpaid"


def test_a_form_without_the_csrf_token_is_refused(jane):
    refused = jane.client.post("/tickets/new", data={"subject": "Hi", "message": "Hello"})
    other_site = jane.client.post("/sign-in", data={"login": "x", "password": "y", "csrf_token": "forged"})

    assert refused.status_code == 403 and "Not allowed" in refused.get_data(as_text=True)
    assert other_site.status_code == 403


def test_the_welcome_link_sets_the_password_once(app, provisioned):
    browser = Browser(app.test_client())
    page = browser.text(f"/set-password?token={provisioned}")
    assert "Welcome! Set your password" in page

    weak = browser.post("/set-password", {"token": provisioned, "password": "short", "confirm": "short"})
    done = browser.post(
        "/set-password", {"token": provisioned, "password": "a-Long-passw0rd", "confirm": "a-Long-passw0rd"}
    )
    again = browser.post(
        "/set-password", {"token": provisioned, "password": "a-Long-passw0rd", "confirm": "a-Long-passw0rd"}
    )

    assert weak.status_code == 422 and "Use at least 10 characters." in weak.get_data(as_text=True)
    assert done.status_code == 303 and done.headers["Location"] == "/sign-in?notice=password_set"
    assert again.status_code == 410 and "Link no longer valid" in again.get_data(as_text=True)
    assert "Your password is set. Sign in with it now." in browser.text("/sign-in?notice=password_set")


def test_a_forgotten_password_is_reset_from_the_emailed_link(app, customer, outbox_events):
    browser = Browser(app.test_client())
    browser.get("/forgot-password")

    asked = browser.post("/forgot-password", {"login": "jane@example.com"})
    [event] = [e for e in outbox_events() if e["type"] == "portal.password_reset.requested"]
    link = event["data"]["reset_url"]
    token = link.rsplit("=", 1)[1]
    assert link.startswith("https://portal.example.net/reset-password?token=")
    browser.get(f"/reset-password?token={token}")
    reset = browser.post("/reset-password", {"token": token, "password": "a-New-passw0rd", "confirm": "a-New-passw0rd"})
    browser.get("/sign-in")
    signed_in = browser.post("/sign-in", {"login": customer["login"], "password": "a-New-passw0rd"})

    assert asked.status_code == 303 and asked.headers["Location"] == "/sign-in?notice=reset_sent"
    assert reset.status_code == 303
    assert signed_in.status_code == 303


def test_a_forced_change_comes_before_every_page(app, customer, db, sign_in_browser, password):
    with db.transaction() as session:
        session.get(PortalAccount, customer["id"]).must_change_password = True
    browser = sign_in_browser(customer)

    sent_back = browser.get("/tickets")
    page = browser.text("/change-password")
    changed = browser.post(
        "/change-password", {"current": password, "new": "a-Fresh-passw0rd", "confirm": "a-Fresh-passw0rd"}
    )

    assert sent_back.status_code == 303 and sent_back.headers["Location"] == "/change-password"
    assert "replace the password you were given" in page
    assert changed.status_code == 303 and changed.headers["Location"] == "/?notice=password_changed"
    assert browser.get("/tickets").status_code == 200


def test_the_two_factor_step_asks_for_the_code(app, customer, db, password, clock):
    moment = clock.freeze()
    with db.transaction() as session:
        account = session.get(PortalAccount, customer["id"])
        account.password_hash = hash_password(password)
        enrolment = two_factor.start_enrolment(session, account, issuer="Portico", now=moment)
        two_factor.confirm_enrolment(session, customer["id"], pyotp.TOTP(enrolment.secret).at(moment), now=moment)
    clock.advance(seconds=60)
    browser = Browser(app.test_client())
    browser.get("/sign-in")

    step = browser.post("/sign-in", {"login": customer["login"], "password": password})
    wrong = browser.post("/sign-in", {"login": customer["login"], "password": password, "code": "000000"})
    right = browser.post(
        "/sign-in", {"login": customer["login"], "password": password, "code": pyotp.TOTP(enrolment.secret).at(clock())}
    )

    assert step.status_code == 401 and "Enter the code from your authenticator app" in step.get_data(as_text=True)
    assert "not correct, or was already used" in wrong.get_data(as_text=True)
    assert right.status_code == 303


def test_signing_out_ends_the_session(jane):
    page = jane.text("/")
    assert "Sign out" in page

    out = jane.post("/sign-out")

    assert out.status_code == 303 and out.headers["Location"] == "/sign-in?notice=signed_out"
    assert jane.get("/").status_code == 303


def test_the_theme_and_language_are_kept_for_the_customer(customer, sign_in_browser):
    browser = sign_in_browser(customer)
    browser.get("/")

    browser.post("/preferences", {"theme": "dark", "next": "/tickets"})
    browser.post("/preferences", {"language": "de", "next": "/"})
    again = sign_in_browser(customer)  # another browser, signed in anew
    page = again.text("/")

    assert re.search(r'<html lang="de"[^>]*data-bs-theme="dark"', page)
    assert "Übersicht" in page and "Abmelden" in page


def test_the_sign_in_page_speaks_the_browsers_language(browser):
    page = browser.client.get("/sign-in", headers={"Accept-Language": "de-DE,de;q=0.9"})

    assert "Melden Sie sich an" in page.get_data(as_text=True)
