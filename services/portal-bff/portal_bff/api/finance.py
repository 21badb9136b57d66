"""The Finance pages: invoices (with the account summary), one invoice, proformas, payments, and the PDFs."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.page_arguments import (
    FINANCIAL_KINDS,
    FileArgsSchema,
    FinancialDocumentListArgsSchema,
    InvoiceListArgsSchema,
    PageArgsSchema,
)
from portal_bff.page_schemas import (
    FinancialDocumentsPageSchema,
    InvoicePageSchema,
    InvoicesPageSchema,
    PaymentPageSchema,
    PaymentsPageSchema,
    ProformasPageSchema,
)
from portal_bff.pages import finance

blp = Blueprint("finance", __name__, url_prefix="/api/v1/finance", description="Finance")
HIDDEN = "The Finance module is hidden for this customer, or there is no such record."
KIND = f"<any({', '.join(FINANCIAL_KINDS)}):kind>"


@blp.route("/invoices")
class Invoices(MethodView):
    @signed_in(module="finance")
    @blp.arguments(InvoiceListArgsSchema, location="query")
    @blp.response(200, InvoicesPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The account summary (balance, total due) and the invoices, newest first."""
        return finance.invoices_page(reader(), query)


@blp.route("/invoices/<int:invoice_id>")
class Invoice(MethodView):
    @signed_in(module="finance")
    @blp.response(200, InvoicePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, invoice_id):
        """One invoice with its lines and tax summary, and billing's explanation of it (the Info button)."""
        return finance.invoice_page(reader(), invoice_id)


@blp.route("/proformas")
class Proformas(MethodView):
    @signed_in(module="finance")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ProformasPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The proforma invoices, newest first."""
        return finance.proformas_page(reader(), query)


@blp.route("/payments")
class Payments(MethodView):
    @signed_in(module="finance")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, PaymentsPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The payment history, newest first."""
        return finance.payments_page(reader(), query)


@blp.route("/payments/<int:payment_id>")
class Payment(MethodView):
    @signed_in(module="finance")
    @blp.response(200, PaymentPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, payment_id):
        """One payment."""
        return finance.payment_page(reader(), payment_id)


@blp.route("/documents")
class FinancialDocuments(MethodView):
    @signed_in(module="finance")
    @blp.arguments(FinancialDocumentListArgsSchema, location="query")
    @blp.response(200, FinancialDocumentsPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """All financial documents (invoices, credit notes, proformas, receipts) as PDFs, newest first."""
        return finance.financial_documents_page(reader(), query)


@blp.route(f"/documents/{KIND}/<string:number>/pdf")
class FinancialDocumentPdf(MethodView):
    @signed_in(module="finance")
    @blp.arguments(FileArgsSchema, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description="Documents is not available (`Retry-After`).")
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query, kind, number):
        """The PDF of an invoice (credit note, proforma, receipt) by its number: View (`inline`) or Download."""
        found = reader()
        path = found.path(f"/financial-documents/{kind}/{number}/file")
        return stream_file(found.upstreams.documents, path, customer_id=found.customer_id, params=query)
