"""What the offers, orders and plan change APIs accept and answer."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from billing.models import PlanKind
from billing.order_models import OrderKind, OrderStatus
from billing.plan_schemas import InternetSettingsSchema, VoiceSettingsSchema
from billing.schemas import Amount, PageQuerySchema, UtcDateTime


class OfferSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(PlanKind.ALL)})
    name = fields.String()
    price = Amount(metadata={"description": "Per month, before tax."})
    currency = fields.String()
    tax_rate = Amount()
    price_with_tax = Amount()
    requires_approval = fields.Boolean(metadata={"description": "Orders wait for an operator's approval."})
    internet = fields.Nested(InternetSettingsSchema, allow_none=True)
    voice = fields.Nested(VoiceSettingsSchema, allow_none=True)


class OfferPageSchema(Schema):
    items = fields.List(fields.Nested(OfferSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class OrderCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    plan_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    quantity = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 100))
    start_date = fields.Date(metadata={"description": "Today (the default) or a later day within a year."})


class PlanChangeCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    plan_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class QuotePlanSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class CycleSchema(Schema):
    start = fields.String()
    end = fields.String()
    days = fields.Integer()


class FiguresSchema(Schema):
    net_amount = fields.String()
    tax_amount = fields.String()
    total = fields.String()


class PeriodFiguresSchema(FiguresSchema):
    period_start = fields.String()
    period_end = fields.String()
    days = fields.Integer()


class QuoteSchema(Schema):
    plan = fields.Nested(QuotePlanSchema)
    quantity = fields.Integer()
    currency = fields.String()
    unit_price = fields.String(metadata={"description": "Per month and unit, before tax."})
    tax_rate = fields.String()
    effective_date = fields.String(metadata={"description": "The first day of the new service or plan."})
    billing = fields.String(
        metadata={
            "enum": ["next_invoice", "daily"],
            "description": "Charged with the next invoice, or daily (prepaid).",
        }
    )
    cycle = fields.Nested(CycleSchema, metadata={"description": "The billing cycle holding the effective date."})
    rest_of_cycle = fields.Nested(PeriodFiguresSchema, metadata={"description": "The new plan to the cycle's end."})
    credit = fields.Nested(
        PeriodFiguresSchema,
        allow_none=True,
        metadata={"description": "Plan change: the old plan's days already invoiced, credited at once."},
    )
    total_now = fields.String(metadata={"description": "The rest of the cycle less any credit, tax included."})
    monthly = fields.Nested(FiguresSchema, metadata={"description": "A whole month from then on."})
    monthly_before = fields.Nested(FiguresSchema, allow_none=True, metadata={"description": "Plan change: until now."})
    next_invoice_on = fields.String(
        allow_none=True,
        metadata={"description": "The invoice that charges it; null: the next daily run's, or prepaid."},
    )
    daily_cost = fields.String(allow_none=True, metadata={"description": "Prepaid: what a day costs, tax included."})
    requires_approval = fields.Boolean()


class OrderSchema(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    kind = fields.String(metadata={"enum": list(OrderKind.ALL)})
    status = fields.String(metadata={"enum": list(OrderStatus.ALL)})
    plan_id = fields.Integer()
    quantity = fields.Integer()
    start_date = fields.Date()
    service_id = fields.Integer(allow_none=True, metadata={"description": "Plan change: the service changed."})
    new_service_id = fields.Integer(allow_none=True, metadata={"description": "The service the order created."})
    credit_note_id = fields.Integer(allow_none=True)
    quote = fields.Nested(QuoteSchema, metadata={"description": "The figures the customer confirmed."})
    requested_by = fields.String()
    requested_at = UtcDateTime()
    decided_by = fields.String(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    completed_at = UtcDateTime(allow_none=True)


class OrderPageSchema(Schema):
    items = fields.List(fields.Nested(OrderSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class OrderQueueQuerySchema(PageQuerySchema):
    status = fields.String(load_default=OrderStatus.PENDING, validate=validate.OneOf(OrderStatus.ALL))


class OrderRejectSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(1, 500))
