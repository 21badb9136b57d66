"""What ticketing's API answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from marshmallow import Schema, fields


class CustomerSchema(Schema):
    """The public part of the customer replica (never its revision or timestamps)."""

    id = fields.Integer(dump_only=True)
    login = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    partner_id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
