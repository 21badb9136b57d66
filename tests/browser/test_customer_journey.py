"""A customer's whole journey through the portal in headless Chromium, with every service running:
the welcome link, the dashboard's figures as billing computes them, paying through the demo gateway,
the invoice PDF, a ticket with a file, a message, a contract, dark mode kept, a phone's width, an
accessibility check, and an upstream stopped while the portal stays usable."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from browser.chromium import PHONE, chromium_context, navigation_timing
from browser.demo_portal import PASSWORD, DemoPortal
from portico.auth import customer_token
from portico.settings import DEV_JWT_SECRET

pytestmark = pytest.mark.slow
SERIOUS = {"serious", "critical"}


def billing_summary(suite, customer_id: int) -> dict:
    """The account summary as billing computes it (what the dashboard must show)."""
    token = customer_token(DEV_JWT_SECRET, customer_id)
    response = requests.get(
        f"{suite.url('billing')}/v1/customers/{customer_id}/summary",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def amount_shown(text: str) -> Decimal:
    """ "£42.00" → Decimal("42.00"): the figure a customer reads, without its currency sign."""
    return Decimal(re.sub(r"[^\d.]", "", text))


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    found = results.response["violations"]
    return [
        f"{v['id']}: {v['help']}: {[n['target'] for n in v['nodes']]} {[n.get('failureSummary', '')[:200] for n in v['nodes']]}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def menu(page, name: str):
    return page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name, exact=True)


def sign_in(page, base: str, login: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def test_a_customers_journey_through_the_portal(suite, inbox, screenshots, tmp_path):
    suite.start_all()
    demo = DemoPortal(suite, inbox)
    customer = demo.rich_customer(demo.partner())
    base = suite.url("portal-bff")
    shot = lambda page, name: page.screenshot(path=str(screenshots / f"journey-{name}.png"), full_page=True)  # noqa: E731

    with chromium_context(downloads=tmp_path) as context:
        page = context.new_page()

        # The welcome email's link: set a password, then sign in with it.
        page.goto(demo.welcome_link("jane"))
        page.get_by_label("New password", exact=True).fill(PASSWORD)
        page.get_by_label("New password again").fill(PASSWORD)
        shot(page, "set-password")
        page.get_by_role("button", name="Set password").click()
        expect(page.get_by_role("status")).to_contain_text("Your password is set")
        sign_in(page, base, "jane")
        timings = []
        for _ in range(5):
            page.goto(f"{base}/")
            timings.append(navigation_timing(page))
        ttfb, load = (sorted(t[key] for t in timings)[2] for key in ("ttfb", "load"))
        print(f"\ndashboard (median of 5): time to first byte {ttfb:.0f} ms, full load {load:.0f} ms")

        # The dashboard's figures are billing's.
        summary = billing_summary(suite, customer["id"])
        assert summary["balance"]["sense"] == "owe"
        expect(page.get_by_text("You owe")).to_be_visible()
        assert amount_shown(page.locator("[data-figure=balance]").inner_text()) == Decimal(summary["balance"]["amount"])
        assert amount_shown(page.locator("[data-figure=total-due]").inner_text()) == Decimal(summary["total_due"])
        due = summary["next_payment"]
        expect(page.locator("[data-figure=payment-due]")).to_contain_text(f"Payment due in {due['days_left']} days")
        unpaid = page.locator("[data-table=unpaid-invoices] tbody tr")
        expect(unpaid).to_have_count(summary["unpaid_invoices"])
        number = unpaid.first.get_attribute("data-invoice")
        unread = int(page.locator("[data-figure=unread]").inner_text().split()[0])
        assert unread >= 3  # the welcome message, the operator's two, and those billing's events sent
        shot(page, "dashboard")
        assert serious_violations(page) == []

        # Pay the invoice at the demo gateway's hosted page; back on the dashboard it is paid.
        unpaid.first.get_by_role("button", name=re.compile("Pay")).click()
        expect(page.get_by_role("heading", name="Demo payment gateway")).to_be_visible()
        shot(page, "gateway")
        page.get_by_role("button", name="Pay", exact=True).click()
        expect(page.get_by_role("status").first).to_contain_text("Thank you: your payment is received")
        expect(page.locator(f"[data-invoice='{number}']")).to_have_count(0)
        after = billing_summary(suite, customer["id"])
        assert amount_shown(page.locator("[data-figure=total-due]").inner_text()) == Decimal(after["total_due"])
        menu(page, "Finance").click()
        expect(page.locator(f"[data-table=invoices] [data-invoice='{number}']")).to_contain_text("Paid")
        shot(page, "invoices")

        # Download the invoice's PDF and open it.
        with page.expect_download() as download:
            page.locator(f"[data-invoice='{number}']").get_by_role("link", name=re.compile("Download")).click()
        pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
        assert number in "".join(p.extract_text() for p in pdf.pages)

        # Open a ticket with a file; it is in the list; read the reply; "OK, resolved".
        menu(page, "Tickets").click()
        page.get_by_role("link", name="Open a ticket").click()
        page.get_by_label("Subject").fill("Wi-Fi drops in the evening")
        page.get_by_label("Priority").select_option("high")
        page.get_by_label("Message").fill("The Wi-Fi drops every evening around 8 pm.")
        page.get_by_label("Files").set_input_files(
            {"name": "router-log.txt", "mimeType": "text/plain", "buffer": b"08:01 link down\n"}
        )
        shot(page, "new-ticket")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("Your ticket is open")
        expect(page.get_by_role("link", name="router-log.txt")).to_be_visible()
        ticket_id = int(re.search(r"/tickets/(\d+)", page.url).group(1))
        demo.operator_reply(ticket_id, "Please move the router away from the microwave.")
        page.get_by_role("link", name="Return to list").click()
        expect(page.locator(f"[data-ticket='{ticket_id}']")).to_contain_text("Wi-Fi drops in the evening")
        shot(page, "tickets")
        page.locator(f"[data-ticket='{ticket_id}']").get_by_role("link", name="Wi-Fi drops in the evening").click()
        expect(page.get_by_text("Please move the router away from the microwave.")).to_be_visible()
        expect(page.locator("[data-figure=comment-count]")).to_have_text("2")
        shot(page, "ticket")
        page.get_by_role("button", name="OK, resolved").click()
        expect(page.get_by_role("status")).to_contain_text("The ticket is closed")

        # Read a message: the unread count drops.
        menu(page, "Messages").click()
        unread = int(page.locator("[data-figure=unread]").inner_text().split()[0])
        page.get_by_role("link", name=re.compile("Planned maintenance")).click()
        expect(page.get_by_role("heading", name="Planned maintenance on Monday")).to_be_visible()
        menu(page, "Dashboard").click()
        expect(page.locator("[data-figure=unread]")).to_have_text(f"{unread - 1} unread")

        # Accept the contract.
        menu(page, "Documents").click()
        page.get_by_role("link", name="Contracts").click()
        page.get_by_label("Your full name").fill("Jane Doe")
        page.get_by_label(re.compile("I have read and accept")).check()
        page.get_by_role("button", name="Accept the contract").click()
        expect(page.get_by_role("status")).to_contain_text("the contract is accepted")
        expect(page.locator("[data-table=documents]")).to_contain_text("Jane Doe")
        shot(page, "contracts")
        assert serious_violations(page) == []

        # Dark mode, kept after signing out and in again.
        menu(page, "Dashboard").click()
        page.locator("summary", has_text="jane").click()
        page.get_by_role("button", name="Dark").click()
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
        page.locator("summary", has_text="jane").click()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("status")).to_contain_text("You are signed out")
        sign_in(page, base, "jane")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
        shot(page, "dashboard-dark")
        assert serious_violations(page) == []

        # A phone's width: the menu folds away behind its button.
        page.set_viewport_size(PHONE)
        page.reload()
        menu_link = menu(page, "Tickets")
        expect(menu_link).to_be_hidden()
        page.get_by_role("button", name="Show the menu").click()
        expect(menu_link).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing off the side
        shot(page, "dashboard-phone")
        page.set_viewport_size({"width": 1280, "height": 900})

        # Notifications stops: the portal stays usable; what it cannot read is marked unavailable.
        suite.stop("notifications")
        menu(page, "Dashboard").click()
        expect(page.get_by_role("heading", name="Account balance")).to_be_visible()
        menu(page, "Messages").click()
        expect(page.locator("[data-section-unavailable]")).to_contain_text("not available right now")
        shot(page, "messages-notifications-down")
        menu(page, "Tickets").click()
        expect(page.locator(f"[data-ticket='{ticket_id}']")).to_be_visible()
