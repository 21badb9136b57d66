"""Phone numbers are validated and written in E.164 for SMS."""

import pytest

from notifications.phones import InvalidPhoneNumber, first_valid, to_e164


def test_international_numbers_are_normalised_to_e164():
    assert to_e164("+44 20 7946 0000") == "+442079460000"
    assert to_e164("+1 (202) 555-0143") == "+12025550143"


def test_a_national_number_needs_the_default_region():
    assert to_e164("020 7946 0000", "GB") == "+442079460000"
    with pytest.raises(InvalidPhoneNumber):
        to_e164("020 7946 0000")


@pytest.mark.parametrize("number", ["", "hello", "+44 12", "+999 123456789"])
def test_what_is_not_a_valid_number_is_refused(number):
    with pytest.raises(InvalidPhoneNumber):
        to_e164(number, "GB")


def test_the_first_valid_number_of_the_customer_is_used():
    assert first_valid(["not a number", "+44 20 7946 0000", "+12025550143"]) == "+442079460000"
    assert first_valid(["nope"]) is None
