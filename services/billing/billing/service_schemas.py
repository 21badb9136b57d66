"""What the customer services and hardware APIs accept and answer."""

from __future__ import annotations

import ipaddress
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from billing.models import HardwareOwnership, HardwareStatus, PlanKind, ServiceStatus
from billing.schemas import LOGIN, Amount, PageQuerySchema, UtcDateTime

NOT_NEGATIVE = validate.Range(min=0)


class IPAddressText(fields.String):
    """An IPv4 or IPv6 address, kept in its normal written form."""

    def _deserialize(self, value: Any, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(ipaddress.ip_address(text.strip()))
        except ValueError:
            raise ValidationError("Not an IPv4 or IPv6 address.") from None


class ServiceChangeSchema(Schema):
    plan_id = fields.Integer(
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "Another plan of the same kind offered to the customer's partner (the price stays)."},
    )
    description = fields.String(validate=validate.Length(1, 200))
    price = Amount(validate=NOT_NEGATIVE, metadata={"description": 'Per month and unit, e.g. "25.00".'})
    quantity = fields.Integer(strict=True, validate=validate.Range(1, 10_000))
    discount_percent = Amount(validate=validate.Range(0, 100), metadata={"description": '0 to 100, e.g. "12.50".'})
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True, metadata={"description": "Not before the start date; null: open-ended."})
    status = fields.String(
        validate=validate.OneOf(ServiceStatus.ALL),
        metadata={"description": "active ↔ paused; stopped is final."},
    )
    login = fields.String(
        allow_none=True, validate=LOGIN, metadata={"description": "Internet only: the network login (unique)."}
    )
    ip = IPAddressText(allow_none=True, metadata={"description": "Internet only: a fixed IPv4 or IPv6 address."})


class ServiceCreateSchema(ServiceChangeSchema):
    plan_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    description = fields.String(
        validate=validate.Length(1, 200), metadata={"description": "Defaults to the plan's name."}
    )
    price = Amount(validate=NOT_NEGATIVE, metadata={"description": "Defaults to the plan's price."})
    start_date = fields.Date(metadata={"description": "Defaults to today."})
    status = fields.String(validate=validate.OneOf([ServiceStatus.ACTIVE, ServiceStatus.PAUSED]))


class ServiceSchema(Schema):
    id = fields.Integer()
    revision = fields.Integer()
    customer_id = fields.Integer()
    plan_id = fields.Integer()
    plan_kind = fields.String(metadata={"enum": list(PlanKind.ALL)})
    plan_name = fields.String()
    description = fields.String()
    price = Amount()
    quantity = fields.Integer()
    discount_percent = Amount()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": list(ServiceStatus.ALL)})
    login = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)
    online = fields.Boolean(metadata={"description": "Whether the network reports an open session now."})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class ServicePageSchema(Schema):
    items = fields.List(fields.Nested(ServiceSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ServiceListQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(ServiceStatus.ALL))


class HardwareChangeSchema(Schema):
    product_name = fields.String(validate=validate.Length(1, 200))
    serial = fields.String(
        allow_none=True, validate=validate.Length(1, 120), metadata={"description": "Serial number or barcode."}
    )
    ownership = fields.String(validate=validate.OneOf(HardwareOwnership.ALL))
    status = fields.String(validate=validate.OneOf(HardwareStatus.ALL))
    price = Amount(
        allow_none=True,
        validate=NOT_NEGATIVE,
        metadata={"description": "Rented: per month; sold: once; assigned: none."},
    )
    assigned_date = fields.Date()


class HardwareCreateSchema(HardwareChangeSchema):
    product_name = fields.String(required=True, validate=validate.Length(1, 200))
    ownership = fields.String(required=True, validate=validate.OneOf(HardwareOwnership.ALL))
    assigned_date = fields.Date(metadata={"description": "Defaults to today."})


class HardwareSchema(HardwareCreateSchema):
    id = fields.Integer(dump_only=True)
    customer_id = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class HardwarePageSchema(Schema):
    items = fields.List(fields.Nested(HardwareSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
