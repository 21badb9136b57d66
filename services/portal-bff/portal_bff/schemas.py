"""What the portal-bff's API accepts and answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from portal_bff.portal_config_schema import MODULES, PortalConfigSchema, StrictBoolean
from portal_bff.sign_in_history import Outcome


class SetPasswordSchema(Schema):
    # Shape only; what makes a password acceptable is the policy in passwords.py.
    token = fields.String(required=True, validate=validate.Length(1, 256))
    password = fields.String(required=True)


class SignInSchema(Schema):
    login = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, validate=validate.Length(1, 1024))
    totp = fields.String(validate=validate.Length(1, 16), metadata={"description": "The 6-digit code of the app."})
    recovery_code = fields.String(
        validate=validate.Length(1, 32), metadata={"description": "One of the recovery codes, instead of `totp`."}
    )
    delivery = fields.String(
        load_default="cookie",
        validate=validate.OneOf(["cookie", "bearer"]),
        metadata={
            "description": "`cookie` (browsers): the session is set as an HttpOnly cookie. "
            "`bearer` (apps): the answer carries `token`, sent back as `Authorization: Bearer <token>`."
        },
    )


class ImpersonatorSchema(Schema):
    operator = fields.String(required=True)
    write_access = fields.Boolean(required=True)


class SessionSchema(Schema):
    id = fields.String(required=True)
    customer_id = fields.Integer(required=True)
    login = fields.String(required=True)
    customer_status = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    last_seen_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True, metadata={"description": "The absolute end of the session."})
    idle_expires_at = fields.DateTime(required=True, metadata={"description": "The end if nothing happens before."})
    csrf_token = fields.String(
        required=True, metadata={"description": "Send as `X-CSRF-Token` on unsafe requests made with the cookie."}
    )
    restrictions = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Steps owed before anything else: `change_password`, `enrol_two_factor`."},
    )
    impersonation = fields.Nested(ImpersonatorSchema, allow_none=True, required=True)
    token = fields.String(metadata={"description": "Only when signing in with `delivery: bearer`."})


class SessionListItemSchema(Schema):
    id = fields.String(required=True)
    device = fields.String(required=True)
    ip = fields.String(required=True)
    user_agent = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    last_seen_at = fields.DateTime(required=True)
    current = fields.Boolean(required=True)
    impersonated_by = fields.String(allow_none=True, required=True)


class SessionListSchema(Schema):
    items = fields.List(fields.Nested(SessionListItemSchema), required=True)


class SessionsEndedSchema(Schema):
    ended = fields.Integer(required=True)


class HistoryQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(validate=validate.Regexp(r"^[0-9]{1,18}$"))


class HistoryItemSchema(Schema):
    at = fields.DateTime(required=True)
    ip = fields.String(required=True)
    user_agent = fields.String(required=True)
    device = fields.String(required=True)
    outcome = fields.String(
        required=True,
        validate=validate.OneOf(
            [
                Outcome.SUCCESS,
                Outcome.WRONG_PASSWORD,
                Outcome.TWO_FACTOR_REQUIRED,
                Outcome.WRONG_TWO_FACTOR_CODE,
                Outcome.LOCKED,
                Outcome.IMPERSONATION,
            ]
        ),
    )
    impersonated_by = fields.String(allow_none=True, required=True)


class HistoryPageSchema(Schema):
    items = fields.List(fields.Nested(HistoryItemSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class PasswordChangeSchema(Schema):
    current = fields.String(required=True, validate=validate.Length(1, 1024))
    new = fields.String(required=True)


class PasswordResetRequestSchema(Schema):
    login = fields.String(validate=validate.Length(1, 64))
    email = fields.String(validate=validate.Length(3, 254))

    @validates_schema
    def _one_of_login_or_email(self, data, **_kwargs) -> None:
        if ("login" in data) == ("email" in data):
            raise ValidationError("Give either `login` or `email`.", "_schema")


class PasswordResetAcceptedSchema(Schema):
    message = fields.String(required=True)


class TwoFactorStatusSchema(Schema):
    enabled = fields.Boolean(required=True)
    pending = fields.Boolean(required=True, metadata={"description": "Enrolment started, not yet confirmed."})
    required = fields.Boolean(required=True, metadata={"description": "The provider requires two-factor sign-in."})
    confirmed_at = fields.DateTime(allow_none=True, required=True)
    recovery_codes_left = fields.Integer(required=True)


class TwoFactorEnrolmentSchema(Schema):
    secret = fields.String(required=True, metadata={"description": "Base32, for apps that cannot scan."})
    otpauth_uri = fields.String(required=True)
    qr_svg = fields.String(required=True, metadata={"description": "The otpauth URI as a QR code (inline SVG)."})


class TwoFactorCodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(1, 32))


class RecoveryCodesSchema(Schema):
    recovery_codes = fields.List(
        fields.String(), required=True, metadata={"description": "Shown this once; each works once."}
    )


class TwoFactorDisableSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(1, 1024))
    code = fields.String(required=True, validate=validate.Length(1, 32))


class ImpersonationRequestSchema(Schema):
    write = StrictBoolean(required=True, metadata={"description": "Let the session change things (else read-only)."})
    reason = fields.String(required=True, validate=validate.Length(3, 500))


class ImpersonationSchema(Schema):
    id = fields.Integer(required=True)
    customer_id = fields.Integer(required=True)
    operator = fields.String(required=True)
    write_access = fields.Boolean(required=True)
    reason = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)
    opened_at = fields.DateTime(allow_none=True, required=True)
    opened_ip = fields.String(allow_none=True, required=True)


class ImpersonationLinkSchema(ImpersonationSchema):
    url = fields.String(required=True, metadata={"description": "Open once, within minutes; it signs the browser in."})


class ImpersonationListSchema(Schema):
    items = fields.List(fields.Nested(ImpersonationSchema), required=True)


class PortalConfigOverrideSchema(PortalConfigSchema):
    """What operators store at one level: any subset of the sections, and of the fields in each."""


class PortalConfigDocumentSchema(Schema):
    override = fields.Dict(
        required=True, metadata={"description": "What operators stored at this level (any subset of the sections)."}
    )
    effective = fields.Nested(PortalConfigSchema, required=True)
    updated_at = fields.DateTime(allow_none=True, required=True)
    updated_by = fields.String(allow_none=True, required=True)


class MenuSchema(Schema):
    modules = fields.List(fields.String(validate=validate.OneOf(MODULES)), required=True)


class AboutSchema(Schema):
    title = fields.String(required=True)
    about = fields.String(required=True)
    contact = fields.String(required=True)
    support_email = fields.String(allow_none=True, required=True)
    support_phone = fields.String(allow_none=True, required=True)
