"""Phone numbers for SMS: validated and written in E.164 (`+442079460000`).

Billing keeps numbers as people type them ("+44 20 7946 0000", "020 7946 0000"). A number
without a country code is read in `default_region` (`NOTIFICATIONS_SMS_DEFAULT_REGION`,
e.g. "GB"); with none set, only international numbers are accepted.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers


class InvalidPhoneNumber(ValueError):
    pass


def to_e164(number: str, default_region: str | None = None) -> str:
    """The number in E.164, or InvalidPhoneNumber if it is not a possible, valid number."""
    try:
        parsed = phonenumbers.parse(number, (default_region or "").upper() or None)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"{number!r} is not a phone number: {error}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(f"{number!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def first_valid(numbers: Iterable[str], default_region: str | None = None) -> str | None:
    """The first of the customer's numbers that is valid, in E.164; None if none is."""
    for number in numbers:
        try:
            return to_e164(number, default_region)
        except InvalidPhoneNumber:
            continue
    return None
