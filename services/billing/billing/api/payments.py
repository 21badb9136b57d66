"""Operator endpoints for payments, refunds and the ledger."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import allocation, finance_queries, ledger, payments
from billing.api.actor import current_actor
from billing.api.idempotent import once
from billing.customers import get_customer
from billing.finance_schemas import (
    LedgerAuditSchema,
    LedgerPageSchema,
    PaymentCreateSchema,
    PaymentDetailSchema,
    PaymentPageSchema,
    ProformaPaymentSchema,
    RefundCreateSchema,
)
from billing.schemas import PageQuerySchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("payments", __name__, url_prefix="/admin/v1", description="Payments and the ledger (operators)")


@blp.route("/customers/<int:customer_id>/payments")
class CustomerPayments(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, PaymentPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query, customer_id):
        """The customer's payments, newest first."""
        with database().reading() as session:
            page = finance_queries.list_payments(session, customer_id, limit=query["limit"], cursor=query.get("cursor"))
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(PaymentCreateSchema)
    @blp.response(201, PaymentDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, customer_id):
        """Record a payment (cash, transfer, card); applied to the chosen or oldest invoices, the rest is credit.

        With an `Idempotency-Key` header, a retry answers as the first request did and records nothing more.
        """
        now = datetime.now(UTC)

        def record(session):
            payment = payments.record_payment(
                session,
                customer_id,
                values["amount"],
                method=values["method"],
                on=values.get("received_on") or now.date(),
                now=now,
                actor=current_actor(),
                reference=values.get("reference"),
                note=values.get("note"),
                invoice_ids=values.get("invoice_ids"),
            )
            return finance_queries.payment_detail(session, payment.id)

        return once(values, record, PaymentDetailSchema(), now=now)


@blp.route("/proformas/<int:proforma_id>/payments")
class ProformaPayments(MethodView):
    @blp.arguments(ProformaPaymentSchema)
    @blp.response(201, PaymentDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, proforma_id):
        """Pay a proforma invoice in full: its invoice is issued (numbered then) and paid (Idempotency-Key as above)."""
        now = datetime.now(UTC)

        def pay(session):
            payment = payments.pay_proforma(
                session,
                proforma_id,
                values["amount"],
                method=values["method"],
                on=values.get("received_on") or now.date(),
                now=now,
                actor=current_actor(),
                reference=values.get("reference"),
            )
            return finance_queries.payment_detail(session, payment.id)

        return once(values, pay, PaymentDetailSchema(), now=now)


@blp.route("/payments/<int:payment_id>")
class PaymentById(MethodView):
    @blp.response(200, PaymentDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, payment_id):
        """One payment with the invoices it paid."""
        with database().reading() as session:
            return finance_queries.payment_detail(session, payment_id)


@blp.route("/payments/<int:payment_id>/refunds")
class Refunds(MethodView):
    @blp.arguments(RefundCreateSchema)
    @blp.response(201, PaymentDetailSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, payment_id):
        """Refund part or all of a payment (409 beyond what is left); emits billing.payment.refunded (Idempotency-Key as above)."""
        now = datetime.now(UTC)

        def refund(session):
            payments.refund(
                session,
                payment_id,
                values["amount"],
                reason=values.get("reason"),
                on=now.date(),
                now=now,
                actor=current_actor(),
            )
            return finance_queries.payment_detail(session, payment_id)

        return once(values, refund, PaymentDetailSchema(), now=now)


@blp.route("/customers/<int:customer_id>/ledger")
class Ledger(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, LedgerPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query, customer_id):
        """The customer's ledger entries, newest first, and the balance they sum to."""
        with database().reading() as session:
            page = finance_queries.list_entries(session, customer_id, limit=query["limit"], cursor=query.get("cursor"))
            balance = ledger.balance(session, customer_id)
            return {"balance": balance, "items": page.items, "next_cursor": page.next_cursor}


@blp.route("/customers/<int:customer_id>/ledger/audit")
class LedgerAudit(MethodView):
    @blp.response(200, LedgerAuditSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, customer_id):
        """Whether the customer's invoices, allocations and ledger agree (`problems` lists what does not)."""
        with database().reading() as session:
            get_customer(session, customer_id)
            problems = ledger.audit(session, customer_id)
            if allocation.credit(session, customer_id) > 0 and allocation.total_due(session, customer_id) > 0:
                problems.append("credit is left while invoices are open")
            return {"balance": ledger.balance(session, customer_id), "problems": problems}
