"""What the checkout, payment account and autopay APIs accept and answer."""

from __future__ import annotations

from urllib.parse import urlsplit

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from billing.finance_schemas import PositiveAmount
from billing.gateway_models import AccountKind, CheckoutStatus
from billing.schemas import Amount, StrictBoolean, UtcDateTime

GATEWAY = validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$", error="Use lower-case letters, digits and '_'.")


def _web_address(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("Use an http or https address.")


def _each_once(values: list[int]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Each invoice may appear once.")


class CheckoutCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    gateway = fields.String(load_default="demo", validate=GATEWAY)
    amount = PositiveAmount(
        metadata={"description": "What to pay; by default what the chosen invoices (or all open ones) have due."}
    )
    invoice_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        load_default=list,
        validate=[validate.Length(max=100), _each_once],
        metadata={"description": "Pay these invoices first (else the oldest open ones); the rest is credit."},
    )
    return_url = fields.String(
        allow_none=True,
        validate=[validate.Length(max=2000), _web_address],
        metadata={"description": "Where the gateway sends the customer back to."},
    )
    save_method = StrictBoolean(
        load_default=False, metadata={"description": "Offer to save the card for later payments and autopay."}
    )


class CheckoutSchema(Schema):
    checkout_id = fields.Integer(attribute="id")
    customer_id = fields.Integer()
    gateway = fields.String()
    status = fields.String(metadata={"enum": list(CheckoutStatus.ALL)})
    url = fields.String(allow_none=True, metadata={"description": "The gateway's page to send the customer to."})
    amount = Amount()
    currency = fields.String()
    invoice_ids = fields.List(fields.Integer())
    description = fields.String()
    payment_id = fields.Integer(allow_none=True)
    failure_reason = fields.String(allow_none=True)
    created_at = UtcDateTime()
    completed_at = UtcDateTime(allow_none=True)


class WebhookAnswerSchema(Schema):
    received = fields.Boolean(required=True)
    checkout_status = fields.String(required=True, metadata={"enum": list(CheckoutStatus.ALL)})


class CardSchema(Schema):
    class Meta:
        unknown = RAISE

    number = fields.String(
        required=True,
        validate=validate.Length(12, 23),
        metadata={"description": "Passed to the gateway, which keeps it; billing stores only the last four digits."},
    )
    exp_month = fields.Integer(required=True, strict=True, validate=validate.Range(1, 12))
    exp_year = fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100))
    holder_name = fields.String(allow_none=True, validate=validate.Length(1, 200))


class BankAccountSchema(Schema):
    class Meta:
        unknown = RAISE

    iban = fields.String(required=True, validate=validate.Length(15, 42))
    holder_name = fields.String(required=True, validate=validate.Length(1, 200))


class PaymentAccountCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    gateway = fields.String(load_default="demo", validate=GATEWAY)
    card = fields.Nested(CardSchema)
    bank_account = fields.Nested(BankAccountSchema)

    @validates_schema
    def _one_kind(self, data, **kwargs):
        if ("card" in data) == ("bank_account" in data):
            raise ValidationError("Give either a card or a bank account.", "_schema")


class PaymentAccountChangeSchema(Schema):
    class Meta:
        unknown = RAISE

    is_default = StrictBoolean(
        required=True,
        validate=validate.Equal(True, error="Make another account the default instead."),
        metadata={"description": "true: autopay charges this account."},
    )


class PaymentAccountSchema(Schema):
    id = fields.Integer()
    gateway = fields.String()
    kind = fields.String(metadata={"enum": list(AccountKind.ALL)})
    masked = fields.String(metadata={"example": "•••• 4242"})
    brand = fields.String(allow_none=True)
    last4 = fields.String()
    exp_month = fields.Integer(allow_none=True)
    exp_year = fields.Integer(allow_none=True)
    holder_name = fields.String(allow_none=True)
    is_default = fields.Boolean()
    created_at = UtcDateTime()


class PaymentAccountListSchema(Schema):
    items = fields.List(fields.Nested(PaymentAccountSchema), required=True)


class AutopaySchema(Schema):
    enabled = fields.Boolean(required=True)
    enabled_at = UtcDateTime(allow_none=True, required=True)
    payment_account = fields.Nested(
        PaymentAccountSchema, allow_none=True, required=True, metadata={"description": "The account autopay charges."}
    )


class AutopayChangeSchema(Schema):
    class Meta:
        unknown = RAISE

    enabled = StrictBoolean(required=True)
