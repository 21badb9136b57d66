"""How long the dashboard's time-bound parts may be served from the cache."""

from datetime import datetime

from portal_bff.pages.dashboard import _news_max_age, _summary_max_age
from portal_bff.section_cache import MaxAges

AGES = MaxAges(events=300, live=30)


def at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def summary() -> dict:
    return {"balance": {"billing_type": "prepaid", "status": "ok"}}


def test_days_left_are_served_until_the_day_changes_at_most():
    assert _summary_max_age(AGES, summary(), at("2026-11-25T10:00:00+00:00")) == 300
    assert _summary_max_age(AGES, summary(), at("2026-11-25T23:59:00+00:00")) == 60  # billing's day is UTC


def test_news_are_served_until_the_first_shown_expires():
    now = at("2026-11-25T10:00:00+00:00")
    items = [{"expires_at": None}, {"expires_at": "2026-11-25T10:01:40+00:00"}, {"expires_at": "2026-12-01T00:00:00Z"}]

    assert _news_max_age(AGES, {"news": {"items": items}}, now) == 100
    assert _news_max_age(AGES, {"news": {"items": [{"expires_at": None}]}}, now) == 300
    assert _news_max_age(AGES, {"news": {"items": [{"expires_at": "soon"}]}}, now) == 0
