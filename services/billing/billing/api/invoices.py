"""Operator endpoints for invoices, proforma invoices and credit notes."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import finance_queries, manual_documents
from billing.api.actor import current_actor
from billing.finance_schemas import (
    CreditNoteSchema,
    InvoiceDetailSchema,
    InvoiceListQuerySchema,
    InvoicePageSchema,
    ManualInvoiceSchema,
)
from billing.invoicing import tax_summary
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("invoices", __name__, url_prefix="/admin/v1", description="Invoices and credit notes (operators)")


def invoice_detail(invoice) -> dict:
    fields = {c.key: getattr(invoice, c.key) for c in invoice.__table__.columns}
    return fields | {"amount_due": invoice.amount_due, "lines": invoice.lines, "tax_summary": tax_summary(invoice)}


@blp.route("/customers/<int:customer_id>/invoices")
class CustomerInvoices(MethodView):
    @blp.arguments(InvoiceListQuerySchema, location="query", unknown="raise")
    @blp.response(200, InvoicePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query, customer_id):
        """The customer's invoices and credit notes (or `document_type=proforma`), newest first."""
        with database().reading() as session:
            return finance_queries.invoice_page(session, customer_id, query)

    @blp.arguments(ManualInvoiceSchema)
    @blp.response(201, InvoiceDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, customer_id):
        """Issue an invoice (or a proforma invoice) of free lines; emits billing.invoice.issued / proforma.issued."""
        now = datetime.now(UTC)
        with database().transaction() as session:
            invoice = manual_documents.issue_manual(
                session,
                customer_id,
                values["lines"],
                proforma=values["proforma"],
                note=values.get("note"),
                on=now.date(),
                now=now,
                actor=current_actor(),
            )
            return invoice_detail(invoice)


@blp.route("/invoices/<int:invoice_id>")
class InvoiceById(MethodView):
    @blp.response(200, InvoiceDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, invoice_id):
        """One invoice, credit note or proforma invoice with its lines and tax summary."""
        with database().reading() as session:
            return invoice_detail(manual_documents.get_document(session, invoice_id))


@blp.route("/invoices/<int:invoice_id>/credit-notes")
class CreditNotes(MethodView):
    @blp.arguments(CreditNoteSchema)
    @blp.response(201, InvoiceDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, invoice_id):
        """Credit part or all of an invoice (409 beyond what is left); it pays what is due on it."""
        now = datetime.now(UTC)
        with database().transaction() as session:
            note = manual_documents.issue_credit_note(
                session,
                invoice_id,
                values["amount"],
                description=values["description"],
                note=values.get("note"),
                on=now.date(),
                now=now,
                actor=current_actor(),
            )
            return invoice_detail(note)
