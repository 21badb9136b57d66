"""Billing's invoices, proformas and payments become PDFs that hold exactly what the event says."""

import pytest
from sqlalchemy import select

from documents.models import FinancialDocument
from documents.storage import FilesystemStorage

RENDERED = "documents.invoice_pdf.rendered"


@pytest.fixture
def branded(client, operator):
    """Partner 1's branding, as an operator sets it."""
    body = {
        "name": "Main ISP Ltd",
        "address": "10 Fibre Street\nNetcity NC1 1AA",
        "tax_id": "GB123456789",
        "bank_details": "Example Bank\nIBAN GB00 EXMP 0000 1111 2222 33\nBIC EXMPGB2L",
        "payment_instructions": "Quote the reference with your transfer.",
        "email": "billing@mainisp.example",
    }
    assert client.put("/admin/v1/partners/1/branding", json=body, headers=operator).status_code == 200
    return body


def rows(db) -> list[FinancialDocument]:
    with db.reading() as session:
        return session.scalars(select(FinancialDocument).order_by(FinancialDocument.id)).all()


def stored_pdf(settings, row) -> bytes:
    return FilesystemStorage(settings.get("blob_dir")).read(row.sha256)


def test_an_invoice_pdf_holds_every_line_the_tax_and_the_total_exactly_as_in_the_event(
    handle, invoice_event, branded, db, settings, pdf_text, outbox_events
):
    event = invoice_event(number="2026-000123", lines=6)
    event.data["lines"][2]["description"] = "Internet 1 Gbit/s & static IP <business>"
    event.data["customer"] |= {"full_name": "Acme Widgets Ltd", "street": "99 Market Road", "city": "Springfield"}

    handle(event)

    [row] = rows(db)
    text = pdf_text(stored_pdf(settings, row))
    data = event.data
    assert "Invoice" in text and "2026-000123" in text
    for line in data["lines"]:
        assert line["description"] in text, line["description"]
        for amount in ("unit_price", "net_amount", "tax_amount", "total"):
            assert line[amount] in text, (line["position"], amount)
    for group in data["tax_summary"]:
        assert f"{group['tax_rate']} %" in text and group["tax_amount"] in text
    for total in ("net_total", "tax_total", "total", "amount_due"):
        assert f"{data[total]} EUR" in text, total
    assert "Acme Widgets Ltd 99 Market Road" in text
    assert "Main ISP Ltd" in text and "GB123456789" in text and "IBAN GB00 EXMP 0000 1111 2222 33" in text
    assert "REF-2026-000123" in text and "2026-03-15" in text
    assert (row.customer_id, row.partner_id, row.kind, row.number, row.version, row.current) == (
        7,
        1,
        "invoice",
        "2026-000123",
        1,
        True,
    )
    assert (row.total, row.amount_due, row.currency, row.filename) == (
        data["total"],
        data["amount_due"],
        "EUR",
        "invoice-2026-000123.pdf",
    )
    [rendered] = outbox_events(RENDERED)
    assert rendered["data"] | {"rendered_at": None} == {
        "financial_document_id": row.id,
        "customer_id": 7,
        "partner_id": 1,
        "kind": "invoice",
        "number": "2026-000123",
        "version": 1,
        "sha256": row.sha256,
        "size": row.size,
        "source_event_id": event.id,
        "rendered_at": None,
    }


def test_a_five_page_invoice_renders_every_line(handle, invoice_event, db, settings, pdf_text, pdf_pages):
    event = invoice_event(number="LONG-1", lines=160)

    handle(event)

    pdf = stored_pdf(settings, rows(db)[0])
    text = pdf_text(pdf)
    assert pdf_pages(pdf) == 5
    assert all(line["description"] in text for line in event.data["lines"])
    assert f"{event.data['total']} EUR" in text
    assert "Page 5 of 5" in text


def test_a_republished_event_renders_once(handle, invoice_event, db, stored_blobs, outbox_events):
    first = invoice_event(number="2026-7")
    republished = invoice_event(number="2026-7")  # a new event id, the same invoice revision
    assert first.id != republished.id

    handle(first)
    handle(republished)
    handle(first)

    assert len(rows(db)) == 1
    assert len(stored_blobs()) == 1
    assert len(outbox_events(RENDERED)) == 1


def test_a_new_revision_is_a_new_version_and_the_old_one_is_kept(
    handle, invoice_event, db, settings, pdf_text, client, as_customer
):
    handle(invoice_event(number="2026-8", revision=1))
    handle(invoice_event(number="2026-8", revision=2, amount_paid="10.00", note="Corrected: payment received"))

    old, new = rows(db)
    assert [(r.version, r.current) for r in (old, new)] == [(1, False), (2, True)]
    assert "Corrected: payment received" in pdf_text(stored_pdf(settings, new))
    assert "Corrected" not in pdf_text(stored_pdf(settings, old))
    assert new.filename == "invoice-2026-8-v2.pdf"
    current = client.get("/v1/customers/7/financial-documents/invoice/2026-8", headers=as_customer(7)).get_json()
    assert (current["version"], current["id"]) == (2, new.id)
    first = client.get("/v1/customers/7/financial-documents/invoice/2026-8?version=1", headers=as_customer(7))
    assert first.get_json()["id"] == old.id
    listed = client.get("/v1/customers/7/financial-documents", headers=as_customer(7)).get_json()
    assert [d["id"] for d in listed["items"]] == [new.id]
    everything = client.get("/v1/customers/7/financial-documents?versions=all", headers=as_customer(7)).get_json()
    assert sorted(d["id"] for d in everything["items"]) == [old.id, new.id]


def test_versions_arriving_out_of_order_leave_the_newest_current(handle, invoice_event, db):
    handle(invoice_event(number="2026-9", revision=3))
    handle(invoice_event(number="2026-9", revision=1))
    handle(invoice_event(number="2026-9", revision=2))

    assert sorted((r.version, r.current) for r in rows(db)) == [(1, False), (2, False), (3, True)]


def test_a_credit_note_a_proforma_and_a_receipt(
    handle, invoice_event, proforma_event, payment_event, db, settings, pdf_text, outbox_events
):
    credit = invoice_event(
        number="CN-1", document_type="credit_note", credited_invoice_number="2026-000123", due_on=None
    )
    handle(credit)
    handle(proforma_event(number="PF-1"))
    handle(payment_event(number="PAY-77"))

    credit_row, proforma_row, receipt_row = rows(db)
    assert [(r.kind, r.number) for r in (credit_row, proforma_row, receipt_row)] == [
        ("credit_note", "CN-1"),
        ("proforma", "PF-1"),
        ("receipt", "PAY-77"),
    ]
    credit_text = pdf_text(stored_pdf(settings, credit_row))
    assert "Credit note" in credit_text and "Credits invoice 2026-000123" in credit_text
    assert "Please pay" not in credit_text
    assert "Proforma invoice" in pdf_text(stored_pdf(settings, proforma_row))
    receipt = pdf_text(stored_pdf(settings, receipt_row))
    assert "Payment receipt" in receipt and "PAY-77" in receipt
    assert "50.00 EUR" in receipt and "Bank transfer" in receipt and "TRF-778899" in receipt
    assert "SAMPLE-0001 40.00 EUR" in receipt and "10.00 EUR" in receipt
    assert (receipt_row.total, receipt_row.amount_due, receipt_row.due_on) == ("50.00", None, None)
    assert [e["data"]["kind"] for e in outbox_events(RENDERED)] == ["credit_note", "proforma", "receipt"]


def test_branding_fields_are_optional(handle, invoice_event, db, settings, pdf_text):
    handle(invoice_event(number="NB-1"))

    assert "Partner 1" in pdf_text(stored_pdf(settings, rows(db)[0]))


@pytest.mark.parametrize("name", ["Łódź Żółć", "Ελληνικά", "Čeština Ђорђе"])
def test_names_outside_latin_1_print_exactly_on_invoices_and_receipts(
    handle, invoice_event, payment_event, db, settings, pdf_text, name
):
    invoice = invoice_event(number="U-1")
    invoice.data["customer"] |= {"full_name": name, "street": f"ulica {name} 7", "city": "Kraków"}
    invoice.data["lines"][0]["description"] = f"Internet for {name}"

    handle(invoice)
    handle(payment_event(number="U-PAY-1", customer=invoice.data["customer"]))

    invoice_row, receipt_row = rows(db)
    invoice_text = pdf_text(stored_pdf(settings, invoice_row))
    assert f"Bill to {name} ulica {name} 7" in invoice_text  # the name in bold, the street in regular
    assert f"Internet for {name}" in invoice_text and "Kraków" in invoice_text
    assert f"Received from {name}" in pdf_text(stored_pdf(settings, receipt_row))
