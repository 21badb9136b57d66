"""What the usage and voice statistics APIs accept and answer."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from billing.models import TrafficLimitType
from billing.periods import parse_period
from billing.plan_schemas import Rate
from billing.schemas import UtcDateTime

MAX_DAYS = 366


def _a_period(value: str) -> None:
    try:
        parse_period(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class CounterSchema(Schema):
    service_id = fields.Integer()
    description = fields.String()
    period = fields.String(metadata={"example": "2026-11"})
    period_start = fields.Date()
    period_end = fields.Date()
    limit_type = fields.String(allow_none=True, metadata={"enum": [*TrafficLimitType.ALL, None]})
    limit_bytes = fields.Integer(allow_none=True, metadata={"description": "Null: the plan has no CAP/FUP limit."})
    used_bytes = fields.Integer(metadata={"description": "Traffic in and out in the period."})
    bonus_bytes = fields.Integer(metadata={"description": "Extra traffic beyond the limit given for the period."})
    bonus_used_bytes = fields.Integer(metadata={"description": "How much of the bonus is used."})
    used_percent = fields.Float(allow_none=True, metadata={"description": "Used vs the limit, one decimal."})
    exceeded = fields.Boolean(metadata={"description": "Beyond the limit and the bonus (CAP: stopped, FUP: slowed)."})
    download_mbps = fields.Integer(allow_none=True, metadata={"description": "Speed now (reduced beyond a FUP)."})
    upload_mbps = fields.Integer(allow_none=True)


class PeriodQuerySchema(Schema):
    period = fields.String(validate=_a_period, metadata={"description": "YYYY-MM; the current month if left out."})


class BonusSchema(Schema):
    period = fields.String(validate=_a_period, metadata={"description": "YYYY-MM; the current month if left out."})
    bonus_gb = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, 1_000_000),
        metadata={"description": "Traffic beyond the limit for the period, in GB (replaces any given before)."},
    )


class DayRangeQuerySchema(Schema):
    first = fields.Date(required=True, data_key="from", metadata={"description": "The first day (UTC)."})
    last = fields.Date(
        required=True, data_key="to", metadata={"description": f"The last day; at most {MAX_DAYS} days."}
    )

    @validates_schema
    def _a_range(self, data, **_kwargs):
        if data["last"] < data["first"]:
            raise ValidationError("Must not be before `from`.", "to")
        if (data["last"] - data["first"]).days >= MAX_DAYS:
            raise ValidationError(f"At most {MAX_DAYS} days at a time.", "to")


class MinutesQuerySchema(Schema):
    minutes = fields.Integer(
        load_default=60, validate=validate.Range(5, 1440), metadata={"description": "How many minutes, 5 to 1440."}
    )


class TrafficDaySchema(Schema):
    day = fields.Date()
    bytes_in = fields.Integer()
    bytes_out = fields.Integer()


class TrafficMinuteSchema(Schema):
    minute = UtcDateTime(metadata={"description": "The minute's start, UTC."})
    bytes_in = fields.Integer()
    bytes_out = fields.Integer()


class VoiceDaySchema(Schema):
    day = fields.Date()
    calls = fields.Integer()
    seconds = fields.Integer()
    minutes = fields.Integer(metadata={"description": "Each call rounded up to a whole minute."})
    cost = Rate()
