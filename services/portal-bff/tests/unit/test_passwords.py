"""The password policy and argon2 hashing, with no database."""

import pytest

from portal_bff.errors import WeakPassword
from portal_bff.passwords import check_password_policy, hash_password, verify_password


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", "at least 10 characters"),
        ("abcdefghijKLMN", "besides letters"),
        ("12345678901234", "besides digits"),
        ("Jane.Doe-2026", "must not be your login"),
        ("x1" * 513, "at most 1024 characters"),
    ],
    ids=["too-short", "letters-only", "digits-only", "the-login", "too-long"],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with pytest.raises(WeakPassword) as refused:
        check_password_policy(password, login="jane.doe-2026")
    assert reason in refused.value.reason


@pytest.mark.parametrize("password", ["correct horse battery", "tr0ub4dor&3x", "2026-11-23 late", "ÄÖÜäöü1234"])
def test_acceptable_passwords_pass(password):
    check_password_policy(password, login="jane.doe")


def test_the_hash_is_argon2_and_verifies_only_the_password():
    hashed = hash_password("correct horse 1")
    assert hashed.startswith("$argon2")
    assert "correct horse 1" not in hashed
    assert verify_password(hashed, "correct horse 1")
    assert not verify_password(hashed, "correct horse 2")
    assert not verify_password("not a hash", "correct horse 1")


def test_the_same_password_hashes_differently_each_time():
    assert hash_password("correct horse 1") != hash_password("correct horse 1")
