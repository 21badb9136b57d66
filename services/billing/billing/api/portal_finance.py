"""Customer-scoped finance (what the portal's dashboard and Finance pages read; another customer's: 404)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from billing import explainer, finance_queries, manual_documents, summary
from billing.api.invoices import invoice_detail
from billing.finance_models import DocumentType
from billing.finance_schemas import (
    ExplanationSchema,
    InvoiceDetailSchema,
    InvoiceListQuerySchema,
    InvoicePageSchema,
    PaymentDetailSchema,
    PaymentPageSchema,
    SummarySchema,
)
from billing.schemas import PageQuerySchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("portal_finance", __name__, url_prefix="/v1/customers", description="Finance (customer-scoped)")


@blp.route("/<int:customer_id>/summary")
class Summary(MethodView):
    @blp.response(200, SummarySchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id):
        """Balance ("you owe"/"overpaid"), total due, next payment, suspension and prepaid days."""
        # Every dashboard view asks for it: answered as shaped, not dumped through the schema.
        with database().statement_reads() as connection:
            answer = summary.account_summary(connection, customer_id, datetime.now(UTC).date())
        return current_app.json.response(answer)


@blp.route("/<int:customer_id>/invoices")
class MyInvoices(MethodView):
    @blp.arguments(InvoiceListQuerySchema, location="query", unknown="raise")
    @blp.response(200, InvoicePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The customer's invoices and credit notes (or `document_type=proforma`), newest first."""
        with database().reading() as session:
            return finance_queries.invoice_page(session, customer_id, query)


@blp.route("/<int:customer_id>/proformas")
class MyProformas(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, InvoicePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The customer's proforma invoices (requests for payment), newest first."""
        with database().reading() as session:
            return finance_queries.invoice_page(session, customer_id, query | {"document_type": DocumentType.PROFORMA})


@blp.route("/<int:customer_id>/invoices/<int:invoice_id>")
class MyInvoice(MethodView):
    @blp.response(200, InvoiceDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, invoice_id):
        """One of the customer's documents with its lines and tax summary."""
        with database().reading() as session:
            return invoice_detail(manual_documents.get_document(session, invoice_id, customer_id=customer_id))


@blp.route("/<int:customer_id>/invoices/<int:invoice_id>/explanation")
class MyInvoiceExplained(MethodView):
    @blp.response(200, ExplanationSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, invoice_id):
        """Why this invoice differs from the previous one: new, removed or repriced items, part periods, usage, tax."""
        with database().reading() as session:
            invoice = manual_documents.get_document(session, invoice_id, customer_id=customer_id)
            return explainer.explain(session, invoice)


@blp.route("/<int:customer_id>/payments")
class MyPayments(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, PaymentPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The customer's payments, newest first."""
        with database().reading() as session:
            page = finance_queries.list_payments(session, customer_id, limit=query["limit"], cursor=query.get("cursor"))
            return {"items": page.items, "next_cursor": page.next_cursor}


@blp.route("/<int:customer_id>/payments/<int:payment_id>")
class MyPayment(MethodView):
    @blp.response(200, PaymentDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, payment_id):
        """One of the customer's payments with the invoices it paid."""
        with database().reading() as session:
            return finance_queries.payment_detail(session, payment_id, customer_id=customer_id)
