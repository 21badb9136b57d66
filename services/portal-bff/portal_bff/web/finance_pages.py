"""The Finance pages: invoices, one invoice, proformas, payments, financial documents, the PDFs,
paying through a gateway, payment accounts and autopay."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import redirect, request, url_for

from portal_bff.api.authentication import visitor
from portal_bff.api.context import public_url
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.errors import InvalidFields, UpstreamRejected
from portal_bff.page_arguments import (
    FINANCIAL_KINDS,
    INVOICE_STATUSES,
    FileArgsSchema,
    FinancialDocumentListArgsSchema,
    InvoiceListArgsSchema,
    PageArgsSchema,
)
from portal_bff.page_schemas import (
    CheckoutSchema,
    FinancialDocumentsPageSchema,
    InvoicePageSchema,
    InvoicesPageSchema,
    PaymentAccountsPageSchema,
    PaymentPageSchema,
    PaymentsPageSchema,
    ProformasPageSchema,
)
from portal_bff.pages import finance
from portal_bff.web.guard import page, safe_next
from portal_bff.web.pages import blueprint, idempotency_key, query_args, render

blp = blueprint("web_finance", __name__, url_prefix="/finance")
KIND = f"<any({', '.join(FINANCIAL_KINDS)}):kind>"
OUTCOMES = {"paid": "payment_paid", "failed": "payment_failed"}


@blp.get("/")
@page(module="finance")
def index():
    return redirect(url_for("web_finance.invoices"), code=303)


@blp.get("/invoices")
@page(module="finance")
def invoices():
    query = query_args(InvoiceListArgsSchema())
    model = InvoicesPageSchema().dump(finance.invoices_page(reader(), query))
    return render("finance/invoices.html", page=model, statuses=INVOICE_STATUSES, chosen=query.get("status", []))


@blp.get("/invoices/<int:invoice_id>")
@page(module="finance")
def invoice(invoice_id: int):
    model = InvoicePageSchema().dump(finance.invoice_page(reader(), invoice_id))
    return render("finance/invoice.html", page=model, payment_methods=visitor().config["finance"]["payment_methods"])


@blp.get("/proformas")
@page(module="finance")
def proformas():
    model = ProformasPageSchema().dump(finance.proformas_page(reader(), query_args(PageArgsSchema())))
    return render("finance/proformas.html", page=model, payment_methods=visitor().config["finance"]["payment_methods"])


@blp.get("/payments")
@page(module="finance")
def payments():
    model = PaymentsPageSchema().dump(finance.payments_page(reader(), query_args(PageArgsSchema())))
    return render("finance/payments.html", page=model)


@blp.get("/payments/<int:payment_id>")
@page(module="finance")
def payment(payment_id: int):
    model = PaymentPageSchema().dump(finance.payment_page(reader(), payment_id))
    return render("finance/payment.html", page=model)


@blp.get("/documents")
@page(module="finance")
def financial_documents():
    query = query_args(FinancialDocumentListArgsSchema())
    model = FinancialDocumentsPageSchema().dump(finance.financial_documents_page(reader(), query))
    return render("finance/documents.html", page=model, kinds=FINANCIAL_KINDS, chosen=query.get("kind"))


@blp.get(f"/pdf/{KIND}/<string:number>")
@page(module="finance")
def pdf(kind: str, number: str):
    """View (inline) or download the PDF, streamed from documents as the API streams it."""
    query = query_args(FileArgsSchema())
    found = reader()
    path = found.path(f"/financial-documents/{kind}/{number}/file")
    return stream_file(found.upstreams.documents, path, customer_id=found.customer_id, params=query)


@blp.post("/pay")
@page(module="finance")
def pay():
    """Open a checkout at the gateway (invoices, the total due, or a top-up) and hand over to its page."""
    invoice_ids = [int(v) for v in request.form.getlist("invoice_id") if v.isdigit()][:100]
    back = safe_next(request.form.get("next") or _referrer_path(), default=url_for("web_dashboard.dashboard"))
    try:
        amount = _amount(request.form.get("amount"))
        checkout = finance.start_checkout(
            reader(),
            gateway=request.form.get("gateway", ""),
            invoice_ids=invoice_ids,
            amount=amount,
            return_url=public_url() + url_for("web_finance.payment_return", next=back),
            key=idempotency_key(),
        )
    except (InvalidFields, UpstreamRejected) as refused:
        return render("finance/checkout.html", status=422, checkout=None, error=_first_error(refused), back=back)
    return render("finance/checkout.html", checkout=CheckoutSchema().dump(checkout), back=back)


def _amount(text: str | None) -> Decimal | None:
    """The form's amount (a decimal comma too), or None when not given; InvalidFields otherwise."""
    if not text:
        return None
    try:
        amount = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidFields({"amount": ["Not an amount."]}) from None
    if not finance.payable(amount):
        raise InvalidFields({"amount": [finance.AMOUNT_RULE]})
    return amount


@blp.get("/payments/return")
@page(module="finance")
def payment_return():
    """Where the gateway sends the customer back: the page they paid from, saying how it went."""
    # The gateway told billing before sending the customer here: what the portal keeps of billing is old.
    reader().changed("billing")
    notice = OUTCOMES.get(request.args.get("status", ""), "payment_pending")
    target = safe_next(request.args.get("next"), default=url_for("web_finance.invoices"))
    separator = "&" if "?" in target else "?"
    return redirect(f"{target}{separator}notice={notice}", code=303)


@blp.get("/payment-accounts")
@page(module="finance")
def payment_accounts():
    return _accounts_page()


def _accounts_page(*, status: int = 200, error: str | None = None):
    model = PaymentAccountsPageSchema().dump(finance.payment_accounts_page(reader()))
    methods = model["payment_methods"]
    return render("finance/payment_accounts.html", status=status, page=model, payment_methods=methods, error=error)


@blp.post("/payment-accounts")
@page(module="finance")
def add_payment_account():
    form = request.form
    if form.get("kind") == "bank_account":
        details = {
            "bank_account": {"iban": form.get("iban", "").replace(" ", ""), "holder_name": form.get("holder_name", "")}
        }
    else:
        try:
            card = {
                "number": form.get("number", "").replace(" ", ""),
                "exp_month": int(form.get("exp_month", "")),
                "exp_year": int(form.get("exp_year", "")),
            }
        except ValueError:
            return _accounts_page(
                status=422, error=_first_error(InvalidFields({"card": ["Give the card's expiry as numbers."]}))
            )
        if form.get("holder_name"):
            card["holder_name"] = form["holder_name"]
        details = {"card": card}
    try:
        finance.add_payment_account(reader(), form.get("gateway", ""), details)
    except (InvalidFields, UpstreamRejected) as refused:
        return _accounts_page(status=422, error=_first_error(refused))
    return redirect(url_for("web_finance.payment_accounts", notice="account_saved"), code=303)


@blp.post("/payment-accounts/<int:account_id>/default")
@page(module="finance")
def default_account(account_id: int):
    finance.make_default(reader(), account_id)
    return redirect(url_for("web_finance.payment_accounts", notice="account_default"), code=303)


@blp.post("/payment-accounts/<int:account_id>/remove")
@page(module="finance")
def remove_account(account_id: int):
    finance.remove_account(reader(), account_id)
    return redirect(url_for("web_finance.payment_accounts", notice="account_removed"), code=303)


@blp.post("/autopay")
@page(module="finance")
def autopay():
    enabled = request.form.get("enabled") == "on"
    try:
        finance.set_autopay(reader(), enabled)
    except UpstreamRejected as refused:
        return _accounts_page(status=refused.status, error=_first_error(refused))
    return redirect(
        url_for("web_finance.payment_accounts", notice="autopay_on" if enabled else "autopay_off"), code=303
    )


def _referrer_path() -> str | None:
    referrer = request.referrer or ""
    root = request.host_url.rstrip("/")
    return referrer[len(root) :] if referrer.startswith(root) else None


def _first_error(error: InvalidFields | UpstreamRejected) -> str:
    """The first field message of a refusal, else its detail."""
    errors = getattr(error, "errors", None)
    if isinstance(errors, dict):
        for messages in errors.values():
            if isinstance(messages, list) and messages and isinstance(messages[0], str):
                return messages[0]
            if isinstance(messages, dict):
                for inner in messages.values():
                    if isinstance(inner, list) and inner:
                        return str(inner[0])
    return str(error)
