"""What operators rely on, with every service running: one correlation id follows a customer's
action through every service and event to the email it causes, and `portico` reports on and
drives the installation."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
import requests
from suite_harness import BIN, PACKAGES, ROOT
from test_customer_flow import create_customer, create_partner

from portico.testing import wait_for

pytestmark = pytest.mark.slow


def portico(suite, *args: str) -> subprocess.CompletedProcess:
    """The operators' CLI, configured as on an operator's machine: the services' addresses and databases."""
    return subprocess.run(
        [BIN / "portico", *args], env=suite.env("billing"), cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def welcomes(inbox) -> list:
    return [m for m in inbox.to("jane@example.com") if "welcome" in m["Subject"].lower()]


def log_lines(suite, name: str) -> list[dict]:
    lines = []
    for line in suite.log(name).splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue  # gunicorn's own lines
    return lines


def follow_a_payment(suite, operator, inbox) -> dict:
    """One payment is followed by its correlation id through every service to the email it causes."""
    suite.start_all()
    customer = create_customer(suite, operator, create_partner(suite, operator))
    wait_for(lambda: welcomes(inbox), message="the welcome email")
    correlation = f"payment-{uuid.uuid4()}"

    response = requests.post(
        f"{suite.url('billing')}/admin/v1/customers/{customer['id']}/payments",
        json={"amount": "25.00", "method": "bank_transfer", "reference": "TR-7"},
        headers=operator | {"X-Correlation-ID": correlation},
        timeout=10,
    )
    assert response.status_code == 201, response.text

    [email] = wait_for(
        lambda: [m for m in inbox.to("jane@example.com") if m["X-Correlation-ID"] == correlation],
        timeout=30,
        message="the payment's email",
    )
    assert "25.00" in email["Subject"] + str(email.get_payload(0))
    for process in ("billing", "documents-worker", "notifications-worker"):  # the request, the receipt, the email
        wait_for(
            lambda process=process: [
                line for line in log_lines(suite, process) if line["correlation_id"] == correlation
            ],
            message=f"a log line of {process} with the payment's correlation id",
        )
    return customer


def test_a_payment_is_followed_to_its_email_and_the_cli_reports_and_drives_the_services(suite, operator, inbox):
    """One start of the suite for both (it takes a while): the payment first, then the CLI."""
    customer = follow_a_payment(suite, operator, inbox)

    status = portico(suite, "status", "--json")
    assert status.returncode == 0, status.stdout + status.stderr
    report = {s["service"]: s for s in json.loads(status.stdout)}
    assert set(report) == set(PACKAGES)
    for service, state in report.items():
        assert (state["web"], state["healthy"], state["dead_letters"]) == ("ready", True, 0), service
        assert state["consumers"] >= 1 and state["outbox_backlog"] == 0, service

    run = portico(suite, "billing-run", "--date", "2026-11-01")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["run_date"] == "2026-11-01"

    again = portico(suite, "welcome", "--customer", str(customer["id"]), "--idempotency-key", "w-1")
    assert again.returncode == 0, again.stderr
    wait_for(lambda: len(welcomes(inbox)) == 2, message="the welcome sent again")

    suite.stop("notifications-worker")
    wait_for(lambda: portico(suite, "status", "--service", "notifications").returncode == 1, timeout=15)
    down = json.loads(portico(suite, "status", "--json", "--service", "notifications").stdout)[0]
    assert down["consumers"] == 0 and "no consumer on its queue" in down["problems"]
