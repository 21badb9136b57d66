"""GET /api/v1/sign-in-history: the customer's own attempts, newest first, a page at a time."""

PASSWORD = "correct horse 42"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_the_history_lists_every_attempt_newest_first(app, jane, sign_in, clock):
    start = clock.freeze()
    sign_in(password="wrong horse 1", ip="203.0.113.5")
    clock.advance(minutes=1)
    browser = app.test_client()
    sign_in(using=browser, ip="198.51.100.7")

    body = browser.get("/api/v1/sign-in-history").get_json()

    assert body["next_cursor"] is None
    assert body["items"] == [
        {
            "at": (start.replace(minute=start.minute) + (clock() - start)).isoformat(),
            "ip": "198.51.100.7",
            "user_agent": FIREFOX,
            "device": "Firefox 128 on Linux",
            "outcome": "success",
            "impersonated_by": None,
        },
        {
            "at": start.isoformat(),
            "ip": "203.0.113.5",
            "user_agent": FIREFOX,
            "device": "Firefox 128 on Linux",
            "outcome": "wrong_password",
            "impersonated_by": None,
        },
    ]


def test_the_history_pages_with_a_cursor(problem, app, jane, sign_in):
    for _ in range(3):
        sign_in(password="wrong horse 1")
    browser = app.test_client()
    sign_in(using=browser)

    first = browser.get("/api/v1/sign-in-history?limit=3").get_json()
    second = browser.get(f"/api/v1/sign-in-history?limit=3&cursor={first['next_cursor']}").get_json()

    assert [i["outcome"] for i in first["items"]] == ["success", "wrong_password", "wrong_password"]
    assert [i["outcome"] for i in second["items"]] == ["wrong_password"]
    assert second["next_cursor"] is None
    problem(browser.get("/api/v1/sign-in-history?limit=0"), 422)
    problem(browser.get("/api/v1/sign-in-history?cursor=abc"), 422)
    problem(browser.get("/api/v1/sign-in-history?limit=201"), 422)


def test_a_customer_never_sees_another_customers_history(app, jane, account, sign_in):
    account(8, login="john.roe")
    sign_in("john.roe", "wrong horse 1", ip="192.0.2.66")
    sign_in("john.roe")
    browser = app.test_client()
    sign_in(using=browser)

    items = browser.get("/api/v1/sign-in-history").get_json()["items"]
    assert [(i["outcome"], i["ip"]) for i in items] == [("success", "127.0.0.1")]
    # A cursor from nowhere still only reaches jane's rows.
    assert browser.get("/api/v1/sign-in-history?cursor=999999").get_json()["items"] == items
