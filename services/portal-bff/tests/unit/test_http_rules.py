"""CSRF, security headers, rate-limit windows and device names, with no database."""

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.datastructures import Headers

from portal_bff.csrf import csrf_token_matches, needs_csrf_check, new_csrf_token
from portal_bff.devices import describe_device
from portal_bff.errors import LoginLocked, RateLimited
from portal_bff.rate_limit import window_start
from portal_bff.security_headers import add_security_headers


@pytest.mark.parametrize(
    ("method", "via_cookie", "needed"),
    [("POST", True, True), ("DELETE", True, True), ("put", True, True), ("GET", True, False), ("POST", False, False)],
)
def test_csrf_applies_to_unsafe_cookie_requests_only(method, via_cookie, needed):
    assert needs_csrf_check(method, via_cookie=via_cookie) is needed


def test_csrf_tokens_match_only_themselves():
    token = new_csrf_token()
    assert csrf_token_matches(token, token)
    assert not csrf_token_matches(token, None) and not csrf_token_matches(token, "")
    assert not csrf_token_matches(token, token[:-1]) and not csrf_token_matches(token, new_csrf_token())


def test_security_headers_never_override_a_views_own():
    headers = Headers({"Cache-Control": "max-age=60"})
    add_security_headers(headers, https=True, personal=True)
    assert headers["Cache-Control"] == "max-age=60"
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; frame-ancestors 'none'")


def test_rate_limit_windows_are_aligned():
    moment = datetime(2026, 11, 23, 12, 7, 41, 500, tzinfo=UTC)
    assert window_start(moment, timedelta(minutes=5)) == datetime(2026, 11, 23, 12, 5, tzinfo=UTC)
    assert window_start(moment, timedelta(hours=1)) == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_waits_are_announced_in_whole_seconds_at_least_one():
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert LoginLocked(now + timedelta(milliseconds=10), now).headers() == {"Retry-After": "1"}
    assert RateLimited(timedelta(seconds=59.2)).headers() == {"Retry-After": "60"}
    assert "15 min" in str(LoginLocked(now + timedelta(minutes=15), now))


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox 128 on Linux"),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome Mobile 126 on Android (Samsung SM-S911B)",
        ),
        ("", "Unknown device"),
        ("werkzeug/3.1", "Unknown device"),
    ],
)
def test_devices_get_short_names(user_agent, device):
    assert describe_device(user_agent) == device
