"""A template's context is billing's event data passed through as billing sent it."""

from documents.handlers import HANDLERS
from documents.pdf_context import bill_context, receipt_context
from documents.samples import sample_invoice, sample_payment


def test_amounts_and_dates_pass_through_unchanged_and_lines_in_position_order():
    data = sample_invoice(lines=3)
    data["lines"] = list(reversed(data["lines"]))
    data["lines"][0]["unit_price"] = "1000000.10"

    context = bill_context("invoice", data)

    assert [line["position"] for line in context["document"]["lines"]] == [1, 2, 3]
    assert context["document"]["lines"][2]["unit_price"] == "1000000.10"
    assert context["document"]["total"] == data["total"]
    assert context["document"]["issued_on"] == "2026-03-01"
    assert context["document"]["has_discounts"] is False
    assert context["customer"] == {
        "id": 1,
        "full_name": "Jane Sample",
        "street": "1 Example Road",
        "zip_code": "EX1 2MP",
        "city": "Sampleton",
        "country": None,
        "tax_id": None,
    }


def test_a_discounted_line_shows_the_discount_column():
    data = sample_invoice(lines=2)
    data["lines"][1]["discount_amount"] = "2.00"

    context = bill_context("invoice", data)

    assert context["document"]["has_discounts"] is True
    assert [line["discount_amount"] for line in context["document"]["lines"]] == ["0.00", "2.00"]


def test_a_receipt_names_the_method_and_keeps_allocations():
    context = receipt_context(sample_payment() | {"method": "direct_debit"})

    assert context["payment"]["method_label"] == "Direct debit"
    assert context["payment"]["allocations"] == [{"invoice_number": "SAMPLE-0001", "amount": "40.00"}]
    assert context["document"]["title"] == "Payment receipt"


def test_documents_subscribes_to_the_customer_and_financial_events():
    assert sorted(HANDLERS) == [
        "billing.customer.created",
        "billing.customer.updated",
        "billing.invoice.issued",
        "billing.payment.received",
        "billing.proforma.issued",
    ]
