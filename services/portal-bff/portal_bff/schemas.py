"""What the portal-bff's API accepts and answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class SetPasswordSchema(Schema):
    # Shape only; what makes a password acceptable is the policy in passwords.py.
    token = fields.String(required=True, validate=validate.Length(1, 256))
    password = fields.String(required=True)
