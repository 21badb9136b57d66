"""Operators brand each partner's PDFs and edit its templates; a preview renders a sample invoice."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from documents.models import FinancialDocument, InvoiceTemplate, PartnerBranding
from documents.storage import FilesystemStorage

CUSTOM = """<html><body>
<h1>{{ partner.name }} bills {{ customer.full_name }}</h1>
<p>CUSTOM-LAYOUT {{ document.title }} {{ document.number }}</p>
{% for line in document.lines %}<p>{{ line.description }} = {{ line.total }}</p>{% endfor %}
<p>Total {{ document.total }} {{ document.currency }}</p>
</body></html>"""
BRANDING = {
    "name": "Fibre North",
    "address": "1 Mast Lane\nHilltop",
    "tax_id": "FN-42",
    "bank_details": "IBAN FN00 1234",
}


def put_branding(client, operator, partner_id=1, **changes):
    return client.put(f"/admin/v1/partners/{partner_id}/branding", json=BRANDING | changes, headers=operator)


def test_branding_is_set_read_and_printed(client, operator, handle, invoice_event, db, settings, pdf_text):
    assert client.get("/admin/v1/partners/1/branding", headers=operator).status_code == 404
    saved = put_branding(client, operator)
    assert saved.status_code == 200
    body = client.get("/admin/v1/partners/1/branding", headers=operator).get_json()
    assert {
        k: body[k] for k in ("partner_id", "name", "address", "tax_id", "bank_details", "has_logo", "updated_by")
    } == {
        "partner_id": 1,
        "name": "Fibre North",
        "address": "1 Mast Lane\nHilltop",
        "tax_id": "FN-42",
        "bank_details": "IBAN FN00 1234",
        "has_logo": False,
        "updated_by": "admin",
    }

    handle(invoice_event(number="B-1"))

    with db.reading() as session:
        row = session.scalars(select(FinancialDocument)).one()
    text = pdf_text(FilesystemStorage(settings.get("blob_dir")).read(row.sha256))
    assert "Fibre North 1 Mast Lane Hilltop Tax ID: FN-42" in text and "IBAN FN00 1234" in text


def test_a_logo_is_stored_once_printed_and_replaced(
    client, operator, files, stored_blobs, handle, invoice_event, db, settings
):
    put_branding(client, operator)
    logo = files["png"]

    response = client.put(
        "/admin/v1/partners/1/branding/logo", data={"file": (io.BytesIO(logo), "logo.png")}, headers=operator
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["has_logo"] is True
    assert client.get("/admin/v1/partners/1/branding/logo", headers=operator).data == logo
    handle(invoice_event(number="L-1"))
    with db.reading() as session:
        row = session.scalars(select(FinancialDocument)).one()
    page = PdfReader(io.BytesIO(FilesystemStorage(settings.get("blob_dir")).read(row.sha256))).pages[0]
    assert len(page.images) == 1

    from PIL import Image

    other = io.BytesIO()
    Image.new("RGB", (6, 6), (0, 0, 255)).save(other, format="PNG")
    client.put(
        "/admin/v1/partners/1/branding/logo", data={"file": (io.BytesIO(other.getvalue()), "new.png")}, headers=operator
    )
    assert len(stored_blobs()) == 2  # the new logo and the invoice; the old logo is gone
    assert client.delete("/admin/v1/partners/1/branding/logo", headers=operator).status_code == 204
    assert stored_blobs() == [row.sha256]


@pytest.mark.parametrize(
    ("name", "key", "status"),
    [("logo.pdf", "pdf", 422), ("logo.docx", "docx", 422), ("../logo.png", "png", 422)],
)
def test_a_logo_must_be_a_png_or_jpeg(client, operator, files, stored_blobs, name, key, status):
    put_branding(client, operator)

    response = client.put(
        "/admin/v1/partners/1/branding/logo", data={"file": (io.BytesIO(files[key]), name)}, headers=operator
    )

    assert response.status_code == status
    assert stored_blobs() == []


def test_bad_branding_is_refused_and_changes_nothing(client, operator, db):
    put_branding(client, operator)
    for body in (
        {},
        {"name": ""},
        {"name": "X", "email": "not-an-email"},
        {"name": "X", "tax_id": "x" * 65},
        {"name": 1},
    ):
        assert client.put("/admin/v1/partners/1/branding", json=body, headers=operator).status_code == 422, body
    with db.reading() as session:
        assert session.get(PartnerBranding, 1).name == "Fibre North"
    logo = client.put(
        "/admin/v1/partners/2/branding/logo", data={"file": (io.BytesIO(b"x"), "x.png")}, headers=operator
    )
    assert logo.status_code == 422  # refused as a file before the missing branding matters


def test_a_partner_template_is_saved_used_and_reset(client, operator, handle, invoice_event, db, settings, pdf_text):
    builtin = client.get("/admin/v1/templates/1/invoice", headers=operator).get_json()
    assert builtin["custom"] is False and "{{ document.number }}" in builtin["source"]

    saved = client.put("/admin/v1/templates/1/invoice", json={"source": CUSTOM}, headers=operator)
    assert saved.status_code == 200, saved.get_json()
    assert (saved.get_json()["custom"], saved.get_json()["updated_by"]) == (True, "admin")
    handle(invoice_event(number="T-1"))
    handle(invoice_event(number="T-2", partner_id=2))  # another partner keeps the built-in one

    with db.reading() as session:
        first, second = session.scalars(select(FinancialDocument).order_by(FinancialDocument.id)).all()
    storage = FilesystemStorage(settings.get("blob_dir"))
    assert "CUSTOM-LAYOUT Invoice T-1" in pdf_text(storage.read(first.sha256))
    assert "CUSTOM-LAYOUT" not in pdf_text(storage.read(second.sha256))

    reset = client.delete("/admin/v1/templates/1/invoice", headers=operator)
    assert reset.get_json()["custom"] is False
    with db.reading() as session:
        assert session.scalars(select(InvoiceTemplate)).all() == []


def test_a_partner_template_may_extend_the_built_in_layout(
    client, operator, handle, invoice_event, db, settings, pdf_text
):
    put_branding(client, operator)
    source = """{% extends "base.html" %}
{% block addressed_as %}Invoiced to{% endblock %}
{% block content %}<p>OWN-CONTENT total {{ document.total }} {{ document.currency }}</p>{% endblock %}"""

    saved = client.put("/admin/v1/templates/1/invoice", json={"source": source}, headers=operator)
    assert saved.status_code == 200, saved.get_json()
    event = invoice_event(number="E-1")
    event.data["customer"]["full_name"] = "Łódź Żółć"
    handle(event)

    with db.reading() as session:
        row = session.scalars(select(FinancialDocument)).one()
    text = pdf_text(FilesystemStorage(settings.get("blob_dir")).read(row.sha256))
    assert "Fibre North 1 Mast Lane Hilltop Tax ID: FN-42" in text  # the built-in header
    assert "Invoiced to Łódź Żółć" in text and f"OWN-CONTENT total {event.data['total']} EUR" in text
    assert "Unit price" not in text  # the built-in invoice's lines are replaced


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% for x in %}", "Line 1"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "failed to render"),
        ("{{ document.no_such_field }}", "no_such_field"),
        ("{{ customer.full_name|nonexistent_filter }}", "nonexistent_filter"),
        ('{% include "/etc/passwd" %}', "/etc/passwd"),
        pytest.param(
            '<pdf:font name="Mine" src="/srv/fonts/mine.ttf" /><p>x</p>',
            "could not be made a PDF",
            marks=pytest.mark.filterwarnings("ignore:<pdf.font> is deprecated:DeprecationWarning"),
        ),
    ],
)
def test_a_broken_or_unsafe_template_is_refused_and_not_saved(client, operator, db, source, message):
    response = client.put("/admin/v1/templates/1/invoice", json={"source": source}, headers=operator)

    assert response.status_code == 422
    assert message in response.get_json()["detail"]
    with db.reading() as session:
        assert session.scalars(select(InvoiceTemplate)).all() == []


def test_preview_renders_a_sample_invoice_as_a_pdf(client, operator, pdf_text):
    put_branding(client, operator)

    current = client.post("/admin/v1/templates/1/invoice/preview", json={}, headers=operator)
    trial = client.post("/admin/v1/templates/1/invoice/preview", json={"source": CUSTOM}, headers=operator)
    receipt = client.post("/admin/v1/templates/1/receipt/preview", json={}, headers=operator)

    assert current.status_code == trial.status_code == receipt.status_code == 200
    assert current.mimetype == "application/pdf" and current.headers["X-Content-Type-Options"] == "nosniff"
    assert "SAMPLE-0001" in pdf_text(current.data) and "Fibre North" in pdf_text(current.data)
    assert "CUSTOM-LAYOUT Invoice SAMPLE-0001" in pdf_text(trial.data)
    assert "Payment receipt" in pdf_text(receipt.data)
    bad = client.post("/admin/v1/templates/1/invoice/preview", json={"source": "{{ oops"}, headers=operator)
    assert bad.status_code == 422
    assert client.post("/admin/v1/templates/1/statement/preview", json={}, headers=operator).status_code == 404
