"""What billing's API accepts and answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from billing.models import BillingType, CustomerStatus

LOGIN = validate.Regexp(r"^[A-Za-z0-9._@-]{1,64}$", error="Use 1-64 letters, digits, '.', '_', '@' or '-'.")
PHONE = validate.Regexp(r"^\+?[0-9 ()-]{5,32}$", error="Not a phone number.")


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


class CustomerCreateSchema(CustomerFieldsSchema):
    status = fields.String(validate=validate.OneOf([CustomerStatus.NEW, CustomerStatus.ACTIVE]))


class CustomerSchema(CustomerFieldsSchema):
    id = fields.Integer(dump_only=True)
    revision = fields.Integer(dump_only=True)
    date_added = fields.Date(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class PartnerSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, 120))
