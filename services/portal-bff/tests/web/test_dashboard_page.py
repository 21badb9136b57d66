"""The dashboard page: what billing, ticketing and notifications hold, as the portal config shows it;
the same page model as GET /api/v1/dashboard; an upstream down leaves the rest of the page."""

import re
from decimal import Decimal

from portal_bff.api.context import SESSION_FINDER

UNAVAILABLE = "data-section-unavailable"


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}"[^>]*>\s*([^<]+?)\s*<', page).group(1)


def test_the_dashboard_shows_balance_due_dates_and_unpaid_invoices(jane, customer, seed, configure):
    configure(customer["partner_id"], {"finance": {"payment_methods": ["demo", "bank_card"]}})
    invoice = seed.invoice(customer["id"], "10.00", "2.50")

    page = jane.text("/")

    assert "You owe" in page and "-" not in figure(page, "balance")
    assert figure(page, "balance") == figure(page, "total-due") == f"€{invoice['total']}"
    assert re.search(r"Payment due in \d+ days \(\w+ \d+, \d{4}\)", page)
    row = re.search(rf'<tr data-invoice="{invoice["number"]}">(.*?)</tr>', page, re.S).group(1)
    assert "Unpaid" in row and "Info" in row and "View" in row and "Download" in row
    assert f'name="invoice_id" value="{invoice["id"]}"' in row
    assert 'name="gateway"' in row and "Bank Card" in row  # two payment methods: the customer chooses
    assert f'/finance/pdf/invoice/{invoice["number"]}?disposition=inline" target="_blank"' in row


def test_an_overpaid_balance_has_no_sign(jane, customer, seed):
    invoice = seed.invoice(customer["id"], "10.00")
    seed.payment(customer["id"], "25.00")

    page = jane.text("/")

    assert "Overpaid" in page and "You owe" not in page
    assert figure(page, "balance") == f"€{Decimal('25.00') - Decimal(invoice['total'])}"
    assert "Every invoice is paid. Thank you!" in page


def test_services_tickets_messages_and_news(jane, customer, seed, configure):
    configure(customer["partner_id"], {"tickets": {"columns": ["subject", "status", "priority"]}})
    fibre = seed.internet_service(customer["id"], description="Home fibre")
    seed.internet_service(customer["id"], description="Backup line", status="paused")
    seed.online(fibre["id"])
    seed.message(customer["id"], "Maintenance on Monday")
    seed.news("Faster upload speeds")
    jane.get("/tickets/new")
    jane.post("/tickets/new", {"subject": "Router blinks red", "message": "Since Monday."})

    page = jane.text("/")

    assert re.search(r"Home fibre.*?Online", page, re.S) and re.search(r"Backup line.*?Paused", page, re.S)
    assert "View statistics" in page and "Manage my services" in page
    tickets = re.search(r'data-table="open-tickets">(.*?)</table>', page, re.S).group(1)
    assert [h for h in re.findall(r'<th scope="col">([^<]*)</th>', tickets) if h] == ["Subject", "Status", "Priority"]
    assert "Router blinks red" in tickets and "Close ticket" in tickets
    assert figure(page, "unread") == "1 unread" and "Maintenance on Monday" in page
    assert "Faster upload speeds" in page and "Show all tickets" in page and "Show all news" in page


def test_the_page_and_the_api_answer_from_the_same_model(jane, customer, seed):
    invoice = seed.invoice(customer["id"], "30.00")
    csrf = jane.token

    api = jane.client.get("/api/v1/dashboard", headers={"X-CSRF-Token": csrf}).get_json()
    page = jane.text("/")

    assert api["unpaid_invoices"]["items"][0]["number"] == invoice["number"]
    assert figure(page, "total-due") == f"€{api['balance']['total_due']}"


def test_sections_the_config_hides_are_absent_and_hidden_modules_answer_404(jane, customer, configure):
    configure(customer["partner_id"], {"menu": {"tickets": False}, "dashboard": {"news": False}})

    page = jane.text("/")
    hidden = jane.get("/tickets")

    assert "Open tickets" not in page and "Latest news" not in page and 'href="/tickets"' not in page
    assert hidden.status_code == 404 and "Page not found" in hidden.get_data(as_text=True)


def test_a_down_upstream_marks_its_sections_and_leaves_the_rest(jane, customer, seed, upstreams):
    seed.message(customer["id"], "Maintenance on Monday")
    upstreams["billing"].proxy.down()

    response = jane.get("/")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert page.count(UNAVAILABLE) >= 3  # balance, dates, unpaid invoices, services...
    assert "Your balance is not available right now." in page
    assert "Maintenance on Monday" in page  # notifications still answers


def test_a_page_looks_its_session_up_once_as_the_api_does(jane, customer, app, monkeypatch):
    finder = app.extensions[SESSION_FINDER]
    lookups = []
    monkeypatch.setattr(finder, "find", lambda *a, _find=finder.find, **kw: lookups.append(1) or _find(*a, **kw))

    page = jane.text("/")  # the guard, the menu, the language and the layout all ask who is looking

    assert "jane.doe" in page  # the signed-in menu
    assert lookups == [1]
