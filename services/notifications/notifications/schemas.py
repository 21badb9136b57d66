"""What notifications' API accepts and answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class MessageSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    read = fields.Boolean(dump_only=True)
    read_at = fields.DateTime(dump_only=True, allow_none=True)


class MessageListArgsSchema(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    cursor = fields.Integer(
        validate=validate.Range(min=1), metadata={"description": "`next_cursor` of the previous page."}
    )


class MessagePageSchema(Schema):
    items = fields.List(fields.Nested(MessageSchema), dump_only=True)
    next_cursor = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )


class UnreadCountSchema(Schema):
    unread = fields.Integer(dump_only=True)
