"""The timeline lists each changed field with its old and new value; additional values one by one."""

from billing.activity import field_changes


def test_only_changed_fields_are_listed_and_additional_values_by_name():
    before = {"full_name": "Jane Doe", "city": "Leeds", "additional": {"vip": False, "notes": "x"}}
    after = {"full_name": "Jane Roe", "city": "Leeds", "additional": {"vip": True, "floor": 2}}
    assert field_changes(before, after, ["full_name", "city", "additional"]) == [
        {"field": "full_name", "old": "Jane Doe", "new": "Jane Roe"},
        {"field": "additional.floor", "old": None, "new": 2},
        {"field": "additional.notes", "old": "x", "new": None},
        {"field": "additional.vip", "old": False, "new": True},
    ]
