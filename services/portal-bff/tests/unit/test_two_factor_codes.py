"""TOTP step matching and recovery codes, with no database."""

from datetime import UTC, datetime, timedelta

import pyotp

from portal_bff.two_factor import _format_code, _matching_step, recovery_code_hash

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 23, 12, 0, 10, tzinfo=UTC)


def test_codes_of_the_current_and_neighbouring_steps_match_with_their_step():
    totp = pyotp.TOTP(SECRET)
    step = totp.timecode(NOW)
    for drift in (-1, 0, 1):
        assert _matching_step(SECRET, totp.at(NOW + timedelta(seconds=30 * drift)), NOW) == step + drift


def test_codes_further_off_or_malformed_do_not_match():
    totp = pyotp.TOTP(SECRET)
    assert _matching_step(SECRET, totp.at(NOW + timedelta(minutes=2)), NOW) is None
    for code in ("", "12345", "1234567", "abcdef", "12 34 5x"):
        assert _matching_step(SECRET, code, NOW) is None


def test_a_code_typed_with_a_space_still_matches():
    code = pyotp.TOTP(SECRET).at(NOW)
    assert _matching_step(SECRET, f"{code[:3]} {code[3:]}", NOW) is not None


def test_recovery_codes_are_four_groups_and_hash_whatever_the_typing():
    code = _format_code(bytes(range(10)))
    assert len(code) == 19 and code.count("-") == 3 and code == code.lower()
    assert recovery_code_hash(code) == recovery_code_hash(code.upper().replace("-", " "))
    assert len(recovery_code_hash(code)) == 64 and code.replace("-", "") not in recovery_code_hash(code)
