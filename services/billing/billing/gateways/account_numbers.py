"""Card and bank account numbers: checking them, naming the brand, masking them, fingerprints.

Used by a gateway when it tokenizes; billing never stores a number, only what these give.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import string

MASK = "••••"
# Leading digits of the brands a customer most often names (enough for a label).
BRANDS = (
    ("amex", re.compile(r"^3[47]")),
    ("visa", re.compile(r"^4")),
    ("mastercard", re.compile(r"^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))")),
    ("discover", re.compile(r"^6(011|5)")),
)


def card_digits(number: str) -> str | None:
    """The digits of a card number written with spaces or dashes; None unless 12-19 digits pass Luhn."""
    digits = re.sub(r"[ -]", "", number)
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn_ok(digits):
        return None
    return digits


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str:
    return next((brand for brand, pattern in BRANDS if pattern.match(digits)), "card")


def iban_text(iban: str) -> str | None:
    """The IBAN without spaces, upper case; None unless its check digits are right (ISO 13616, mod 97)."""
    compact = re.sub(r"\s", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return None
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(string.ascii_uppercase.index(c) + 10) if c.isalpha() else c for c in rearranged)
    return compact if int(number) % 97 == 1 else None


def masked_card(digits: str) -> str:
    return f"{MASK} {digits[-4:]}"


def masked_iban(iban: str) -> str:
    """Country and check digits, then the last four: "DE89 •••• 3000"."""
    return f"{iban[:4]} {MASK} {iban[-4:]}"


def fingerprint(secret: str, kind: str, number: str) -> str:
    """The same for the same number under one secret, and says nothing of the number without it."""
    return hmac.new(secret.encode(), f"{kind}:{number}".encode(), hashlib.sha256).hexdigest()
