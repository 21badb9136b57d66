"""The Finance pages: invoices (with the account summary), one invoice, proformas, payments, the PDFs,
paying through a gateway, payment accounts and autopay."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.context import public_url
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.fanout import ok
from portal_bff.page_arguments import (
    FINANCIAL_KINDS,
    AutopayChangeSchema,
    CheckoutFormSchema,
    FileArgsSchema,
    FinancialDocumentListArgsSchema,
    IdempotencyHeaderSchema,
    InvoiceListArgsSchema,
    PageArgsSchema,
    PaymentAccountChangeSchema,
    PaymentAccountFormSchema,
)
from portal_bff.page_schemas import (
    AutopaySectionSchema,
    CheckoutSchema,
    FinancialDocumentsPageSchema,
    InvoicePageSchema,
    InvoicesPageSchema,
    PaymentAccountSchema,
    PaymentAccountsPageSchema,
    PaymentPageSchema,
    PaymentsPageSchema,
    ProformasPageSchema,
)
from portal_bff.pages import finance

blp = Blueprint("finance", __name__, url_prefix="/api/v1/finance", description="Finance")
HIDDEN = "The Finance module is hidden for this customer, or there is no such record."
DOWN = "Billing is not available: nothing was done (`Retry-After`)."
REFUSED = "A field is invalid, or the payment method is not offered (`errors`)."
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


@blp.route("/checkouts")
class Checkouts(MethodView):
    @signed_in(module="finance")
    @blp.arguments(CheckoutFormSchema)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, CheckoutSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(422, description=REFUSED)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form, headers):
        """Pay invoices, the total due, or top up a prepaid account ("Extend service") at a gateway.

        Send the customer to the answer's `url`; the gateway sends them back to the portal page
        `return_to`, with `notice=payment_paid`, `payment_failed` or `payment_pending`.
        """
        # The portal's own return page: it says the payment changed billing, then goes on to `return_to`.
        back = public_url() + url_for("web_finance.payment_return", next=form["return_to"])
        checkout = finance.start_checkout(
            reader(),
            gateway=form["gateway"],
            invoice_ids=form["invoice_ids"],
            amount=form.get("amount"),
            return_url=back,
            key=headers.get("idempotency_key"),
        )
        return checkout, 201


@blp.route("/payment-accounts")
class PaymentAccounts(MethodView):
    @signed_in(module="finance")
    @blp.response(200, PaymentAccountsPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """The saved cards and bank accounts, autopay, and the payment methods to save new ones at."""
        return finance.payment_accounts_page(reader())

    @signed_in(module="finance")
    @blp.arguments(PaymentAccountFormSchema)
    @blp.response(201, PaymentAccountSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(422, description=REFUSED)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form):
        """Save a card or a bank account (the gateway keeps the number); the same one again is kept once."""
        details = {kind: form[kind] for kind in ("card", "bank_account") if kind in form}
        return finance.add_payment_account(reader(), form["gateway"], details), 201


@blp.route("/payment-accounts/<int:account_id>")
class PaymentAccount(MethodView):
    @signed_in(module="finance")
    @blp.arguments(PaymentAccountChangeSchema)
    @blp.response(200, PaymentAccountSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def patch(self, _change, account_id):
        """Make this account the default: the one autopay charges."""
        return finance.make_default(reader(), account_id)

    @signed_in(module="finance")
    @blp.response(204)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def delete(self, account_id):
        """Remove a saved account (the oldest remaining one becomes the default)."""
        finance.remove_account(reader(), account_id)


@blp.route("/autopay")
class Autopay(MethodView):
    @signed_in(module="finance")
    @blp.arguments(AutopayChangeSchema)
    @blp.response(200, AutopaySectionSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(409, description="Autopay needs a saved payment account first.")
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def put(self, change):
        """Switch autopay on (new invoices are charged to the default account) or off; autopay as it now is."""
        return ok(finance.set_autopay(reader(), change["enabled"]))
