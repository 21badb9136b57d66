"""TOTP two-factor sign-in: enrol, confirm, required at sign-in, recovery codes, turning off, required by config."""

import hashlib
from datetime import timedelta

import pyotp
import pytest

from portal_bff.models import RecoveryCode, TwoFactorCredential

PASSWORD = "correct horse 42"


def code_at(secret: str, moment) -> str:
    return pyotp.TOTP(secret).at(moment)


@pytest.fixture
def enrolled(signed_in_client, clock):
    """Jane with two-factor sign-in on: (secret, recovery codes). The clock is frozen."""
    clock.freeze()
    browser, csrf, _id = signed_in_client()
    headers = {"X-CSRF-Token": csrf}
    secret = browser.post("/api/v1/two-factor", headers=headers).get_json()["secret"]
    confirmed = browser.post("/api/v1/two-factor/confirm", json={"code": code_at(secret, clock())}, headers=headers)
    assert confirmed.status_code == 200
    clock.advance(seconds=30)  # the next code
    return secret, confirmed.get_json()["recovery_codes"]


def test_enrolling_shows_the_secret_as_uri_and_qr_code_and_requires_nothing_yet(
    signed_in_client, sign_in, stored, clock
):
    browser, csrf, _id = signed_in_client()

    response = browser.post("/api/v1/two-factor", headers={"X-CSRF-Token": csrf})

    assert response.status_code == 201
    body = response.get_json()
    assert pyotp.parse_uri(body["otpauth_uri"]).secret == body["secret"]
    assert body["otpauth_uri"].startswith("otpauth://totp/Customer%20portal:jane.doe?")
    assert body["qr_svg"].startswith("<svg") and "</svg>" in body["qr_svg"]
    [credential] = stored.rows(TwoFactorCredential)
    assert (credential.customer_id, credential.secret, credential.confirmed_at) == (7, body["secret"], None)
    assert browser.get("/api/v1/two-factor").get_json() == {
        "enabled": False,
        "pending": True,
        "required": False,
        "confirmed_at": None,
        "recovery_codes_left": 0,
    }
    assert sign_in().status_code == 201  # pending is not on


def test_a_wrong_code_does_not_confirm(problem, signed_in_client, stored, clock):
    clock.freeze()
    browser, csrf, _id = signed_in_client()
    secret = browser.post("/api/v1/two-factor", headers={"X-CSRF-Token": csrf}).get_json()["secret"]
    wrong = code_at(secret, clock() + timedelta(minutes=5))

    refused = browser.post("/api/v1/two-factor/confirm", json={"code": wrong}, headers={"X-CSRF-Token": csrf})

    assert problem(refused, 422)["errors"]["code"]
    assert stored.rows(TwoFactorCredential)[0].confirmed_at is None
    assert stored.rows(RecoveryCode) == []


def test_confirming_turns_it_on_with_ten_hashed_recovery_codes(enrolled, signed_in_client, stored):
    _secret, codes = enrolled

    assert len(codes) == 10 == len(set(codes))
    rows = stored.rows(RecoveryCode)
    assert sorted(r.code_hash for r in rows) == sorted(
        hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes
    )
    assert not any(c.replace("-", "") in r.code_hash for c in codes for r in rows)
    assert stored.rows(TwoFactorCredential)[0].confirmed_at is not None


def test_once_on_sign_in_needs_the_code(problem, app, enrolled, sign_in, stored, clock):
    secret, _codes = enrolled

    missing = sign_in()
    assert problem(missing, 401)["two_factor_required"] is True
    wrong = sign_in(totp=code_at(secret, clock() + timedelta(minutes=10)))
    assert problem(wrong, 401)["title"] == "Wrong two-factor code"
    assert sign_in(password="wrong horse 1", totp=code_at(secret, clock())).get_json()["title"] == "Sign-in failed"

    browser = app.test_client()
    assert sign_in(using=browser, totp=code_at(secret, clock())).status_code == 201
    outcomes = [h.outcome for h in stored.history(7)][-4:]
    assert outcomes == ["two_factor_required", "wrong_two_factor_code", "wrong_password", "success"]


def test_a_code_works_once(problem, enrolled, sign_in, clock):
    secret, _codes = enrolled
    code = code_at(secret, clock())
    assert sign_in(totp=code).status_code == 201
    problem(sign_in(totp=code), 401)


def test_a_code_from_the_previous_step_is_accepted_for_clock_drift(enrolled, sign_in, clock):
    secret, _codes = enrolled
    clock.advance(seconds=60)  # past the step the enrolment used
    assert sign_in(totp=code_at(secret, clock() - timedelta(seconds=30))).status_code == 201


def test_wrong_codes_count_towards_the_lockout(problem, enrolled, sign_in, clock):
    secret, _codes = enrolled
    wrong = code_at(secret, clock() + timedelta(minutes=10))
    statuses = [sign_in(totp=wrong).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 423]
    problem(sign_in(totp=code_at(secret, clock())), 423)


def test_a_recovery_code_signs_in_once(problem, enrolled, sign_in, stored):
    _secret, codes = enrolled

    assert sign_in(recovery_code=codes[3].upper()).status_code == 201
    problem(sign_in(recovery_code=codes[3]), 401)
    used = [r for r in stored.rows(RecoveryCode) if r.used_at is not None]
    assert len(used) == 1


def test_another_customers_recovery_code_does_not_work(problem, enrolled, account, app, sign_in, clock):
    _secret, codes = enrolled
    account(8, login="john.roe")
    browser = app.test_client()
    csrf = {"X-CSRF-Token": sign_in("john.roe", using=browser).get_json()["csrf_token"]}
    johns = browser.post("/api/v1/two-factor", headers=csrf).get_json()["secret"]
    browser.post("/api/v1/two-factor/confirm", json={"code": code_at(johns, clock())}, headers=csrf)

    problem(sign_in("john.roe", recovery_code=codes[0]), 401)


def test_turning_it_off_needs_the_password_and_a_code(problem, enrolled, app, sign_in, stored, clock):
    secret, _codes = enrolled
    browser = app.test_client()
    csrf = {"X-CSRF-Token": sign_in(using=browser, totp=code_at(secret, clock())).get_json()["csrf_token"]}
    clock.advance(seconds=30)

    wrong_password = browser.post(
        "/api/v1/two-factor/disable", json={"password": "nope 1234567", "code": code_at(secret, clock())}, headers=csrf
    )
    assert problem(wrong_password, 422)["errors"]["password"]
    wrong_code = browser.post("/api/v1/two-factor/disable", json={"password": PASSWORD, "code": "000000"}, headers=csrf)
    assert problem(wrong_code, 422)["errors"]["code"]
    assert stored.rows(TwoFactorCredential) != []

    off = browser.post(
        "/api/v1/two-factor/disable", json={"password": PASSWORD, "code": code_at(secret, clock())}, headers=csrf
    )

    assert off.status_code == 204
    assert stored.rows(TwoFactorCredential) == [] and stored.rows(RecoveryCode) == []
    assert sign_in().status_code == 201


def test_turning_it_off_with_a_recovery_code(enrolled, app, sign_in, stored, clock):
    _secret, codes = enrolled
    browser = app.test_client()
    csrf = {"X-CSRF-Token": sign_in(using=browser, recovery_code=codes[0]).get_json()["csrf_token"]}
    off = browser.post("/api/v1/two-factor/disable", json={"password": PASSWORD, "code": codes[1]}, headers=csrf)
    assert off.status_code == 204


def test_enrolling_again_while_on_is_refused(problem, enrolled, app, sign_in, clock):
    secret, _codes = enrolled
    browser = app.test_client()
    csrf = {"X-CSRF-Token": sign_in(using=browser, totp=code_at(secret, clock())).get_json()["csrf_token"]}
    problem(browser.post("/api/v1/two-factor", headers=csrf), 409)
    problem(browser.post("/api/v1/two-factor/confirm", json={"code": "123456"}, headers=csrf), 409)


def require_two_factor(client, operator, partner_id=1):
    response = client.put(
        f"/admin/v1/portal-config/partners/{partner_id}",
        json={"security": {"require_two_factor": True}},
        headers=operator(),
    )
    assert response.status_code == 200


def test_a_partner_requiring_it_makes_customers_enrol_right_after_sign_in(
    problem, app, client, jane, operator, sign_in, clock
):
    clock.freeze()
    require_two_factor(client, operator)
    browser = app.test_client()

    signed = sign_in(using=browser)

    assert signed.status_code == 201
    assert signed.get_json()["restrictions"] == ["enrol_two_factor"]
    csrf = {"X-CSRF-Token": signed.get_json()["csrf_token"]}
    assert problem(browser.get("/api/v1/sessions"), 403)["restriction"] == "enrol_two_factor"
    assert browser.get("/api/v1/two-factor").get_json()["required"] is True
    secret = browser.post("/api/v1/two-factor", headers=csrf).get_json()["secret"]
    browser.post("/api/v1/two-factor/confirm", json={"code": code_at(secret, clock())}, headers=csrf)

    assert browser.get("/api/v1/session").get_json()["restrictions"] == []
    assert browser.get("/api/v1/sessions").status_code == 200
    clock.advance(seconds=30)
    turned_off = browser.post(
        "/api/v1/two-factor/disable", json={"password": PASSWORD, "code": code_at(secret, clock())}, headers=csrf
    )
    assert "requires" in problem(turned_off, 409)["detail"]


def test_requiring_it_catches_sessions_already_open(problem, signed_in_client, client, operator):
    browser, _csrf, _id = signed_in_client()
    require_two_factor(client, operator)
    assert problem(browser.get("/api/v1/portal-config"), 403)["restriction"] == "enrol_two_factor"


def test_a_forced_password_change_comes_before_enrolment(problem, app, client, account, operator, sign_in):
    account(7, login="jane.doe", must_change_password=True)
    require_two_factor(client, operator)
    browser = app.test_client()
    body = sign_in(using=browser).get_json()
    csrf = {"X-CSRF-Token": body["csrf_token"]}

    assert body["restrictions"] == ["change_password", "enrol_two_factor"]
    assert problem(browser.post("/api/v1/two-factor", headers=csrf), 403)["restriction"] == "change_password"
    changed = browser.post("/api/v1/password", json={"current": PASSWORD, "new": "brand new horse 7"}, headers=csrf)
    assert changed.status_code == 204
    assert browser.post("/api/v1/two-factor", headers=csrf).status_code == 201


def test_another_partners_customers_are_not_affected(app, client, account, operator, sign_in):
    account(7, login="jane.doe", partner_id=2)
    require_two_factor(client, operator, partner_id=1)
    assert sign_in().get_json()["restrictions"] == []
