"""Operators list, read, edit (per partner), reset and preview templates; a broken one is refused and not stored."""

from sqlalchemy import func, select

from notifications.models import TemplateOverride

BASE = "/admin/v1/templates"


def overrides(db) -> int:
    with db.reading() as session:
        return session.execute(select(func.count()).select_from(TemplateOverride)).scalar_one()


def test_every_template_is_listed_with_its_channels_and_variables(client, operator):
    items = client.get(BASE, headers=operator).get_json()["items"]

    by_key = {item["key"]: item for item in items}
    for key in ("welcome", "password_reset", "invoice_issued", "payment_received", "invoice_overdue",
                "suspension_scheduled", "account_blocked", "account_unblocked", "usage_warning",
                "usage_limit_reached", "ticket_created", "ticket_created_support", "ticket_reply",
                "ticket_status_changed", "document_published"):  # fmt: skip
        assert "email" in by_key[key]["channels"], key
    assert by_key["invoice_issued"]["event_type"] == "billing.invoice.issued"
    assert by_key["invoice_issued"]["category"] == "billing"
    assert {"invoice", "invoice_url", "full_name", "portal_url"} <= set(by_key["invoice_issued"]["variables"])
    assert by_key["welcome"]["channels"] == ["email", "sms", "portal"]


def test_the_built_in_template_is_read(client, operator):
    body = client.get(f"{BASE}/welcome/email", headers=operator).get_json()

    assert body["custom"] is False and body["partner_id"] is None
    assert "{{ full_name }}" in body["subject"]
    assert "set_password_url" in body["text"] and body["html"].startswith('{% extends "_layout.html" %}')


def test_a_partner_gets_its_own_text_and_can_go_back_to_the_built_in_one(client, db, operator):
    url = f"{BASE}/payment_received/sms/partners/3"
    answer = client.put(
        url, json={"text": "Got {{ payment.amount }} {{ payment.currency }}, thanks!"}, headers=operator
    )

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["custom"] is True
    assert answer.get_json()["updated_by"] == "admin"
    assert (
        client.get(url, headers=operator).get_json()["text"]
        == "Got {{ payment.amount }} {{ payment.currency }}, thanks!"
    )
    listed = {item["key"]: item for item in client.get(f"{BASE}?partner_id=3", headers=operator).get_json()["items"]}
    assert listed["payment_received"]["custom_channels"] == ["sms"]
    assert listed["welcome"]["custom_channels"] == []
    assert client.get(f"{BASE}/payment_received/sms/partners/4", headers=operator).get_json()["custom"] is False

    reset = client.delete(url, headers=operator)

    assert reset.status_code == 200 and reset.get_json()["custom"] is False
    assert "We received your payment" in client.get(url, headers=operator).get_json()["text"]
    assert overrides(db) == 0


def test_bad_syntax_is_refused_with_the_error_and_nothing_is_stored(client, db, operator):
    answer = client.put(
        f"{BASE}/welcome/email/partners/1",
        json={"subject": "Hi {{ full_name }", "text": "ok", "html": "<p>ok</p>"},
        headers=operator,
    )

    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert "line 1" in answer.get_json()["errors"]["subject"][0]
    assert overrides(db) == 0


def test_a_variable_the_template_does_not_have_is_refused(client, db, operator):
    answer = client.put(f"{BASE}/welcome/sms/partners/1", json={"text": "Hello {{ nickname }}"}, headers=operator)

    assert answer.status_code == 422
    assert "nickname" in answer.get_json()["errors"]["text"][0]
    assert overrides(db) == 0


def test_parts_a_channel_does_not_have_are_refused(client, db, operator):
    sms_with_subject = client.put(
        f"{BASE}/welcome/sms/partners/1", json={"subject": "x", "text": "y"}, headers=operator
    )
    email_without_subject = client.put(f"{BASE}/welcome/email/partners/1", json={"text": "y"}, headers=operator)
    unknown_field = client.put(f"{BASE}/welcome/sms/partners/1", json={"text": "y", "colour": "red"}, headers=operator)

    assert sms_with_subject.status_code == 422 and "subject" in sms_with_subject.get_json()["errors"]
    assert email_without_subject.status_code == 422 and "subject" in email_without_subject.get_json()["errors"]
    assert unknown_field.status_code == 422
    assert overrides(db) == 0


def test_preview_renders_a_draft_or_the_text_in_use_against_sample_data(client, operator):
    draft = client.post(
        f"{BASE}/invoice_issued/email/preview",
        json={
            "subject": "Invoice {{ invoice.number }}",
            "text": "Due {{ invoice.amount_due }}",
            "html": "<b>{{ full_name }}</b>",
        },
        headers=operator,
    )
    in_use = client.post(f"{BASE}/invoice_issued/portal/preview", json={"data": {"full_name": "Bob"}}, headers=operator)

    assert draft.status_code == 200
    assert draft.get_json() == {"subject": "Invoice INV-2026-0042", "text": "Due 30.00", "html": "<b>Jane Doe</b>"}
    assert in_use.get_json()["subject"] == "New invoice INV-2026-0042"


def test_preview_of_bad_syntax_is_422_with_the_error(client, operator):
    answer = client.post(f"{BASE}/welcome/sms/preview", json={"text": "{% if %}"}, headers=operator)

    assert answer.status_code == 422
    assert answer.get_json()["errors"]["text"]


def test_unknown_templates_and_channels_are_404(client, operator):
    assert client.get(f"{BASE}/nope/email", headers=operator).status_code == 404
    assert client.get(f"{BASE}/password_reset/portal", headers=operator).status_code == 404
    assert client.get(f"{BASE}/welcome/fax", headers=operator).status_code == 404
    assert client.put(f"{BASE}/nope/sms/partners/1", json={"text": "x"}, headers=operator).status_code == 404


def test_templates_are_for_operators(client, as_customer, settings):
    from portico.auth import operator_token

    assert client.get(BASE).status_code == 401
    assert client.get(BASE, headers=as_customer(7)).status_code == 403
    reader = {"Authorization": f"Bearer {operator_token(settings.jwt_secret, scopes=['messages:read'])}"}
    assert client.get(BASE, headers=reader).status_code == 200
    assert client.put(f"{BASE}/welcome/sms/partners/1", json={"text": "x"}, headers=reader).status_code == 403
