"""Additional values are checked against their definitions: type, choices, required."""

import pytest

from billing.additional_values import apply_values
from billing.errors import InvalidFields
from billing.models import AdditionalField

DEFINED = {
    "notes": AdditionalField(name="notes", type="text", choices=[], required=False),
    "floor": AdditionalField(name="floor", type="number", choices=[], required=False),
    "contract_end": AdditionalField(name="contract_end", type="date", choices=[], required=False),
    "segment": AdditionalField(name="segment", type="choice", choices=["home", "business"], required=True),
    "vip": AdditionalField(name="vip", type="yes_no", choices=[], required=False),
}


def errors_of(given: dict, *, current=None, creating=False) -> dict:
    with pytest.raises(InvalidFields) as raised:
        apply_values(DEFINED, current or {}, given, creating=creating)
    return raised.value.extensions["errors"]["additional"]


def test_values_of_each_type_are_kept():
    given = {"notes": "gate code 4711", "floor": 3.5, "contract_end": "2027-01-31", "segment": "home", "vip": False}
    assert apply_values(DEFINED, {}, given, creating=True) == given


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("notes", 12),
        ("notes", "x" * 1001),
        ("floor", "3"),
        ("floor", True),
        ("floor", float("nan")),
        ("floor", 10**400),
        ("contract_end", "31/01/2027"),
        ("contract_end", "2027-02-30"),
        ("contract_end", "20270131"),
        ("segment", "Home"),
        ("segment", ["home"]),
        ("vip", "yes"),
        ("vip", 1),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_under_its_name(name, value):
    assert list(errors_of({"segment": "home", name: value})) == [name]


def test_an_unknown_name_is_refused():
    assert errors_of({"segment": "home", "colour": "red"}) == {"colour": ["Unknown additional field."]}


def test_a_required_field_must_be_given_on_create_and_cannot_be_cleared():
    assert list(errors_of({}, creating=True)) == ["segment"]
    assert list(errors_of({"segment": None}, current={"segment": "home"})) == ["segment"]


def test_a_change_merges_and_a_null_removes():
    current = {"segment": "home", "notes": "old", "vip": True}
    changed = apply_values(DEFINED, current, {"notes": None, "vip": False}, creating=False)
    assert changed == {"segment": "home", "vip": False}
    assert current == {"segment": "home", "notes": "old", "vip": True}
