"""Messages and News through the portal: the inbox, reading marks read, the unread badge, news."""

UNAVAILABLE = {"status": "unavailable"}


def test_the_inbox_newest_first_with_its_unread_count(jane, customer, seed):
    for n in range(3):
        seed.message(customer["id"], f"Message {n}")

    first = jane.get("/api/v1/messages?limit=2").get_json()
    rest = jane.get(f"/api/v1/messages?limit=2&cursor={first['messages']['next_cursor']}").get_json()

    assert first["unread"] == {"status": "ok", "unread": 3}
    assert [m["title"] for m in first["messages"]["items"]] == ["Message 2", "Message 1"]
    assert [m["title"] for m in rest["messages"]["items"]] == ["Message 0"]
    assert rest["messages"]["next_cursor"] is None


def test_reading_a_message_marks_it_read(jane, customer, seed):
    message_id = seed.message(customer["id"], "Maintenance", "On Monday night.")

    page = jane.get(f"/api/v1/messages/{message_id}").get_json()

    assert page["message"]["status"] == "ok"
    item = page["message"]["item"]
    assert (item["title"], item["body"], item["read"]) == ("Maintenance", "On Monday night.", True)
    assert jane.get("/api/v1/messages/unread-count").get_json() == {"status": "ok", "unread": 0}


def test_another_customers_message_is_not_found(jane, customer, seed, problem):
    other = seed.customer("john.roe")
    theirs = seed.message(other["id"], "For John")

    problem(jane.get(f"/api/v1/messages/{theirs}"), 404)


def test_notifications_down_leaves_unavailable_sections(jane, customer, upstreams):
    upstreams["notifications"].proxy.down()

    assert jane.get("/api/v1/messages").get_json() == {"unread": UNAVAILABLE, "messages": UNAVAILABLE}
    assert jane.get("/api/v1/messages/unread-count").get_json() == UNAVAILABLE
    assert jane.get("/api/v1/news").get_json() == {"news": UNAVAILABLE}


def test_the_news_page(jane, customer, seed):
    seed.news("Faster plans", "From next month.")

    page = jane.get("/api/v1/news").get_json()

    [item] = page["news"]["items"]
    assert (item["title"], item["body"]) == ("Faster plans", "From next month.")
    assert page["news"]["next_cursor"] is None


def test_hidden_messages_and_news_modules_answer_404(jane, customer, configure, problem):
    configure(customer["partner_id"], {"menu": {"messages": False, "news": False}})

    for path in ("/api/v1/messages", "/api/v1/messages/unread-count", "/api/v1/messages/1", "/api/v1/news"):
        problem(jane.get(path), 404)
