"""What billing's API accepts and answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from billing.customer_queries import SORTS
from billing.models import AdditionalFieldType, BillingType, CustomerStatus
from billing.moments import as_utc
from billing.money import InvalidAmount, amount_text, parse_amount

LOGIN = validate.Regexp(r"^[A-Za-z0-9._@-]{1,64}$", error="Use 1-64 letters, digits, '.', '_', '@' or '-'.")
PHONE = validate.Regexp(r"^\+?[0-9 ()-]{5,32}$", error="Not a phone number.")
FIELD_NAME = validate.Regexp(
    r"^[a-z][a-z0-9_]{0,63}$", error="Use 1-64 lower-case letters, digits or '_', starting with a letter."
)
MAX_BULK = 500


class Amount(fields.String):
    """Money as JSON carries it: a string with at most two places ("12.50"); a JSON number is accepted too."""

    def _deserialize(self, value: Any, attr, data, **kwargs):
        try:
            return parse_amount(value)
        except InvalidAmount as error:
            raise ValidationError(str(error)) from None

    def _serialize(self, value: Any, attr, obj, **kwargs):
        return None if value is None else amount_text(value)


class UtcDateTime(fields.DateTime):
    """A moment in UTC, written with its offset on every database (see billing.moments)."""

    def _serialize(self, value: Any, attr, obj, **kwargs):
        return super()._serialize(as_utc(value) if isinstance(value, datetime) else value, attr, obj, **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON boolean only (marshmallow would take "yes", "on" or 1 for true)."""

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class GeoSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lng = fields.Float(required=True, validate=validate.Range(-180, 180))


class CustomerFieldsSchema(Schema):
    login = fields.String(required=True, validate=LOGIN)
    full_name = fields.String(required=True, validate=validate.Length(1, 200))
    status = fields.String(validate=validate.OneOf(CustomerStatus.ALL))
    billing_type = fields.String(validate=validate.OneOf(BillingType.ALL))
    emails = fields.List(fields.Email(validate=validate.Length(max=254)), validate=validate.Length(max=10))
    billing_emails = fields.List(fields.Email(validate=validate.Length(max=254)), validate=validate.Length(max=10))
    phones = fields.List(fields.String(validate=PHONE), validate=validate.Length(max=10))
    partner_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    location = fields.String(allow_none=True, validate=validate.Length(max=120))
    street = fields.String(allow_none=True, validate=validate.Length(max=200))
    zip_code = fields.String(allow_none=True, validate=validate.Length(max=20))
    city = fields.String(allow_none=True, validate=validate.Length(max=120))
    geo = fields.Nested(GeoSchema, allow_none=True)
    minimum_balance = Amount(
        metadata={"description": 'The lowest balance the customer may reach, e.g. "-20.00".', "example": "0.00"}
    )
    grace_days = fields.Integer(
        strict=True,
        validate=validate.Range(0, 365),
        metadata={"description": "Days of grace after an invoice falls due."},
    )
    billing_day = fields.Integer(
        strict=True,
        validate=validate.Range(1, 28),
        metadata={"description": "The day of the month recurring invoices are issued for the month ahead."},
    )
    additional = fields.Dict(
        keys=fields.String(validate=validate.Length(1, 64)),
        values=fields.Raw(allow_none=True),
        metadata={
            "description": "Values of the additional fields by name; on a change, a null removes a value "
            "and names not given keep theirs."
        },
    )


class CustomerCreateSchema(CustomerFieldsSchema):
    status = fields.String(validate=validate.OneOf([CustomerStatus.NEW, CustomerStatus.ACTIVE]))


class CustomerSchema(CustomerFieldsSchema):
    id = fields.Integer(dump_only=True)
    revision = fields.Integer(dump_only=True)
    date_added = fields.Date(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class PageQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(validate=validate.Length(1, 1024), metadata={"description": "`next_cursor` of a page."})


class CustomerListQuerySchema(PageQuerySchema):
    status = fields.List(
        fields.String(validate=validate.OneOf(CustomerStatus.ALL)), metadata={"description": "Repeat for several."}
    )
    partner_id = fields.Integer(validate=validate.Range(min=1))
    location = fields.String(validate=validate.Length(1, 120))
    billing_type = fields.String(validate=validate.OneOf(BillingType.ALL))
    q = fields.String(
        validate=validate.Length(1, 100),
        metadata={"description": "Case-insensitive text in the login, full name, emails, phones, street or city."},
    )
    sort = fields.String(
        load_default="id", validate=validate.OneOf(SORTS), metadata={"description": "A field; '-' before it descends."}
    )


class CustomerPageSchema(Schema):
    items = fields.List(fields.Nested(CustomerSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class BulkDeleteSchema(Schema):
    ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        required=True,
        validate=validate.Length(1, MAX_BULK),
    )


class BulkDeletedSchema(Schema):
    deleted = fields.List(fields.Integer(), required=True)


class CommentCreateSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(1, 5000))


class CommentSchema(Schema):
    id = fields.Integer(dump_only=True)
    customer_id = fields.Integer(dump_only=True)
    author = fields.String(dump_only=True)
    body = fields.String(required=True)
    created_at = UtcDateTime(dump_only=True)


class CommentPageSchema(Schema):
    items = fields.List(fields.Nested(CommentSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ChangeSchema(Schema):
    field = fields.String(required=True)
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)


class ActivitySchema(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    at = UtcDateTime()
    actor = fields.String(metadata={"description": "The operator's name, `service:<name>`, or `system`."})
    action = fields.String(metadata={"example": "customer.updated"})
    changes = fields.List(fields.Nested(ChangeSchema))
    subject = fields.Method(
        "_subject",
        metadata={
            "type": "object",
            "nullable": True,
            "description": 'What changed when not the record itself, e.g. {"type": "service", "id": 12}.',
        },
    )

    def _subject(self, entry) -> dict[str, Any] | None:
        return None if entry.subject_type is None else {"type": entry.subject_type, "id": entry.subject_id}


class ActivityPageSchema(Schema):
    items = fields.List(fields.Nested(ActivitySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


def _each_once(values: list[str]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Each choice may appear once.")


class AdditionalFieldChangeSchema(Schema):
    label = fields.String(validate=validate.Length(1, 120))
    choices = fields.List(
        fields.String(validate=validate.Length(1, 120)),
        validate=[validate.Length(max=100), _each_once],
        metadata={"description": "The values a `choice` field may hold (only `choice` fields have them)."},
    )
    required = StrictBoolean()
    position = fields.Integer(strict=True, validate=validate.Range(0, 10000))


class AdditionalFieldSchema(AdditionalFieldChangeSchema):
    name = fields.String(required=True, validate=FIELD_NAME)
    label = fields.String(required=True, validate=validate.Length(1, 120))
    type = fields.String(required=True, validate=validate.OneOf(AdditionalFieldType.ALL))


class PartnerChangeSchema(Schema):
    name = fields.String(validate=validate.Length(1, 120))
    currency = fields.String(
        validate=validate.Regexp(r"^[A-Z]{3}$", error="Use an ISO 4217 code such as EUR."),
        metadata={"description": "The currency of the partner's documents (ISO 4217)."},
    )
    vat_rate = Amount(
        validate=validate.Range(0, 100), metadata={"description": "VAT in percent on every line.", "example": "20.00"}
    )
    tax_id = fields.String(allow_none=True, validate=validate.Length(1, 64))
    payment_terms_days = fields.Integer(
        strict=True, validate=validate.Range(0, 365), metadata={"description": "Days from issue to due date."}
    )
    document_prefix = fields.String(
        validate=validate.Regexp(
            r"^([A-Za-z0-9][A-Za-z0-9_-]{0,14})?$", error="Use up to 15 letters, digits, '_' or '-'."
        ),
        metadata={"description": 'Put before document numbers ("A-" gives "A-INV-2026-000001").'},
    )


class PartnerSchema(PartnerChangeSchema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, 120))


SELF_SERVICE_FIELDS = ("emails", "billing_emails", "phones", "street", "zip_code", "city")


class ProfileChangeSchema(Schema):
    """What a customer may change of their own record from the portal."""

    class Meta:
        unknown = RAISE

    emails = CustomerFieldsSchema._declared_fields["emails"]
    billing_emails = CustomerFieldsSchema._declared_fields["billing_emails"]
    phones = CustomerFieldsSchema._declared_fields["phones"]
    street = CustomerFieldsSchema._declared_fields["street"]
    zip_code = CustomerFieldsSchema._declared_fields["zip_code"]
    city = CustomerFieldsSchema._declared_fields["city"]


class ProfileSchema(Schema):
    id = fields.Integer()
    login = fields.String()
    full_name = fields.String()
    status = fields.String()
    billing_type = fields.String()
    partner_id = fields.Integer()
    emails = fields.List(fields.String())
    billing_emails = fields.List(fields.String())
    phones = fields.List(fields.String())
    street = fields.String(allow_none=True)
    zip_code = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    date_added = fields.Date()
