"""What notifications' API accepts and answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from datetime import UTC
from email.utils import parseaddr

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from notifications.catalogue import Category
from notifications.models import Channel, DeliveryStatus
from notifications.news import NewsState
from notifications.operator_messages import MessageChannel, WelcomeChannel

EMAIL = fields.Email(validate=validate.Length(max=254))
LIMIT = fields.Integer(load_default=20, validate=validate.Range(1, 100))
CURSOR = fields.String(
    validate=validate.Length(max=512), metadata={"description": "`next_cursor` of the previous page."}
)
NEXT_CURSOR = fields.String(
    dump_only=True, allow_none=True, metadata={"description": "Pass as `cursor` for the next page; null at the end."}
)


class ChangeSchema(Schema):
    """A partial update: at least one field."""

    @validates_schema
    def _at_least_one(self, data: dict, **_kwargs) -> None:
        if not data:
            raise ValidationError("Send at least one field to change.", "_schema")


# -- portal messages ---------------------------------------------------------------------
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


# -- deliveries --------------------------------------------------------------------------
class DeliverySchema(Schema):
    id = fields.Integer(dump_only=True)
    customer_id = fields.Integer(dump_only=True, allow_none=True)
    channel = fields.String(dump_only=True, metadata={"description": "email or sms."})
    recipient = fields.String(dump_only=True, metadata={"description": "The address, or the number in E.164."})
    cc = fields.List(fields.String(), dump_only=True)
    template = fields.String(dump_only=True)
    subject = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"description": "queued, sent or failed."})
    attempts = fields.Integer(dump_only=True)
    last_error = fields.String(dump_only=True, allow_none=True)
    provider_id = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "The email's Message-ID or the SMS gateway's id."}
    )
    event_id = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    next_attempt_at = fields.DateTime(dump_only=True)
    sent_at = fields.DateTime(dump_only=True, allow_none=True)


class DeliveryListArgsSchema(Schema):
    customer_id = fields.Integer(validate=validate.Range(min=1))
    status = fields.String(validate=validate.OneOf(DeliveryStatus.ALL))
    channel = fields.String(validate=validate.OneOf(Channel.ALL))
    limit = LIMIT
    cursor = CURSOR


class DeliveryPageSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema), dump_only=True)
    next_cursor = NEXT_CURSOR


# -- operator actions --------------------------------------------------------------------
class CreateMessageSchema(Schema):
    channel = fields.String(
        required=True,
        validate=validate.OneOf(MessageChannel.ALL),
        metadata={"description": "email, portal (a portal message), portal_email (both) or sms."},
    )
    subject = fields.String(validate=validate.Length(min=1, max=200), metadata={"description": "Free text's subject."})
    body = fields.String(validate=validate.Length(min=1, max=10_000), metadata={"description": "Free text."})
    template = fields.String(
        validate=validate.Length(min=1, max=64), metadata={"description": "A template instead of free text."}
    )
    variables = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)),
        metadata={"description": "The template's own variables (the customer's are filled in)."},
    )
    cc = fields.List(EMAIL, validate=validate.Length(max=10), metadata={"description": "Copies of the email."})
    category = fields.String(
        load_default=Category.SERVICE,
        validate=validate.OneOf((Category.SERVICE, Category.MARKETING)),
        metadata={"description": "marketing: not emailed to customers who opted out of marketing."},
    )


class SentSchema(Schema):
    message = fields.Nested(MessageSchema, dump_only=True, allow_none=True)
    deliveries = fields.List(fields.Nested(DeliverySchema), dump_only=True)


class WelcomeAgainSchema(Schema):
    channel = fields.String(
        required=True, validate=validate.OneOf(WelcomeChannel.ALL), metadata={"description": "email, sms or email_sms."}
    )


class IdempotencyHeaderSchema(Schema):
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        metadata={
            "description": "Send the request again with the same key to get its first answer, not a second message."
        },
    )


# -- preferences -------------------------------------------------------------------------
class PreferencesSchema(ChangeSchema):
    news_emails = fields.Boolean(metadata={"description": "News by email (off: opted out)."})
    marketing_emails = fields.Boolean(metadata={"description": "Marketing by email (off: opted out)."})
    mandatory = fields.List(
        fields.String(),
        dump_only=True,
        metadata={"description": "Categories that always go, whatever the preferences."},
    )


# -- news --------------------------------------------------------------------------------
class NewsSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    body = fields.String(required=True, validate=validate.Length(min=1, max=20_000))
    publish_at = fields.AwareDateTime(
        default_timezone=UTC, metadata={"description": "When customers start seeing it; now if absent."}
    )
    expires_at = fields.AwareDateTime(
        default_timezone=UTC, allow_none=True, metadata={"description": "When it stops being shown; null: never."}
    )
    partner_ids = fields.List(
        fields.Integer(validate=validate.Range(min=1)),
        validate=validate.Length(max=100),
        metadata={"description": "The partners whose customers see it; empty: every customer."},
    )
    send_email = fields.Boolean(
        metadata={"description": "Also email it, when published, to those customers who take news emails."}
    )
    emailed_at = fields.DateTime(dump_only=True, allow_none=True)
    state = fields.String(dump_only=True, metadata={"description": "scheduled, published or expired."})
    created_by = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class NewsUpdateSchema(NewsSchema, ChangeSchema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    body = fields.String(validate=validate.Length(min=1, max=20_000))


class NewsListArgsSchema(Schema):
    state = fields.String(validate=validate.OneOf(NewsState.ALL))
    partner_id = fields.Integer(validate=validate.Range(min=1))
    limit = LIMIT
    cursor = CURSOR


class NewsPageSchema(Schema):
    items = fields.List(fields.Nested(NewsSchema), dump_only=True)
    next_cursor = NEXT_CURSOR


class CustomerNewsSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    published_at = fields.DateTime(dump_only=True, attribute="publish_at")
    expires_at = fields.DateTime(dump_only=True, allow_none=True)


class CustomerNewsArgsSchema(Schema):
    limit = LIMIT
    cursor = CURSOR


class CustomerNewsPageSchema(Schema):
    items = fields.List(fields.Nested(CustomerNewsSchema), dump_only=True)
    next_cursor = NEXT_CURSOR


# -- templates ---------------------------------------------------------------------------
class TemplateSummarySchema(Schema):
    key = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    category = fields.String(dump_only=True, metadata={"description": "security, billing, service, news or marketing."})
    event_type = fields.String(dump_only=True, allow_none=True)
    channels = fields.List(fields.String(), dump_only=True, metadata={"description": "email, sms, portal."})
    variables = fields.List(fields.String(), dump_only=True, metadata={"description": "What the template sees."})
    custom_channels = fields.List(
        fields.String(),
        dump_only=True,
        metadata={"description": "Channels the partner asked about has its own text on."},
    )


class TemplateListArgsSchema(Schema):
    partner_id = fields.Integer(validate=validate.Range(min=1))


class TemplateListSchema(Schema):
    items = fields.List(fields.Nested(TemplateSummarySchema), dump_only=True)


class TemplateSchema(Schema):
    key = fields.String(dump_only=True)
    channel = fields.String(dump_only=True)
    partner_id = fields.Integer(dump_only=True, allow_none=True)
    custom = fields.Boolean(dump_only=True, metadata={"description": "The partner's own text (else the built-in one)."})
    subject = fields.String(
        allow_none=True,
        validate=validate.Length(max=2_000),
        metadata={"description": "Email subject or portal message title (Jinja); none for SMS."},
    )
    text = fields.String(
        required=True, validate=validate.Length(min=1, max=100_000), metadata={"description": "Text body (Jinja)."}
    )
    html = fields.String(
        allow_none=True,
        validate=validate.Length(max=100_000),
        metadata={"description": "Email HTML (Jinja, autoescaped; may extend `_layout.html`); email only."},
    )
    updated_by = fields.String(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)


class TemplatePreviewSchema(Schema):
    partner_id = fields.Integer(
        validate=validate.Range(min=1), metadata={"description": "Preview the partner's text (else the built-in)."}
    )
    subject = fields.String(allow_none=True, validate=validate.Length(max=2_000))
    text = fields.String(
        validate=validate.Length(min=1, max=100_000),
        metadata={"description": "A draft to preview (with `subject` and `html`); absent: the text in use."},
    )
    html = fields.String(allow_none=True, validate=validate.Length(max=100_000))
    data = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)),
        metadata={"description": "Variables laid over the template's sample data."},
    )


class RenderedSchema(Schema):
    subject = fields.String(dump_only=True, allow_none=True)
    text = fields.String(dump_only=True)
    html = fields.String(dump_only=True, allow_none=True)


# -- partners' senders -------------------------------------------------------------------
class PartnerSenderSchema(Schema):
    partner_id = fields.Integer(dump_only=True)
    mail_from = fields.String(
        required=True,
        validate=validate.Length(min=3, max=320),
        metadata={"description": "The From of the partner's emails: `Name <address>` or an address."},
    )
    reply_to = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    updated_by = fields.String(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates("mail_from")
    def _mail_from(self, value: str, **_kwargs) -> None:
        _name, address = parseaddr(value)
        if "\n" in value or "\r" in value or not address or "@" not in address:
            raise ValidationError("Not an email address (`Name <address>` or `address`).")
        validate.Email()(address)
