"""Webhook signatures and account numbers, as the gateways use them."""

from datetime import UTC, datetime, timedelta

import pytest

from billing.errors import InvalidWebhook
from billing.gateways import account_numbers, signatures

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BODY = b'{"checkout_id": "dcs_1", "status": "paid"}'


def headers(value: str) -> dict[str, str]:
    return {signatures.HEADER: value}


def test_a_signature_verifies_within_the_tolerance_only():
    signed = signatures.sign("secret", BODY, NOW)

    signatures.verify("secret", headers(signed), BODY, NOW + timedelta(seconds=299))
    with pytest.raises(InvalidWebhook, match="tolerance"):
        signatures.verify("secret", headers(signed), BODY, NOW + timedelta(seconds=301))


@pytest.mark.parametrize(
    ("secret", "body", "header"),
    [
        ("other", BODY, None),
        ("secret", BODY + b" ", None),
        ("secret", BODY, ""),
        ("secret", BODY, "t=abc,v1=00"),
        ("secret", BODY, "v1=00"),
    ],
)
def test_a_signature_that_does_not_match_is_refused(secret, body, header):
    value = signatures.sign("secret", BODY, NOW) if header is None else header
    with pytest.raises(InvalidWebhook):
        signatures.verify(secret, headers(value), body, NOW)


def test_any_of_several_signatures_may_match_while_a_secret_is_rotated():
    new = signatures.sign("new", BODY, NOW)
    old = signatures.sign("old", BODY, NOW).split(",")[1]
    signatures.verify("old", headers(f"{new},{old}"), BODY, NOW)


@pytest.mark.parametrize(
    ("number", "digits", "brand"),
    [
        ("4242 4242 4242 4242", "4242424242424242", "visa"),
        ("5555-5555-5555-4444", "5555555555554444", "mastercard"),
        ("3782 822463 10005", "378282246310005", "amex"),
        ("4242 4242 4242 4241", None, None),
        ("4242", None, None),
        ("abcd efgh ijkl mnop", None, None),
    ],
)
def test_card_numbers_pass_luhn_and_name_their_brand(number, digits, brand):
    assert account_numbers.card_digits(number) == digits
    if digits:
        assert account_numbers.card_brand(digits) == brand
        assert account_numbers.masked_card(digits) == f"•••• {digits[-4:]}"


def test_an_iban_is_checked_by_its_check_digits_and_masked():
    assert account_numbers.iban_text("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    assert account_numbers.iban_text("DE89 3704 0044 0532 0130 01") is None
    assert account_numbers.iban_text("GB82 WEST 1234 5698 7654 32") == "GB82WEST12345698765432"
    assert account_numbers.masked_iban("DE89370400440532013000") == "DE89 •••• 3000"


def test_a_fingerprint_is_stable_per_number_and_secret():
    same = account_numbers.fingerprint("s", "card", "4242424242424242")
    assert same == account_numbers.fingerprint("s", "card", "4242424242424242")
    assert same != account_numbers.fingerprint("t", "card", "4242424242424242")
    assert "4242" not in same
