"""`make screenshots`: a PNG of every portal page, at a desktop's and a phone's width, light and dark.

Starts the whole suite (tests/suite_harness.py) in a temporary folder, on kombu's file
transport (no broker needed), loads the demo data (`python -m billing.demo`) and gives the
demo customer something on every page (tests/browser/demo_portal.py), sets their password
from the welcome email's link, and drives Debian's headless Chromium through the pages.
The pictures go to var/screenshots/pages/<page>-<desktop|phone>-<light|dark>.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from browser.chromium import DESKTOP, PHONE, chromium_context, navigation_timing  # noqa: E402
from browser.demo_portal import PASSWORD, PORTAL_CONFIG, DemoPortal, call  # noqa: E402
from suite_harness import BIN, ROOT, Suite, free_port, smtp_server  # noqa: E402

OUT = ROOT / "var" / "screenshots" / "pages"
SIGNED_OUT = ("sign-in", "set-password", "forgot-password")


def demo_customer(suite: Suite, demo: DemoPortal) -> dict:
    """The demo data's `demo` customer, with something on every page."""
    subprocess.run([BIN / "python", "-m", "billing.demo"], env=suite.env("billing"), cwd=ROOT, check=True)
    [(customer_id, partner_id)] = suite.query("billing", "SELECT id, partner_id FROM customers WHERE login = 'demo'")
    services = dict(
        suite.query(
            "billing",
            "SELECT p.kind, s.id FROM customer_services s JOIN plans p ON p.id = s.plan_id WHERE s.customer_id = ?",
            customer_id,
        )
    )
    call("PUT", demo.url("portal-bff", f"/admin/v1/portal-config/partners/{partner_id}"), json=PORTAL_CONFIG)
    demo.enrich(customer_id, fibre_id=services["internet"], voice_id=services.get("voice"))
    demo.set_password("demo")
    return {"id": customer_id, "services": services}


def pages(page, base: str, customer: dict) -> dict[str, str]:
    """Every page of the portal, by name: its address for the demo customer."""
    api = lambda path: page.request.get(f"{base}/api/v1{path}").json()  # noqa: E731
    invoice = api("/finance/invoices")["invoices"]["items"][0]
    payment = api("/finance/payments")["payments"]["items"][0]
    message = api("/messages")["messages"]["items"][0]
    ticket = api("/tickets")["tickets"]["items"][0]
    fibre = customer["services"]["internet"]
    return {
        "dashboard": "/",
        "services": "/services",
        "statistics": f"/services/{fibre}/statistics",
        "statistics-voice": f"/services/{customer['services'].get('voice', fibre)}/statistics",
        "live-bandwidth": f"/services/{fibre}/live?minutes=60",
        "speedtest": "/services/speedtest",
        "order": "/services/order",
        "change-plan": f"/services/{fibre}/change-plan",
        "invoices": "/finance/invoices",
        "invoice": f"/finance/invoices/{invoice['id']}",
        "proformas": "/finance/proformas",
        "payments": "/finance/payments",
        "payment": f"/finance/payments/{payment['id']}",
        "financial-documents": "/finance/documents",
        "payment-accounts": "/finance/payment-accounts",
        "messages": "/messages",
        "message": f"/messages/{message['id']}",
        "news": "/news",
        "tickets": "/tickets",
        "new-ticket": "/tickets/new",
        "ticket": f"/tickets/{ticket['id']}",
        "documents": "/documents",
        "contracts": "/documents?kind=contract",
        "profile": "/profile",
        "sessions": "/profile/sessions",
        "two-factor": "/two-factor",
        "about": "/about",
    }


def choose_theme(page, base: str, theme: str) -> None:
    page.goto(f"{base}/profile/sessions")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    page.request.post(f"{base}/preferences", form={"theme": theme, "csrf_token": token, "next": "/"})


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#login", "demo")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portico-screenshots-") as folder:
        tmp = Path(folder)
        controller, inbox = smtp_server(free_port())
        suite = Suite(tmp, f"file://{tmp / 'broker'}", controller.port)
        try:
            suite.start_all()
            demo = DemoPortal(suite, inbox)
            customer = demo_customer(suite, demo)
            time.sleep(2)  # the events of the demo data reach every service
            base = suite.url("portal-bff")
            written = shoot(base, customer)
        finally:
            suite.stop_all()
            controller.stop()
    print(f"{written} screenshots in {OUT.relative_to(ROOT)}")


def shoot(base: str, customer: dict) -> int:
    written = 0
    with chromium_context() as context:
        page = context.new_page()
        sign_in(page, base)
        addresses = pages(page, base, customer)
        timing = navigation_timing(page)
        for theme in ("light", "dark"):
            choose_theme(page, base, theme)
            for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                for name, path in addresses.items():
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(OUT / f"{name}-{width}-{theme}.png"), full_page=True)
                    written += 1
        page.goto(f"{base}/")
        timing = navigation_timing(page)
    with chromium_context() as context:  # signed out: the theme and language the browser chose
        for theme in ("light", "dark"):
            context.add_cookies([{"name": "portico_theme", "value": theme, "url": base}])
            page = context.new_page()
            for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                for name in SIGNED_OUT:
                    page.goto(f"{base}/{name}")
                    page.screenshot(path=str(OUT / f"{name}-{width}-{theme}.png"), full_page=True)
                    written += 1
            page.close()
    print(f"dashboard: time to first byte {timing['ttfb']:.0f} ms, full load {timing['load']:.0f} ms")
    return written


if __name__ == "__main__":
    main()
