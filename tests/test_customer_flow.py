"""A new customer, end to end across the real processes and the real broker."""

from __future__ import annotations

import re

import pytest
import requests

from portico.testing import wait_for

pytestmark = pytest.mark.slow

REPLICAS = ("ticketing", "documents", "notifications")


def create_partner(suite, operator) -> int:
    response = requests.post(
        f"{suite.url('billing')}/admin/v1/partners", json={"name": "Main ISP"}, headers=operator, timeout=5
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def create_customer(suite, operator, partner_id: int, login: str = "jane") -> dict:
    body = {"login": login, "full_name": "Jane Doe", "emails": [f"{login}@example.com"], "partner_id": partner_id}
    response = requests.post(f"{suite.url('billing')}/admin/v1/customers", json=body, headers=operator, timeout=5)
    assert response.status_code == 201, response.text
    return response.json()


def set_password_link(email) -> str:
    text = next(p for p in email.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    return re.search(r"https?://\S+/set-password\?token=[\w-]+", text).group(0)


def test_a_new_customer_reaches_every_service_and_gets_a_welcome_email(suite, operator, inbox):
    suite.start_all()
    customer = create_customer(suite, operator, create_partner(suite, operator))

    for service in REPLICAS:
        wait_for(
            lambda service=service: suite.query(service, "SELECT login FROM customers WHERE id = ?", customer["id"]),
            message=f"the customer in {service}",
        )
    [account] = wait_for(lambda: suite.query("portal-bff", "SELECT login FROM portal_accounts"))
    assert account == ("jane",)
    [email] = wait_for(lambda: inbox.to("jane@example.com"), message="the welcome email")
    assert email.is_multipart()
    assert {p.get_content_type() for p in email.walk()} >= {"text/plain", "text/html"}

    link = set_password_link(email)
    token = link.rsplit("=", 1)[1]
    answer = requests.post(
        f"{suite.url('portal-bff')}/api/v1/set-password",
        json={"token": token, "password": "a-Long-passw0rd"},
        timeout=10,
    )
    assert answer.status_code == 204, answer.text
    [message] = suite.query("notifications", "SELECT title FROM messages WHERE customer_id = ?", customer["id"])
    assert "Welcome" in message[0]
