"""The shape of the portal config (seed 000's `Config → Main → Portal`), section by section.

Loaded with `partial=True` for what operators store (any subset of sections and fields),
and whole for the effective config, which must be complete. Unknown keys are refused.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

MODULES = ("dashboard", "services", "finance", "messages", "news", "tickets", "documents", "profile", "about")
DASHBOARD_SECTIONS = (
    "balance",
    "unpaid_invoices",
    "services",
    "tickets",
    "cap_fup",
    "live_bandwidth",
    "news",
    "messages",
    "payment_due",
    "account_suspension",
)
PROFILE_FIELDS = ("full_name", "emails", "billing_emails", "phones", "street", "zip_code", "city")
FIELD_ACCESS = ("editable", "read_only", "hidden")
TICKET_COLUMNS = ("id", "subject", "priority", "status", "group", "type", "assigned_to", "created", "updated")
PAYMENT_METHOD = validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$", error="Use 1-32 lower-case letters, digits or '_'.")
# A relative path on the portal, or an https URL: never javascript:, data: or protocol-relative.
SHORTCUT_URL = validate.Regexp(
    r"^(/(?!/)[^\s]*|https://[^\s/]+(/[^\s]*)?)$", error="Use a path like /tickets or an https:// URL."
)


class StrictBoolean(fields.Boolean):
    """A JSON boolean only (marshmallow would take "yes", "on" or 1 for true)."""

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def _unique(values: list) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Each value may appear only once.")


def _switches(names: tuple[str, ...]) -> dict[str, fields.Field]:
    return {name: StrictBoolean(required=True) for name in names}


class MainSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(1, 120))
    about = fields.String(required=True, validate=validate.Length(max=5000))
    contact = fields.String(required=True, validate=validate.Length(max=2000))
    support_email = fields.Email(required=True, allow_none=True, validate=validate.Length(max=254))
    support_phone = fields.String(
        required=True, allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()-]{5,32}$", error="Not a phone number.")
    )


MenuSchema = Schema.from_dict(_switches(MODULES), name="PortalMenu")


class ShortcutButtonSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(1, 60))
    url = fields.String(required=True, validate=[validate.Length(max=500), SHORTCUT_URL])


class DashboardSchema(Schema.from_dict(_switches(DASHBOARD_SECTIONS), name="PortalDashboardSections")):
    shortcut_buttons = fields.List(fields.Nested(ShortcutButtonSchema), required=True, validate=validate.Length(max=12))


ProfileSchema = Schema.from_dict(
    {name: fields.String(required=True, validate=validate.OneOf(FIELD_ACCESS)) for name in PROFILE_FIELDS},
    name="PortalProfile",
)


class ServicesSchema(Schema):
    allow_order_new_products = StrictBoolean(required=True)
    allow_plan_change = StrictBoolean(required=True)


class TicketsSchema(Schema):
    columns = fields.List(
        fields.String(validate=validate.OneOf(TICKET_COLUMNS)), required=True, validate=validate.Length(min=1)
    )
    allow_attachments = StrictBoolean(required=True)

    @validates("columns")
    def _columns_once(self, value: list, **_kwargs) -> None:
        _unique(value)


class FinanceSchema(Schema):
    payment_methods = fields.List(
        fields.String(validate=PAYMENT_METHOD), required=True, validate=validate.Length(max=20)
    )

    @validates("payment_methods")
    def _methods_once(self, value: list, **_kwargs) -> None:
        _unique(value)


class DocumentsSchema(Schema):
    allow_customer_upload = StrictBoolean(required=True)


class SecuritySchema(Schema):
    require_two_factor = StrictBoolean(required=True)


class RestrictedAccessSchema(Schema):
    """What Blocked and Inactive customers still see (they can always sign in and change the password)."""

    modules = fields.List(fields.String(validate=validate.OneOf(MODULES)), required=True)

    @validates("modules")
    def _modules_once(self, value: list, **_kwargs) -> None:
        _unique(value)


class PortalConfigSchema(Schema):
    main = fields.Nested(MainSchema, required=True)
    menu = fields.Nested(MenuSchema, required=True)
    dashboard = fields.Nested(DashboardSchema, required=True)
    profile = fields.Nested(ProfileSchema, required=True)
    services = fields.Nested(ServicesSchema, required=True)
    tickets = fields.Nested(TicketsSchema, required=True)
    finance = fields.Nested(FinanceSchema, required=True)
    documents = fields.Nested(DocumentsSchema, required=True)
    security = fields.Nested(SecuritySchema, required=True)
    restricted_access = fields.Nested(RestrictedAccessSchema, required=True)
