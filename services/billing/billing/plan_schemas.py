"""What the plans API accepts and answers."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from billing.models import PlanKind, TrafficLimitType
from billing.money import InvalidAmount, parse_rate, rate_text
from billing.schemas import Amount, PageQuerySchema, StrictBoolean, UtcDateTime

SPEED = validate.Range(1, 100_000)
NOT_NEGATIVE = validate.Range(min=0)


class Rate(fields.String):
    """A rate as JSON carries it: a string with at most four places ("0.0150"); a JSON number is accepted too."""

    def _deserialize(self, value: Any, attr, data, **kwargs):
        try:
            return parse_rate(value)
        except InvalidAmount as error:
            raise ValidationError(str(error)) from None

    def _serialize(self, value: Any, attr, obj, **kwargs):
        return None if value is None else rate_text(value)


def _each_once(values: list[int]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Each partner may appear once.")


class TrafficLimitSchema(Schema):
    type = fields.String(
        required=True,
        validate=validate.OneOf(TrafficLimitType.ALL),
        metadata={"description": "`cap`: no traffic beyond the limit; `fup`: beyond it the speed drops."},
    )
    traffic_gb = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(1, 1_000_000),
        metadata={"description": "Traffic (in and out) per billing period, in GB of 10^9 bytes."},
    )
    reduced_download_mbps = fields.Integer(
        strict=True, validate=SPEED, metadata={"description": "FUP only: download speed beyond the limit."}
    )
    reduced_upload_mbps = fields.Integer(
        strict=True, validate=SPEED, metadata={"description": "FUP only: upload speed beyond the limit."}
    )


class InternetSettingsSchema(Schema):
    download_mbps = fields.Integer(required=True, strict=True, validate=SPEED)
    upload_mbps = fields.Integer(required=True, strict=True, validate=SPEED)
    limit = fields.Nested(TrafficLimitSchema, allow_none=True, load_default=None)


class VoiceSettingsSchema(Schema):
    included_minutes = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 1_000_000))
    per_minute_rate = Rate(
        required=True, validate=NOT_NEGATIVE, metadata={"description": 'Beyond the included minutes, e.g. "0.0150".'}
    )


class PlanChangeSchema(Schema):
    name = fields.String(validate=validate.Length(1, 120))
    price = Amount(validate=NOT_NEGATIVE, metadata={"description": 'Per month, e.g. "25.00".'})
    partner_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        validate=[validate.Length(max=100), _each_once],
        metadata={"description": "The partners offering the plan; empty: every partner."},
    )
    self_service = StrictBoolean(metadata={"description": "Offered to customers in the portal's Order new products."})
    requires_approval = StrictBoolean(metadata={"description": "Customers' orders wait for an operator."})
    internet = fields.Nested(
        InternetSettingsSchema, allow_none=True, metadata={"description": "Internet plans only (replaced as a whole)."}
    )
    voice = fields.Nested(
        VoiceSettingsSchema, allow_none=True, metadata={"description": "Voice plans only (replaced as a whole)."}
    )


class PlanCreateSchema(PlanChangeSchema):
    kind = fields.String(required=True, validate=validate.OneOf(PlanKind.ALL), metadata={"description": "Fixed."})
    name = fields.String(required=True, validate=validate.Length(1, 120))
    price = Amount(required=True, validate=NOT_NEGATIVE, metadata={"description": 'Per month, e.g. "25.00".'})


class PlanSchema(PlanCreateSchema):
    id = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class PlanPageSchema(Schema):
    items = fields.List(fields.Nested(PlanSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class PlanListQuerySchema(PageQuerySchema):
    kind = fields.String(validate=validate.OneOf(PlanKind.ALL))
    partner_id = fields.Integer(
        validate=validate.Range(min=1), metadata={"description": "Only plans offered to this partner."}
    )
    self_service = fields.Boolean()
