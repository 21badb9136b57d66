"""The dashboard's sections are cached, and never shown once the portal knows they changed: after each
kind of change an upstream announces (its event reaching the portal's worker), and right after the
customer's own writes through the portal (with the upstreams' events held back, so only the portal's
own record of the write can make the page current)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from portal_bff.api.context import SESSION_FINDER, UPSTREAMS
from portal_bff.errors import UpstreamRejected, UpstreamUnavailable
from portal_bff.freshness import Versions, current_versions
from portal_bff.models import CustomerVersions

UNAVAILABLE = {"status": "unavailable"}


def dashboard(jane) -> dict:
    response = jane.get("/api/v1/dashboard")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def asked(upstreams) -> dict[str, int]:
    """How much the portal has sent each upstream so far."""
    return {name: len(upstreams[name].proxy.sent) for name in ("billing", "ticketing", "notifications")}


def open_ticket(jane, subject: str) -> dict:
    response = jane.post("/api/v1/tickets", data={"subject": subject, "message": "Please help."})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["ticket"]["item"]


def versions_of(db, customer_id: int) -> Versions:
    with db.reading() as session:
        return current_versions(session, customer_id)


def test_a_dashboard_read_again_asks_no_upstream(jane, customer, seed, upstreams):
    seed.internet_service(customer["id"])
    seed.message(customer["id"], "Hello")
    first = dashboard(jane)
    before = asked(upstreams)

    again = dashboard(jane)

    assert again == first
    assert asked(upstreams) == before


def test_the_page_answers_exactly_what_the_schema_makes_of_the_page_model(jane, customer, seed, app):
    from flask import g

    from portal_bff.api import authentication
    from portal_bff.api.dashboard import dashboard_json
    from portal_bff.api.readers import reader
    from portal_bff.page_schemas import DashboardPageSchema
    from portal_bff.pages.dashboard import dashboard as dashboard_model

    seed.invoice(customer["id"], "10.00")
    seed.internet_service(customer["id"], description="Fibre")
    seed.message(customer["id"], 'Ünïcode and <markup> & "quotes"')
    for read in ("fresh", "cached"):
        with app.test_request_context("/api/v1/dashboard", headers=jane.headers):
            g.visitor = authentication.authenticate()
            answered = dashboard_json()
            expected = app.json.response(DashboardPageSchema().dump(dashboard_model(reader()))).get_data(as_text=True)
        assert answered == expected, read
    assert jane.get("/api/v1/dashboard").get_data(as_text=True) == expected


def test_a_cached_dashboard_costs_one_query_of_the_portals_database(jane, customer, seed, app, monkeypatch):
    dashboard(jane)
    dashboard(jane)  # the session's last-seen time is written at most once a minute: not now
    engine = app.extensions["portico.db"].engine
    finder = app.extensions[SESSION_FINDER]
    through_sqlalchemy, lookups, seen_by_sqlite = [], [], []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.split()[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            through_sqlalchemy.append(statement)

    def trace(connection, _record):
        connection.set_trace_callback(
            lambda sql: seen_by_sqlite.append(sql) if sql.lstrip().startswith("SELECT") else None
        )

    monkeypatch.setattr(finder, "find", lambda *a, _find=finder.find, **kw: lookups.append(1) or _find(*a, **kw))
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        engine.dispose()  # every connection from here on is traced
        event.listen(engine, "connect", trace)
    event.listen(engine, "before_cursor_execute", count)
    try:
        dashboard(jane)
    finally:
        event.remove(engine, "before_cursor_execute", count)
        if sqlite:
            event.remove(engine, "connect", trace)

    assert through_sqlalchemy == [] and lookups == [1]
    if sqlite:
        assert len(seen_by_sqlite) == 1, seen_by_sqlite


# -- each kind of change an upstream announces ----------------------------------------------------
def test_an_invoice_and_a_payment_show_once_billing_announces_them(jane, customer, seed):
    assert dashboard(jane)["balance"]["total_due"] == "0.00"

    invoice = seed.invoice(customer["id"], "10.00", "2.50")  # billing.invoice.issued
    page = dashboard(jane)
    assert page["balance"]["total_due"] == invoice["total"]
    assert [i["number"] for i in page["unpaid_invoices"]["items"]] == [invoice["number"]]

    seed.payment(customer["id"], invoice["total"])  # billing.payment.received, billing.invoice.paid
    page = dashboard(jane)
    assert page["balance"]["total_due"] == "0.00" and page["balance"]["balance"]["sense"] == "settled"
    assert page["unpaid_invoices"]["items"] == []


def test_a_service_sold_and_paused_show_once_billing_announces_them(jane, customer, seed):
    assert dashboard(jane)["services"]["items"] == []

    service = seed.internet_service(customer["id"], description="Home fibre")  # billing.service.created
    [shown] = dashboard(jane)["services"]["items"]
    assert (shown["description"], shown["display_status"]) == ("Home fibre", "active")

    seed.admin("billing", "PATCH", f"/admin/v1/services/{service['id']}", json={"status": "paused"})
    [shown] = dashboard(jane)["services"]["items"]
    assert shown["display_status"] == "paused"


def test_a_prepaid_days_charge_shows_once_billing_announces_it(jane, customer, seed):
    seed.admin("billing", "PATCH", f"/admin/v1/customers/{customer['id']}", json={"billing_type": "prepaid"})
    seed.internet_service(customer["id"], start_date="2026-01-01")
    seed.payment(customer["id"], "30.00")
    before = dashboard(jane)["balance"]

    today = datetime.now(UTC).date().isoformat()
    seed.admin("billing", "POST", "/admin/v1/billing-runs", json={"date": today})  # billing.account.charged

    after = dashboard(jane)["balance"]
    assert before["balance"] == {"amount": "30.00", "sense": "overpaid"}
    assert after["balance"]["sense"] == "overpaid" and Decimal(after["balance"]["amount"]) < Decimal("30.00")
    assert after["prepaid"]["remaining_days"] < before["prepaid"]["remaining_days"]


def test_going_online_shows_once_billing_announces_it(jane, customer, seed):
    service = seed.internet_service(customer["id"])
    assert dashboard(jane)["services"]["items"][0]["display_status"] == "active"

    seed.online(service["id"])  # billing.service.online_changed

    assert dashboard(jane)["services"]["items"][0]["display_status"] == "online"


def test_an_operators_reply_and_status_change_show_once_ticketing_announces_them(jane, customer, seed):
    ticket = open_ticket(jane, "No signal")
    [row] = dashboard(jane)["tickets"]["items"]
    assert row["status"] == "new"

    seed.admin("ticketing", "PATCH", f"/admin/v1/tickets/{ticket['id']}", json={"status": "waiting_on_customer"})
    [row] = dashboard(jane)["tickets"]["items"]
    assert row["status"] == "waiting_on_customer"

    seed.admin("ticketing", "PATCH", f"/admin/v1/tickets/{ticket['id']}", json={"status": "resolved"})
    assert dashboard(jane)["tickets"]["items"] == []  # only active tickets


def test_a_priority_changed_by_an_operator_shows_once_ticketing_announces_it(jane, customer, seed):
    ticket = open_ticket(jane, "Slow evenings")
    assert dashboard(jane)["tickets"]["items"][0]["priority"] == "medium"

    seed.admin(
        "ticketing", "PATCH", f"/admin/v1/tickets/{ticket['id']}", json={"priority": "high"}
    )  # ticketing.ticket.updated

    assert dashboard(jane)["tickets"]["items"][0]["priority"] == "high"


def test_a_message_and_news_show_once_notifications_announces_them(jane, customer, seed):
    page = dashboard(jane)
    assert page["messages"]["unread"] == 0 and page["news"]["items"] == []

    seed.message(customer["id"], "Maintenance on Monday")  # notifications.message.created
    seed.news("New prices")  # notifications.news.published

    page = dashboard(jane)
    assert page["messages"]["unread"] == 1
    assert [m["title"] for m in page["messages"]["items"]] == ["Maintenance on Monday"]
    assert [n["title"] for n in page["news"]["items"]] == ["New prices"]


def test_until_the_event_arrives_the_page_is_as_it_was(jane, customer, seed):
    """What the portal has not heard of yet it cannot show: the events are the measure of freshness."""
    dashboard(jane)

    with seed.held():
        seed.invoice(customer["id"], "10.00")
        assert dashboard(jane)["balance"]["total_due"] == "0.00"

    assert dashboard(jane)["balance"]["total_due"] == "10.00"


def test_a_portal_config_change_shows_at_once(jane, customer, configure):
    open_ticket(jane, "A question")
    assert "news" in dashboard(jane)

    configure(customer["partner_id"], {"dashboard": {"news": False}, "tickets": {"columns": ["subject"]}})

    page = dashboard(jane)
    assert "news" not in page
    assert page["tickets"]["columns"] == ["subject"]
    assert set(page["tickets"]["items"][0]) == {"id", "subject"}


# -- the customer's own writes through the portal --------------------------------------------------
def test_a_ticket_opened_shows_on_the_next_page(jane, customer, seed):
    assert dashboard(jane)["tickets"]["items"] == []

    with seed.held():
        ticket = open_ticket(jane, "Router blinks red")
        [row] = dashboard(jane)["tickets"]["items"]

    assert row["id"] == ticket["id"] and row["subject"] == "Router blinks red"


def test_a_reply_shows_on_the_next_page(jane, customer, seed):
    ticket = open_ticket(jane, "No signal")
    seed.admin("ticketing", "PATCH", f"/admin/v1/tickets/{ticket['id']}", json={"status": "waiting_on_customer"})
    assert dashboard(jane)["tickets"]["items"][0]["status"] == "waiting_on_customer"

    with seed.held():
        reply = jane.post(f"/api/v1/tickets/{ticket['id']}/comments", data={"body": "Still nothing."})
        assert reply.status_code == 201, reply.get_json()
        [row] = dashboard(jane)["tickets"]["items"]

    assert row["status"] == "open"  # the customer's reply reopens it


def test_a_ticket_closed_leaves_the_next_page(jane, customer, seed):
    ticket = open_ticket(jane, "Solved by itself")
    assert len(dashboard(jane)["tickets"]["items"]) == 1

    with seed.held():
        assert jane.post(f"/api/v1/tickets/{ticket['id']}/close").status_code == 200
        assert dashboard(jane)["tickets"]["items"] == []


def test_a_message_read_lowers_the_unread_count_on_the_next_page(jane, customer, seed):
    first = seed.message(customer["id"], "One")
    seed.message(customer["id"], "Two")
    assert dashboard(jane)["messages"]["unread"] == 2

    with seed.held():
        assert jane.get(f"/api/v1/messages/{first}").status_code == 200
        assert dashboard(jane)["messages"]["unread"] == 1


def test_a_profile_change_shows_on_the_next_page_and_billing_is_read_again(jane, customer, seed, db):
    dashboard(jane)
    before = versions_of(db, customer["id"])

    with seed.held():
        changed = jane.patch("/api/v1/profile", json={"phones": ["+44 20 7946 0000"]})
        assert changed.status_code == 200, changed.get_json()
        page = jane.get("/api/v1/profile").get_json()
        after = versions_of(db, customer["id"])

    assert page["profile"]["values"]["phones"] == ["+44 20 7946 0000"]
    assert after.billing != before.billing


def test_every_write_through_the_portal_has_its_upstream_read_again(jane, customer, seed, app, db):
    """A checkout (the web pages' Pay), or any other write through the portal's upstream clients."""
    seed.invoice(customer["id"], "10.00")
    before = versions_of(db, customer["id"])
    billing = app.extensions[UPSTREAMS].billing

    with app.test_request_context():
        started = billing.call(
            "POST", f"/v1/customers/{customer['id']}/checkouts", customer_id=customer["id"], json={"gateway": "demo"}
        )
    assert started.status_code == 201, started.text

    after = versions_of(db, customer["id"])
    assert after.billing != before.billing
    assert (after.ticketing, after.notifications) == (before.ticketing, before.notifications)


def test_a_write_refused_or_unanswered_has_its_upstream_read_again_too(jane, customer, app, db, upstreams):
    billing = app.extensions[UPSTREAMS].billing
    path = f"/v1/customers/{customer['id']}/checkouts"
    seen = [versions_of(db, customer["id"]).billing]

    with app.test_request_context():
        with pytest.raises(UpstreamRejected):  # nothing to pay: refused, and harmless to read again
            billing.call("POST", path, customer_id=customer["id"], json={"gateway": "demo"})
        seen.append(versions_of(db, customer["id"]).billing)
        upstreams["billing"].proxy.delay = 1.0
        with pytest.raises(UpstreamUnavailable):  # may have been done: read again
            billing.call("POST", path, customer_id=customer["id"], json={"gateway": "demo"}, timeout=0.2)
        seen.append(versions_of(db, customer["id"]).billing)

    assert len(set(seen)) == 3


def test_the_changes_are_recorded_per_customer(jane, customer, seed, signed_in_as, db):
    other = seed.customer("john.roe", status="active")
    john = signed_in_as(other)
    dashboard(jane)
    dashboard(john)
    johns = versions_of(db, other["id"])

    with seed.held():
        open_ticket(jane, "Mine only")

    assert versions_of(db, other["id"]) == johns
    assert dashboard(john)["tickets"]["items"] == []
    assert len(dashboard(jane)["tickets"]["items"]) == 1


# -- an upstream down ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("service", "sections"),
    [("billing", ("balance", "unpaid_invoices", "services")), ("ticketing", ("tickets",))],
)
def test_an_out_of_date_section_whose_upstream_is_down_is_unavailable_not_stale(
    jane, customer, seed, upstreams, service, sections
):
    ticket = open_ticket(jane, "A question")
    dashboard(jane)
    if service == "billing":
        seed.invoice(customer["id"], "10.00")
    else:
        seed.operator_reply(ticket["id"], "On it.")
    upstreams[service].proxy.down()

    page = dashboard(jane)

    for section in sections:
        assert page[section] == UNAVAILABLE, section
    assert page["messages"]["status"] == "ok"


def test_a_section_read_while_its_upstream_is_down_is_read_again_once_it_is_back(jane, customer, seed, upstreams):
    upstreams["ticketing"].proxy.down()
    assert dashboard(jane)["tickets"] == UNAVAILABLE
    upstreams["ticketing"].proxy.up()
    seed.admin("ticketing", "GET", f"/admin/v1/customers/{customer['id']}/tickets")

    assert dashboard(jane)["tickets"]["status"] == "ok"  # nothing unavailable is cached


def test_versions_are_kept_in_the_portals_database(jane, customer, seed, db):
    dashboard(jane)
    seed.invoice(customer["id"], "1.00")

    with db.reading() as session:
        row = session.scalars(select(CustomerVersions).where(CustomerVersions.customer_id == customer["id"])).one()
    assert row.billing is not None
