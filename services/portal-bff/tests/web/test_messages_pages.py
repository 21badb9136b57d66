"""The Messages pages (unread marks, reading one) and the News page."""

import re


def test_reading_a_message_marks_it_read(jane, customer, seed):
    seed.message(customer["id"], "Maintenance on Monday", "From 01:00 to 03:00.")
    seed.message(customer["id"], "Your new router")

    before = jane.text("/messages")
    message_id = re.search(
        r'href="/messages/(\d+)">\s*<span><span class="badge[^>]*>New</span>Maintenance', before
    ).group(1)
    message = jane.text(f"/messages/{message_id}")
    after = jane.text("/messages")
    dashboard = jane.text("/")

    assert re.search(r'data-figure="unread">2 unread<', before)
    assert "Maintenance on Monday" in message and "From 01:00 to 03:00." in message
    assert re.search(r'data-figure="unread">1 unread<', after)
    assert re.search(r'data-figure="unread">1 unread<', dashboard)


def test_another_customers_message_is_refused(jane, seed):
    other = seed.customer("someone.else", status="active", emails=["else@example.com"])
    theirs = seed.message(other["id"], "Not for Jane")

    response = jane.get(f"/messages/{theirs}")

    assert response.status_code == 404 and "Not for Jane" not in response.get_data(as_text=True)


def test_the_news_page(jane, seed):
    seed.news("Faster upload speeds", "Twice as fast.\nAt no cost.")

    page = jane.text("/news")

    assert "Faster upload speeds" in page and "Twice as fast.<br>At no cost." in page
