"""What billing's finance API accepts and answers: invoices, payments, the ledger, runs and the summary."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from billing.finance_models import DocumentType, EntryKind, InvoiceStatus
from billing.schemas import Amount, PageQuerySchema, UtcDateTime

METHOD = validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$", error="Use lower-case letters, digits and '_'.")
OPERATOR_METHODS = ("cash", "bank_transfer", "card", "other")


class PositiveAmount(Amount):
    def _deserialize(self, value, attr, data, **kwargs):
        amount = super()._deserialize(value, attr, data, **kwargs)
        if amount <= 0:
            raise ValidationError("Must be greater than zero.")
        return amount


class Quantity(fields.Decimal):
    def __init__(self, **kwargs):
        super().__init__(places=4, as_string=True, validate=validate.Range(min=0, min_inclusive=False), **kwargs)


class LineSchema(Schema):
    position = fields.Integer()
    kind = fields.String()
    description = fields.String()
    quantity = fields.String(metadata={"example": "1"})
    unit = fields.String(allow_none=True)
    unit_price = Amount()
    discount_amount = Amount()
    net_amount = Amount()
    tax_rate = Amount()
    tax_amount = Amount()
    total = Amount()
    service_id = fields.Integer(allow_none=True)
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    prorated = fields.Boolean()


class TaxGroupSchema(Schema):
    tax_rate = fields.String()
    net_amount = fields.String()
    tax_amount = fields.String()
    total = fields.String()


class InvoiceSchema(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    document_type = fields.String(metadata={"enum": list(DocumentType.ALL[:3])})
    number = fields.String()
    status = fields.String(metadata={"enum": list(InvoiceStatus.ALL)})
    currency = fields.String()
    issued_on = fields.Date()
    due_on = fields.Date(allow_none=True)
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    net_total = Amount()
    tax_total = Amount()
    total = Amount()
    amount_paid = Amount()
    amount_due = Amount()
    paid_on = fields.Date(allow_none=True)


class InvoiceDetailSchema(InvoiceSchema):
    lines = fields.List(fields.Nested(LineSchema))
    tax_summary = fields.List(fields.Nested(TaxGroupSchema))
    customer = fields.Dict(attribute="customer_snapshot", metadata={"description": "Name and address as billed."})
    partner_tax_id = fields.String(allow_none=True)
    payment_reference = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    credited_invoice_id = fields.Integer(allow_none=True)
    issued_at = UtcDateTime()


class InvoicePageSchema(Schema):
    items = fields.List(fields.Nested(InvoiceSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class InvoiceListQuerySchema(PageQuerySchema):
    status = fields.List(
        fields.String(validate=validate.OneOf(InvoiceStatus.ALL)), metadata={"description": "Repeat for several."}
    )
    document_type = fields.String(validate=validate.OneOf(DocumentType.ALL[:3]), load_default=None)
    issued_from = fields.Date(metadata={"description": "Issued on or after this date."})
    issued_to = fields.Date(metadata={"description": "Issued on or before this date."})


class ManualLineSchema(Schema):
    class Meta:
        unknown = RAISE

    description = fields.String(required=True, validate=validate.Length(1, 500))
    quantity = Quantity(load_default=Decimal(1))
    unit = fields.String(allow_none=True, validate=validate.Length(1, 32))
    unit_price = Amount(required=True)
    discount_percent = Amount(load_default=Decimal(0), validate=validate.Range(0, 100))


class ManualInvoiceSchema(Schema):
    class Meta:
        unknown = RAISE

    lines = fields.List(fields.Nested(ManualLineSchema), required=True, validate=validate.Length(1, 100))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    proforma = fields.Boolean(
        load_default=False, metadata={"description": "Issue a proforma invoice (a request for payment) instead."}
    )

    @validates_schema
    def _positive(self, data, **kwargs):
        for line in data.get("lines", []):
            if line["unit_price"] < 0:
                raise ValidationError({"lines": ["Prices are positive; issue a credit note to give money back."]})


class CreditNoteSchema(Schema):
    class Meta:
        unknown = RAISE

    amount = PositiveAmount(required=True, metadata={"description": "What to credit, tax included."})
    description = fields.String(required=True, validate=validate.Length(1, 500))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class AllocationSchema(Schema):
    invoice_id = fields.Integer()
    invoice_number = fields.String()
    amount = Amount()


class PaymentSchema(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    number = fields.String()
    currency = fields.String()
    amount = Amount()
    method = fields.String()
    reference = fields.String(allow_none=True)
    received_on = fields.Date()
    received_at = UtcDateTime()
    refunded_amount = Amount()
    note = fields.String(allow_none=True)


class PaymentDetailSchema(PaymentSchema):
    allocations = fields.List(fields.Nested(AllocationSchema))
    credit_amount = Amount(metadata={"description": "What no invoice took at receipt: kept as credit."})


class PaymentPageSchema(Schema):
    items = fields.List(fields.Nested(PaymentSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class PaymentCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    amount = PositiveAmount(required=True)
    method = fields.String(required=True, validate=validate.OneOf(OPERATOR_METHODS))
    reference = fields.String(allow_none=True, validate=validate.Length(1, 140))
    received_on = fields.Date(metadata={"description": "Defaults to today."})
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    invoice_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        validate=validate.Length(max=100),
        metadata={"description": "Pay these invoices first (else the oldest open ones)."},
    )


class ProformaPaymentSchema(Schema):
    class Meta:
        unknown = RAISE

    amount = PositiveAmount(required=True)
    method = fields.String(required=True, validate=validate.OneOf(OPERATOR_METHODS))
    reference = fields.String(allow_none=True, validate=validate.Length(1, 140))
    received_on = fields.Date(metadata={"description": "Defaults to today."})


class RefundCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    amount = PositiveAmount(required=True)
    reason = fields.String(allow_none=True, validate=validate.Length(max=500))


class LedgerEntrySchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(EntryKind.ALL)})
    amount = Amount(metadata={"description": "Negative: a charge; positive: a credit."})
    entry_date = fields.Date()
    description = fields.String()
    invoice_id = fields.Integer(allow_none=True)
    payment_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class LedgerPageSchema(Schema):
    balance = Amount(required=True, metadata={"description": "The sum of every entry (negative: the customer owes)."})
    items = fields.List(fields.Nested(LedgerEntrySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class LedgerAuditSchema(Schema):
    balance = Amount(required=True)
    problems = fields.List(fields.String(), required=True)


class BillingRunCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    date = fields.Date(required=True)


class BillingRunSchema(Schema):
    id = fields.Integer()
    run_date = fields.Date()
    started_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)
    customers = fields.Integer()
    invoices_issued = fields.Integer()
    prepaid_charges = fields.Integer()
    invoices_overdue = fields.Integer()
    suspensions_scheduled = fields.Integer()
    blocked = fields.Integer()
    unblocked = fields.Integer()
    failed = fields.Integer()
    actor = fields.String()


class BalanceSchema(Schema):
    amount = fields.String(required=True, metadata={"example": "12.50"})
    sense = fields.String(required=True, metadata={"enum": ["owe", "overpaid", "settled"]})


class NextPaymentSchema(Schema):
    due_on = fields.Date(required=True)
    days_left = fields.Integer(required=True, metadata={"description": "Negative once overdue."})
    amount = fields.String(required=True)


class SuspensionSchema(Schema):
    blocking_on = fields.Date(required=True)
    days_left = fields.Integer(required=True)


class PrepaidSchema(Schema):
    daily_cost = fields.String(required=True)
    remaining_days = fields.Integer(allow_none=True, required=True)


class SummarySchema(Schema):
    customer_id = fields.Integer(required=True)
    status = fields.String(required=True)
    billing_type = fields.String(required=True)
    currency = fields.String(required=True)
    balance = fields.Nested(BalanceSchema, required=True)
    total_due = fields.String(required=True, metadata={"description": "Settling this brings the balance to zero."})
    unpaid_invoices = fields.Integer(required=True)
    unpaid_proformas = fields.Integer(required=True)
    next_payment = fields.Nested(NextPaymentSchema, allow_none=True, required=True)
    suspension = fields.Nested(SuspensionSchema, allow_none=True, required=True)
    prepaid = fields.Nested(PrepaidSchema, allow_none=True, required=True)


class ExplainedChangeSchema(Schema):
    kind = fields.String(
        required=True, metadata={"enum": ["new", "removed", "price_changed", "proration", "usage", "tax"]}
    )
    description = fields.String(required=True)
    net_amount = fields.String(required=True, metadata={"description": "Its effect before tax (negative: less)."})


class InvoiceRefSchema(Schema):
    invoice_id = fields.Integer(required=True)
    number = fields.String(required=True)
    total = fields.String(required=True)


class ExplanationSchema(Schema):
    invoice_id = fields.Integer(required=True)
    number = fields.String(required=True)
    total = fields.String(required=True)
    previous = fields.Nested(InvoiceRefSchema, allow_none=True, required=True)
    difference = fields.String(allow_none=True, required=True, metadata={"description": "Total now minus before."})
    changes = fields.List(fields.Nested(ExplainedChangeSchema), required=True)
