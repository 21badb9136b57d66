"""What the page API accepts: queries, forms and bodies (checked here before any upstream is asked)."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from portal_bff.pages.finance import AMOUNT_RULE, payable
from portal_bff.preferences import THEMES

NOT_BLANK = validate.Regexp(r"\S", error="Must not be blank.")
MAX_DAYS = 366
TICKET_STATUSES = ("new", "open", "waiting_on_customer", "resolved", "closed")
PRIORITIES = ("low", "medium", "high", "urgent")
TICKET_SORTS = ("id", "-id", "created", "-created", "updated", "-updated", "priority", "-priority")
INVOICE_STATUSES = ("unpaid", "partially_paid", "paid", "overdue", "cancelled")
FINANCIAL_KINDS = ("invoice", "credit_note", "proforma", "receipt")
BODY_FORMATS = ("text", "markdown")
PHONE = validate.Regexp(r"^\+?[0-9 ()-]{3,32}$", error="Not a phone number.")
PLAN_KINDS = ("internet", "voice", "custom")
SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="The document's `sha256`: 64 lower-case hex digits.")
# A path on this portal (never `//host` or `/\host`, which a browser takes for another site).
PORTAL_PATH = validate.Regexp(r"^/(?![/\\])[^\s\\]*$", error="A path on this portal, like `/finance/invoices`.")


def as_params(values: dict[str, Any]) -> dict[str, Any]:
    """Parsed query values as an upstream's query string takes them (dates in ISO 8601)."""
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()}


class PageArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=25, validate=validate.Range(1, 100))
    cursor = fields.String(validate=validate.Length(1, 1024), metadata={"description": "`next_cursor` of a page."})


class TicketFilterArgsSchema(Schema):
    """The list's filters and order, without pages: what the CSV export takes."""

    class Meta:
        unknown = RAISE

    status = fields.List(fields.String(validate=validate.OneOf(TICKET_STATUSES)), metadata={"description": "Repeat."})
    priority = fields.List(fields.String(validate=validate.OneOf(PRIORITIES)), metadata={"description": "Repeat."})
    created_from = fields.Date()
    created_to = fields.Date()
    q = fields.String(validate=[validate.Length(1, 200), NOT_BLANK], metadata={"description": "Words to find."})
    sort = fields.String(load_default="-updated", validate=validate.OneOf(TICKET_SORTS))


class TicketListArgsSchema(TicketFilterArgsSchema, PageArgsSchema):
    pass


class DocumentListArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(("document", "contract")))


class InvoiceListArgsSchema(PageArgsSchema):
    status = fields.List(fields.String(validate=validate.OneOf(INVOICE_STATUSES)), metadata={"description": "Repeat."})


class FinancialDocumentListArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(FINANCIAL_KINDS))


class MessageListArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    cursor = fields.Integer(validate=validate.Range(min=1))


class FileArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    disposition = fields.String(
        load_default="attachment",
        validate=validate.OneOf(("attachment", "inline")),
        metadata={"description": "`inline` shows a PDF or an image in the browser; anything else downloads."},
    )


class DayRangeArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    first = fields.Date(required=True, data_key="from")
    last = fields.Date(required=True, data_key="to")

    @validates_schema
    def _a_range(self, data, **_kwargs) -> None:
        if data["last"] < data["first"]:
            raise ValidationError("Must not be before `from`.", "to")
        if (data["last"] - data["first"]).days >= MAX_DAYS:
            raise ValidationError(f"At most {MAX_DAYS} days at a time.", "to")


class MinutesArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    minutes = fields.Integer(load_default=60, validate=validate.Range(5, 1440))


class IdempotencyHeaderSchema(Schema):
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        validate=validate.Length(1, 200),
        metadata={"description": "Send the same key to retry safely: the first answer is replayed."},
    )


class TicketFormSchema(Schema):
    """Multipart form fields; files come as `attachments` (repeat the field for several)."""

    class Meta:
        unknown = RAISE

    subject = fields.String(required=True, validate=[validate.Length(1, 200), NOT_BLANK])
    priority = fields.String(load_default="medium", validate=validate.OneOf(PRIORITIES))
    message = fields.String(required=True, validate=[validate.Length(1, 20_000), NOT_BLANK])
    body_format = fields.String(load_default="text", validate=validate.OneOf(BODY_FORMATS))


class ReplyFormSchema(Schema):
    class Meta:
        unknown = RAISE

    body = fields.String(required=True, validate=[validate.Length(1, 20_000), NOT_BLANK])
    body_format = fields.String(load_default="text", validate=validate.OneOf(BODY_FORMATS))


class ProfileChangeSchema(Schema):
    """The self-service profile fields; which of them this customer may change is the portal config's."""

    class Meta:
        unknown = RAISE

    full_name = fields.String(validate=[validate.Length(1, 120), NOT_BLANK])
    emails = fields.List(fields.Email(validate=validate.Length(max=254)), validate=validate.Length(max=10))
    billing_emails = fields.List(fields.Email(validate=validate.Length(max=254)), validate=validate.Length(max=10))
    phones = fields.List(fields.String(validate=PHONE), validate=validate.Length(max=10))
    street = fields.String(allow_none=True, validate=validate.Length(max=200))
    zip_code = fields.String(allow_none=True, validate=validate.Length(max=20))
    city = fields.String(allow_none=True, validate=validate.Length(max=100))


LANGUAGE = validate.Regexp(r"^[a-z]{2,3}(-[A-Z]{2})?$", error="A language tag like `en` or `pt-BR`.")
LANGUAGE_DOC = {"description": "One of the languages the portal offers (`PORTAL_BFF_LANGUAGES`)."}


class PreferencesSchema(Schema):
    theme = fields.String(required=True, validate=validate.OneOf(THEMES))
    language = fields.String(required=True, validate=LANGUAGE, metadata=LANGUAGE_DOC)


class PreferencesChangeSchema(Schema):
    """Either or both of the preferences."""

    class Meta:
        unknown = RAISE

    theme = fields.String(validate=validate.OneOf(THEMES))
    language = fields.String(validate=LANGUAGE, metadata=LANGUAGE_DOC)


# -- finance ------------------------------------------------------------------------------
def _payable(amount) -> None:
    if not payable(amount):
        raise ValidationError(AMOUNT_RULE)


def _each_once(values: list) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Each may appear once.")


class CheckoutFormSchema(Schema):
    """Pay the chosen invoices, or `amount` (a prepaid top-up: "Extend service"), or else the total due."""

    class Meta:
        unknown = RAISE

    gateway = fields.String(
        required=True,
        validate=validate.Length(1, 32),
        metadata={"description": "One of the `payment_methods` of the invoices page."},
    )
    invoice_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        load_default=list,
        validate=[validate.Length(max=100), _each_once],
        metadata={"description": "The invoices to pay (else the oldest open ones)."},
    )
    amount = fields.Decimal(
        validate=_payable,
        metadata={"type": "string", "example": "12.50", "description": "What to pay; else what is due."},
    )
    return_to = fields.String(
        load_default="/",
        validate=[validate.Length(1, 2000), PORTAL_PATH],
        metadata={"description": "The portal page the customer comes back to from the gateway, told how it went."},
    )


class CardFormSchema(Schema):
    class Meta:
        unknown = RAISE

    number = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9]{12,19}$", error="The card number's digits."),
        metadata={"description": "Passed to the gateway, which keeps it; only the last four digits are kept."},
    )
    exp_month = fields.Integer(required=True, strict=True, validate=validate.Range(1, 12))
    exp_year = fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100))
    holder_name = fields.String(validate=[validate.Length(1, 200), NOT_BLANK])


class BankAccountFormSchema(Schema):
    class Meta:
        unknown = RAISE

    iban = fields.String(
        required=True, validate=validate.Regexp(r"^[A-Za-z0-9]{15,42}$", error="The IBAN, without spaces.")
    )
    holder_name = fields.String(required=True, validate=[validate.Length(1, 200), NOT_BLANK])


class PaymentAccountFormSchema(Schema):
    """A card or a bank account, saved at one of the portal's payment methods."""

    class Meta:
        unknown = RAISE

    gateway = fields.String(
        required=True,
        validate=validate.Length(1, 32),
        metadata={"description": "One of the `payment_methods` of the payment accounts page."},
    )
    card = fields.Nested(CardFormSchema)
    bank_account = fields.Nested(BankAccountFormSchema)

    @validates_schema
    def _one_kind(self, data, **_kwargs) -> None:
        if ("card" in data) == ("bank_account" in data):
            raise ValidationError("Give either a card or a bank account.", "_schema")


class PaymentAccountChangeSchema(Schema):
    class Meta:
        unknown = RAISE

    is_default = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error="Make another account the default instead."),
        metadata={"description": "true: autopay charges this account."},
    )


class AutopayChangeSchema(Schema):
    class Meta:
        unknown = RAISE

    enabled = fields.Boolean(required=True, metadata={"description": "Billing refuses `true` without a saved account."})


# -- services -----------------------------------------------------------------------------
class OfferArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(
        validate=validate.OneOf(PLAN_KINDS), metadata={"description": "Only these (a plan change keeps the kind)."}
    )


class PlanChangeFormSchema(Schema):
    class Meta:
        unknown = RAISE

    plan_id = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1), metadata={"description": "An offer's `id`."}
    )


class OrderFormSchema(PlanChangeFormSchema):
    quantity = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 100))
    start_date = fields.Date(metadata={"description": "Today (the default) or a later day within a year."})


# -- documents ----------------------------------------------------------------------------
class AcceptanceFormSchema(Schema):
    class Meta:
        unknown = RAISE

    accepted_name = fields.String(
        required=True,
        validate=[validate.Length(1, 200), NOT_BLANK],
        metadata={"description": "The full name the customer typed to accept."},
    )
    sha256 = fields.String(
        required=True, validate=SHA256, metadata={"description": "The `sha256` of the contract the customer was shown."}
    )


class DocumentFormSchema(Schema):
    """Multipart form fields; the file comes as `file`."""

    class Meta:
        unknown = RAISE

    title = fields.String(
        validate=[validate.Length(1, 200), NOT_BLANK], metadata={"description": "The file's name if not given."}
    )
    description = fields.String(load_default="", validate=validate.Length(max=2000))
