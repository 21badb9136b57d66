"""The dashboard read from the real upstreams: what they hold, only the sections the config shows,
and a down or slow upstream turning into its sections being unavailable, never a failed page."""

import re
import time

from portico.auth import verify_token
from portico.settings import DEV_JWT_SECRET

UNAVAILABLE = {"status": "unavailable"}


def open_ticket(jane, subject: str, message: str = "It does not work.", **form):
    response = jane.post("/api/v1/tickets", data={"subject": subject, "message": message, **form})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["ticket"]["item"]


def test_the_dashboard_shows_what_the_services_hold_for_the_customer(jane, customer, seed):
    fibre = seed.internet_service(customer["id"], description="Home fibre")
    paused = seed.internet_service(customer["id"], description="Backup line", status="paused")
    seed.online(fibre["id"])
    seed.message(customer["id"], "Maintenance on Monday")
    seed.message(customer["id"], "Your new router")
    router = open_ticket(jane, "Router blinks red")
    closed = open_ticket(jane, "Old question")
    assert jane.post(f"/api/v1/tickets/{closed['id']}/close").status_code == 200

    response = jane.get("/api/v1/dashboard")

    assert response.status_code == 200
    page = response.get_json()
    services = {s["description"]: s for s in page["services"]["items"]}
    assert page["services"]["status"] == "ok"
    assert services["Home fibre"]["display_status"] == "online"
    assert services["Backup line"]["display_status"] == "paused"
    assert services["Backup line"]["id"] == paused["id"]
    assert page["tickets"] == {
        "status": "ok",
        "columns": ["id", "subject", "priority", "status", "updated"],
        "items": [
            {
                "id": router["id"],
                "subject": "Router blinks red",
                "priority": "medium",
                "status": "new",
                "updated_at": router["updated_at"],
            }
        ],
    }
    assert page["messages"]["status"] == "ok"
    assert page["messages"]["unread"] == 2
    assert [m["title"] for m in page["messages"]["items"]] == ["Your new router", "Maintenance on Monday"]
    assert page["shortcut_buttons"] == []


def test_the_balance_sections_come_from_billings_summary(jane, customer, seed):
    invoice = seed.invoice(customer["id"], "10.00", "2.50")

    page = jane.get("/api/v1/dashboard").get_json()

    assert page["balance"]["status"] == "ok"
    assert page["balance"]["balance"] == {"amount": invoice["total"], "sense": "owe"}
    assert page["balance"]["total_due"] == invoice["total"]
    assert page["payment_due"]["next_payment"]["amount"] == invoice["total"]
    assert page["account_suspension"]["status"] == "ok"
    [unpaid] = page["unpaid_invoices"]["items"]
    assert (unpaid["number"], unpaid["amount_due"], unpaid["status"]) == (invoice["number"], invoice["total"], "unpaid")


def test_the_latest_news_of_the_customers_partner(jane, customer, seed):
    for n in range(4):
        seed.news(f"News {n}", f"Body {n}")
    seed.news("For another partner", partner_ids=[customer["partner_id"] + 1])

    news = jane.get("/api/v1/dashboard").get_json()["news"]

    assert news["status"] == "ok"
    assert [n["title"] for n in news["items"]] == ["News 3", "News 2", "News 1"]
    assert set(news["items"][0]) == {"id", "title", "body", "published_at", "expires_at"}


def test_internal_fields_never_reach_the_dashboard(jane, customer, seed):
    service = seed.internet_service(customer["id"])
    seed.online(service["id"])
    ticket = open_ticket(jane, "Slow evenings")
    seed.internal_note(ticket["id"], "customer is on the old DSLAM")

    page = jane.get("/api/v1/dashboard").get_json()

    [shown] = page["services"]["items"]
    assert not {"revision", "customer_id", "plan_id", "created_at", "updated_at"} & set(shown)
    [row] = page["tickets"]["items"]
    assert set(row) == {"id", "subject", "priority", "status", "updated_at"}
    assert "DSLAM" not in str(page)


def test_hidden_sections_and_modules_are_left_out(jane, customer, configure):
    configure(
        customer["partner_id"],
        {
            "dashboard": {"news": False, "cap_fup": True, "shortcut_buttons": [{"label": "Speed", "url": "/speed"}]},
            "menu": {"tickets": False},
            "tickets": {"columns": ["subject", "assigned_to"]},
        },
    )

    page = jane.get("/api/v1/dashboard").get_json()

    assert "news" not in page
    assert "tickets" not in page  # the Tickets module is hidden, so is its dashboard section
    assert page["cap_fup"] == {"status": "ok", "items": []}
    assert page["shortcut_buttons"] == [{"label": "Speed", "url": "/speed"}]
    assert jane.get("/api/v1/tickets").status_code == 404


def test_the_ticket_columns_of_the_partner_are_the_only_ones_shown(jane, customer, configure):
    configure(customer["partner_id"], {"tickets": {"columns": ["subject", "assigned_to", "created"]}})
    ticket = open_ticket(jane, "No dial tone")

    [row] = jane.get("/api/v1/dashboard").get_json()["tickets"]["items"]

    assert row == {
        "id": ticket["id"],
        "subject": "No dial tone",
        "assigned_to": None,
        "created_at": ticket["created_at"],
    }


def test_a_hidden_dashboard_answers_404(jane, customer, configure, problem):
    configure(customer["partner_id"], {"menu": {"dashboard": False}})

    problem(jane.get("/api/v1/dashboard"), 404)


def test_each_upstream_down_in_turn_leaves_the_rest_of_the_dashboard(jane, customer, seed, upstreams):
    seed.internet_service(customer["id"])
    seed.message(customer["id"], "Hello")
    ticket = open_ticket(jane, "A question")
    assert jane.get("/api/v1/dashboard").status_code == 200  # every part cached from here
    # Something changes in the upstream (its event reaches the portal), then it goes down: its
    # cached sections are out of date, and the upstream cannot be read.
    change = {
        "billing": lambda: seed.invoice(customer["id"], "5.00"),
        "ticketing": lambda: seed.operator_reply(ticket["id"], "We are looking into it."),
        "notifications": lambda: seed.message(customer["id"], "Another one"),
    }
    sections_of = {
        "billing": ("services", "balance", "unpaid_invoices"),
        "ticketing": ("tickets",),
        "notifications": ("messages", "news"),
    }
    for service, sections in sections_of.items():
        change[service]()
        upstreams[service].proxy.down()
        started = time.monotonic()
        response = jane.get("/api/v1/dashboard")
        elapsed = time.monotonic() - started
        upstreams[service].proxy.up()

        assert response.status_code == 200, service
        page = response.get_json()
        for section in sections:
            assert page[section] == UNAVAILABLE, (service, section)
        others = {"services", "tickets", "messages"} - set(sections)
        for section in others:
            assert page[section]["status"] == "ok", (service, section)
        assert elapsed < 0.8, (service, elapsed)  # within the default timeout: a refused call costs little


def test_a_down_upstream_whose_sections_are_current_is_not_even_asked(jane, customer, seed, upstreams):
    seed.message(customer["id"], "Hello")
    first = jane.get("/api/v1/dashboard").get_json()
    upstreams["notifications"].proxy.down()
    connections = upstreams["notifications"].proxy.connections

    page = jane.get("/api/v1/dashboard").get_json()

    # Nothing the portal has heard of changed them: the cached sections are as current as an answer.
    assert page["messages"] == first["messages"] and page["messages"]["unread"] == 1
    assert page["news"] == first["news"]
    assert upstreams["notifications"].proxy.connections == connections


def test_a_slow_upstream_costs_the_page_no_more_than_its_timeout(jane, customer, seed, upstreams, make_app, sign_in):
    app = make_app(PORTAL_BFF_TICKETING_TIMEOUT_MS="300")
    token = sign_in("jane.doe", delivery="bearer", using=app.test_client()).get_json()["token"]
    open_ticket(jane, "A question")
    upstreams["ticketing"].proxy.delay = 2.0

    started = time.monotonic()
    response = app.test_client().get("/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    page = response.get_json()
    assert page["tickets"] == UNAVAILABLE
    assert page["services"]["status"] == "ok" and page["messages"]["status"] == "ok"
    assert elapsed < 1.0, elapsed  # the 0.3 s timeout, not ticketing's 2 s, bounds the page


def test_a_dead_upstream_costs_nothing_once_its_breaker_is_open(jane, upstreams, make_app, sign_in):
    app = make_app(PORTAL_BFF_BREAKER_FAILURES="3", PORTAL_BFF_BREAKER_RESET_MS="60000")
    token = sign_in("jane.doe", delivery="bearer", using=app.test_client()).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    upstreams["ticketing"].proxy.down()
    for _ in range(3):
        assert app.test_client().get("/api/v1/dashboard", headers=headers).get_json()["tickets"] == UNAVAILABLE
    upstreams["ticketing"].proxy.up()
    connections = upstreams["ticketing"].proxy.connections

    page = app.test_client().get("/api/v1/dashboard", headers=headers).get_json()

    assert page["tickets"] == UNAVAILABLE  # the breaker is open: ticketing is not even asked
    assert upstreams["ticketing"].proxy.connections == connections


def test_the_breaker_lets_a_trial_call_through_after_its_reset_time(jane, customer, upstreams, make_app, sign_in):
    app = make_app(PORTAL_BFF_BREAKER_FAILURES="2", PORTAL_BFF_BREAKER_RESET_MS="200")
    token = sign_in("jane.doe", delivery="bearer", using=app.test_client()).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    upstreams["ticketing"].proxy.down()
    for _ in range(2):
        app.test_client().get("/api/v1/dashboard", headers=headers)
    upstreams["ticketing"].proxy.up()
    time.sleep(0.25)

    page = app.test_client().get("/api/v1/dashboard", headers=headers).get_json()

    assert page["tickets"]["status"] == "ok"


def test_the_sections_are_read_at_once(jane, customer, upstreams, make_app, sign_in):
    app = make_app()
    token = sign_in("jane.doe", delivery="bearer", using=app.test_client()).get_json()["token"]
    for service in ("billing", "ticketing", "notifications"):
        upstreams[service].proxy.delay = 0.2

    started = time.monotonic()
    page = app.test_client().get("/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"}).get_json()
    elapsed = time.monotonic() - started

    assert all(
        page[s]["status"] == "ok" for s in ("balance", "unpaid_invoices", "services", "tickets", "messages", "news")
    )
    # Seven upstream calls, each held back 0.2 s or more: one after another they would take 1.4 s.
    assert elapsed < 1.0, elapsed


def test_the_request_id_and_a_customer_token_travel_to_every_upstream(jane, customer, upstreams):
    response = jane.get("/api/v1/dashboard", headers={"X-Request-ID": "req-dashboard-42"})

    assert response.headers["X-Request-ID"] == "req-dashboard-42"
    for service in ("billing", "ticketing", "notifications"):
        sent = upstreams[service].proxy.sent.decode("latin-1")
        assert "X-Request-ID: req-dashboard-42" in sent, service
        token = re.search(r"Authorization: Bearer (\S+)", sent).group(1)
        principal = verify_token(DEV_JWT_SECRET, token, service)
        assert (principal.kind, principal.customer_id) == ("customer", customer["id"]), service


def test_cap_fup_shows_the_counters_of_capped_services(jane, customer, seed, configure):
    configure(customer["partner_id"], {"dashboard": {"cap_fup": True}})
    capped = seed.internet_service(customer["id"], cap_gb=10)

    [counter] = jane.get("/api/v1/dashboard").get_json()["cap_fup"]["items"]

    assert (counter["service_id"], counter["limit_type"], counter["used_bytes"]) == (capped["id"], "cap", 0)
    assert counter["limit_bytes"] == 10_000_000_000  # billing counts 1 GB as 10^9 bytes
