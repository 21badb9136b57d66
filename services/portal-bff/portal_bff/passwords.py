"""The password policy and argon2 hashing: the only place passwords are judged or hashed."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal_bff.errors import WeakPassword

MIN_LENGTH = 10
# Hashing is deliberately slow; a bound keeps a huge "password" from tying up a worker.
MAX_LENGTH = 1024

_hasher = PasswordHasher()


def check_password_policy(password: str, *, login: str) -> None:
    """Raise WeakPassword, with the reason, unless `password` is acceptable for the account `login`."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.")
    if password.isalpha():
        raise WeakPassword("Use something besides letters (digits, spaces or symbols).")
    if password.isdigit():
        raise WeakPassword("Use something besides digits (letters, spaces or symbols).")
    if password.casefold() == login.casefold():
        raise WeakPassword("The password must not be your login.")


def hash_password(password: str) -> str:
    """An argon2id hash (PHC string, `$argon2id$...`) with its own salt and parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (rehash at the next sign-in)."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """A hash no password is known for, verified when a login is unknown so that it costs the same time."""
    return _hasher.hash(secrets.token_urlsafe(32))
