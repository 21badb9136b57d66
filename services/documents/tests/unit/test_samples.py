"""The sample documents are valid billing events, and their amounts add up."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from documents.samples import sample_invoice, sample_payment
from portico.events import new_event
from portico.events.schemas import validate_event


@given(st.integers(min_value=1, max_value=200))
def test_sample_invoices_follow_the_contract_and_add_up(lines):
    data = sample_invoice(lines=lines)

    validate_event(new_event("billing", "billing.invoice.issued", data).to_dict())
    assert Decimal(data["net_total"]) == sum(Decimal(line["net_amount"]) for line in data["lines"])
    assert Decimal(data["tax_total"]) == sum(Decimal(group["tax_amount"]) for group in data["tax_summary"])
    assert Decimal(data["total"]) == Decimal(data["net_total"]) + Decimal(data["tax_total"])
    for line in data["lines"]:
        assert Decimal(line["total"]) == Decimal(line["net_amount"]) + Decimal(line["tax_amount"])


def test_a_proforma_and_a_payment_follow_their_contracts():
    invoice = sample_invoice()
    proforma = {k: v for k, v in invoice.items() if k not in ("invoice_id", "document_type", "credited_invoice_number")}
    validate_event(new_event("billing", "billing.proforma.issued", proforma | {"proforma_id": 3}).to_dict())
    validate_event(new_event("billing", "billing.payment.received", sample_payment()).to_dict())
