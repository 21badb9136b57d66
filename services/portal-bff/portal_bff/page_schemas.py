"""The page models the portal's pages are rendered from, as the JSON API answers them.

These schemas are also the field policy: an upstream's answer reaches the customer only
through them, and only the fields declared here pass (internal ids, revisions, hashes of
other systems, notes and anything an upstream adds later stay out). What the portal
config hides (sections, modules, ticket columns, profile fields) is left out before, in
`visibility.py`; a hidden field is absent, never null.

Every section of a page is `{"status": "ok", ...}` or, when its upstream is down or slow,
`{"status": "unavailable"}` alone. Dates and amounts are passed on as the upstreams write
them: ISO 8601 strings, and decimal strings ("12.50").
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema as MarshmallowSchema
from marshmallow import fields, missing, validate


class Schema(MarshmallowSchema):
    """Dumps dicts by key only: a key that is absent stays absent (marshmallow would fall back to
    the dict's attributes, and a section without `items` would dump `dict.items`)."""

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if isinstance(obj, dict):
            return obj.get(attr, missing)
        return super().get_attribute(obj, attr, default)


DATE = {"format": "date"}
TIME = {"format": "date-time"}
AMOUNT = {"description": 'A decimal string ("12.50").'}


def _status() -> fields.String:
    return fields.String(
        required=True,
        validate=validate.OneOf(["ok", "unavailable"]),
        metadata={
            "description": "`unavailable`: the service behind this section is down or slow; nothing else is set."
        },
    )


def _cursor() -> fields.String:
    return fields.String(
        allow_none=True, metadata={"description": "Pass as `cursor` for the next page; null at the end."}
    )


# -- services -----------------------------------------------------------------------------
class ServiceItemSchema(Schema):
    id = fields.Integer()
    description = fields.String()
    plan_name = fields.String()
    plan_kind = fields.String(metadata={"enum": ["internet", "voice", "custom"]})
    price = fields.String(metadata=AMOUNT)
    quantity = fields.Integer()
    discount_percent = fields.String()
    start_date = fields.String(metadata=DATE)
    end_date = fields.String(allow_none=True, metadata=DATE)
    status = fields.String(metadata={"enum": ["active", "paused", "stopped"]})
    online = fields.Boolean()
    display_status = fields.String(
        metadata={"description": "What the portal shows: `online` (active with a session now), else the status."}
    )
    login = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)


class HardwareItemSchema(Schema):
    id = fields.Integer()
    product_name = fields.String()
    serial = fields.String(allow_none=True)
    ownership = fields.String()
    status = fields.String()
    price = fields.String(allow_none=True, metadata=AMOUNT)
    assigned_date = fields.String(metadata=DATE)


class CounterSchema(Schema):
    service_id = fields.Integer()
    description = fields.String()
    period = fields.String()
    period_start = fields.String(metadata=DATE)
    period_end = fields.String(metadata=DATE)
    limit_type = fields.String(allow_none=True, metadata={"enum": ["cap", "fup", None]})
    limit_bytes = fields.Integer(allow_none=True)
    used_bytes = fields.Integer()
    bonus_bytes = fields.Integer()
    bonus_used_bytes = fields.Integer()
    used_percent = fields.Float(allow_none=True)
    exceeded = fields.Boolean()
    download_mbps = fields.Integer(allow_none=True)
    upload_mbps = fields.Integer(allow_none=True)


class ServiceListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(ServiceItemSchema))
    next_cursor = _cursor()


class HardwareSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(HardwareItemSchema))
    next_cursor = _cursor()


class CountersSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(CounterSchema))


class ServicesPageSchema(Schema):
    services = fields.Nested(ServiceListSectionSchema, required=True)
    hardware = fields.Nested(HardwareSectionSchema, required=True)


class ServiceSectionSchema(Schema):
    status = _status()
    item = fields.Nested(ServiceItemSchema)


class ServicePageSchema(Schema):
    service = fields.Nested(ServiceSectionSchema, required=True)


class CountersPageSchema(Schema):
    """One service and its CAP/FUP counters this period (the statistics page's Traffic limits)."""

    service = fields.Nested(ServiceSectionSchema, required=True)
    counters = fields.Nested(CountersSectionSchema, required=True)


class TrafficDaySchema(Schema):
    day = fields.String(metadata=DATE)
    bytes_in = fields.Integer()
    bytes_out = fields.Integer()


class TrafficMinuteSchema(Schema):
    minute = fields.String(metadata=TIME)
    bytes_in = fields.Integer()
    bytes_out = fields.Integer()


class VoiceDaySchema(Schema):
    day = fields.String(metadata=DATE)
    calls = fields.Integer()
    seconds = fields.Integer()
    minutes = fields.Integer()
    cost = fields.String(metadata=AMOUNT)


class UsageSectionSchema(Schema):
    status = _status()
    kind = fields.String(metadata={"enum": ["daily", "minutes", "voice_daily"]})
    days = fields.List(fields.Nested(TrafficDaySchema))
    minutes = fields.List(fields.Nested(TrafficMinuteSchema))
    calls = fields.List(fields.Nested(VoiceDaySchema))


class UsagePageSchema(Schema):
    usage = fields.Nested(UsageSectionSchema, required=True)


class TrafficLimitSchema(Schema):
    type = fields.String(metadata={"enum": ["cap", "fup"]})
    traffic_gb = fields.Integer()
    reduced_download_mbps = fields.Integer(metadata={"description": "FUP: the download speed beyond the limit."})
    reduced_upload_mbps = fields.Integer()


class InternetOfferSchema(Schema):
    download_mbps = fields.Integer()
    upload_mbps = fields.Integer()
    limit = fields.Nested(TrafficLimitSchema, allow_none=True)


class VoiceOfferSchema(Schema):
    included_minutes = fields.Integer()
    per_minute_rate = fields.String(metadata={"description": 'Beyond the included minutes ("0.0150").'})


class OfferSchema(Schema):
    id = fields.Integer(metadata={"description": "The plan: what an order or a plan change names (`plan_id`)."})
    kind = fields.String(metadata={"enum": ["internet", "voice", "custom"]})
    name = fields.String()
    price = fields.String(metadata={"description": "Per month, before tax."})
    currency = fields.String()
    tax_rate = fields.String()
    price_with_tax = fields.String(metadata=AMOUNT)
    requires_approval = fields.Boolean(metadata={"description": "Orders wait for our approval."})
    internet = fields.Nested(InternetOfferSchema, allow_none=True)
    voice = fields.Nested(VoiceOfferSchema, allow_none=True)


class OfferListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(OfferSchema))


class OffersPageSchema(Schema):
    offers = fields.Nested(OfferListSectionSchema, required=True)


class QuotePlanSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class CycleSchema(Schema):
    start = fields.String(metadata=DATE)
    end = fields.String(metadata=DATE)
    days = fields.Integer()


class FiguresSchema(Schema):
    net_amount = fields.String(metadata=AMOUNT)
    tax_amount = fields.String(metadata=AMOUNT)
    total = fields.String(metadata=AMOUNT)


class PeriodFiguresSchema(FiguresSchema):
    period_start = fields.String(metadata=DATE)
    period_end = fields.String(metadata=DATE)
    days = fields.Integer()


class QuoteSchema(Schema):
    """What an order or a plan change costs, before it is confirmed."""

    plan = fields.Nested(QuotePlanSchema)
    quantity = fields.Integer()
    currency = fields.String()
    unit_price = fields.String(metadata={"description": "Per month and unit, before tax."})
    tax_rate = fields.String()
    effective_date = fields.String(metadata={"format": "date", "description": "The first day of the new plan."})
    billing = fields.String(metadata={"enum": ["next_invoice", "daily"]})
    cycle = fields.Nested(CycleSchema, metadata={"description": "The billing cycle holding the effective date."})
    rest_of_cycle = fields.Nested(PeriodFiguresSchema, metadata={"description": "The new plan to the cycle's end."})
    credit = fields.Nested(
        PeriodFiguresSchema, allow_none=True, metadata={"description": "Plan change: the old plan's days credited."}
    )
    total_now = fields.String(metadata={"description": "The rest of the cycle less any credit, tax included."})
    monthly = fields.Nested(FiguresSchema, metadata={"description": "A whole month from then on."})
    monthly_before = fields.Nested(FiguresSchema, allow_none=True, metadata={"description": "Plan change: until now."})
    next_invoice_on = fields.String(allow_none=True, metadata=DATE)
    daily_cost = fields.String(allow_none=True, metadata={"description": "Prepaid: what a day costs, tax included."})
    requires_approval = fields.Boolean()


class OrderSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["new_service", "plan_change"]})
    status = fields.String(
        metadata={
            "enum": ["pending", "approved", "rejected", "completed"],
            "description": "`completed`: done at once; `pending`: it waits for our approval.",
        }
    )
    plan_id = fields.Integer()
    quantity = fields.Integer()
    start_date = fields.String(metadata=DATE)
    service_id = fields.Integer(allow_none=True, metadata={"description": "Plan change: the service changed."})
    new_service_id = fields.Integer(allow_none=True, metadata={"description": "The service the order created."})
    quote = fields.Nested(QuoteSchema, metadata={"description": "The figures confirmed."})
    requested_at = fields.String(metadata=TIME)
    completed_at = fields.String(allow_none=True, metadata=TIME)


# -- tickets ------------------------------------------------------------------------------
class TicketRowSchema(Schema):
    """The columns the partner's portal config shows (`columns`); `id` is always there as the row's key."""

    id = fields.Integer()
    subject = fields.String()
    priority = fields.String()
    status = fields.String()
    group = fields.String(allow_none=True)
    type = fields.String(allow_none=True)
    assigned_to = fields.String(allow_none=True)
    created_at = fields.String(metadata=TIME)
    updated_at = fields.String(metadata=TIME)


class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    created_at = fields.String(metadata=TIME)


class CommentSchema(Schema):
    id = fields.Integer()
    author_kind = fields.String(metadata={"enum": ["customer", "operator", "system"]})
    author = fields.String()
    body = fields.String()
    body_format = fields.String()
    created_at = fields.String(metadata=TIME)
    attachments = fields.List(fields.Nested(AttachmentSchema))


class TicketListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(TicketRowSchema))
    next_cursor = _cursor()


class TicketsPageSchema(Schema):
    columns = fields.List(fields.String(), required=True, metadata={"description": "The columns to show, in order."})
    allow_attachments = fields.Boolean(required=True)
    tickets = fields.Nested(TicketListSectionSchema, required=True)


class TicketDetailSchema(TicketRowSchema):
    closed = fields.Boolean(metadata={"description": "Whether the ticket is closed (no more replies)."})
    comments = fields.List(fields.Nested(CommentSchema), metadata={"description": "Public comments, oldest first."})


class TicketSectionSchema(Schema):
    status = _status()
    item = fields.Nested(TicketDetailSchema)


class TicketPageSchema(Schema):
    columns = fields.List(fields.String(), required=True)
    allow_attachments = fields.Boolean(required=True)
    ticket = fields.Nested(TicketSectionSchema, required=True)


# -- documents ----------------------------------------------------------------------------
class AcceptanceSchema(Schema):
    accepted_name = fields.String()
    accepted_at = fields.String(metadata=TIME)


class DocumentItemSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["document", "contract"]})
    category = fields.String(allow_none=True)
    title = fields.String()
    description = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String(metadata={"description": "Of the file shown: what accepting a contract names."})
    requires_acceptance = fields.Boolean()
    acceptance = fields.Nested(AcceptanceSchema, allow_none=True)
    own_upload = fields.Boolean()
    created_at = fields.String(metadata=TIME)


class ContractAcceptanceSchema(Schema):
    document_id = fields.Integer()
    accepted_name = fields.String()
    accepted_at = fields.String(metadata=TIME)
    sha256 = fields.String(metadata={"description": "Of the contract file accepted."})


class DocumentListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(DocumentItemSchema))
    next_cursor = _cursor()


class DocumentsPageSchema(Schema):
    documents = fields.Nested(DocumentListSectionSchema, required=True)


# -- finance ------------------------------------------------------------------------------
class MoneySchema(Schema):
    amount = fields.String(metadata=AMOUNT)
    sense = fields.String(metadata={"enum": ["owe", "overpaid", "settled"]})


class NextPaymentSchema(Schema):
    due_on = fields.String(metadata=DATE)
    days_left = fields.Integer()
    amount = fields.String(metadata=AMOUNT)


class SuspensionSchema(Schema):
    blocking_on = fields.String(metadata=DATE)
    days_left = fields.Integer()


class PrepaidSchema(Schema):
    daily_cost = fields.String(metadata=AMOUNT)
    remaining_days = fields.Integer(allow_none=True)


class InvoiceItemSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    document_type = fields.String(metadata={"enum": ["invoice", "credit_note", "proforma"]})
    status = fields.String(metadata={"enum": ["unpaid", "partially_paid", "paid", "overdue", "cancelled"]})
    currency = fields.String()
    issued_on = fields.String(metadata=DATE)
    due_on = fields.String(allow_none=True, metadata=DATE)
    period_start = fields.String(allow_none=True, metadata=DATE)
    period_end = fields.String(allow_none=True, metadata=DATE)
    net_total = fields.String(metadata=AMOUNT)
    tax_total = fields.String(metadata=AMOUNT)
    total = fields.String(metadata=AMOUNT)
    amount_paid = fields.String(metadata=AMOUNT)
    amount_due = fields.String(metadata=AMOUNT)
    paid_on = fields.String(allow_none=True, metadata=DATE)


class InvoiceLineSchema(Schema):
    position = fields.Integer()
    kind = fields.String()
    description = fields.String()
    quantity = fields.String()
    unit = fields.String(allow_none=True)
    unit_price = fields.String(metadata=AMOUNT)
    discount_amount = fields.String(metadata=AMOUNT)
    net_amount = fields.String(metadata=AMOUNT)
    tax_rate = fields.String()
    tax_amount = fields.String(metadata=AMOUNT)
    total = fields.String(metadata=AMOUNT)
    period_start = fields.String(allow_none=True, metadata=DATE)
    period_end = fields.String(allow_none=True, metadata=DATE)
    prorated = fields.Boolean()


class TaxSummarySchema(Schema):
    tax_rate = fields.String()
    net_amount = fields.String(metadata=AMOUNT)
    tax_amount = fields.String(metadata=AMOUNT)
    total = fields.String(metadata=AMOUNT)


class BilledCustomerSchema(Schema):
    full_name = fields.String()
    street = fields.String(allow_none=True)
    zip_code = fields.String(allow_none=True)
    city = fields.String(allow_none=True)


class InvoiceDetailSchema(InvoiceItemSchema):
    lines = fields.List(fields.Nested(InvoiceLineSchema))
    tax_summary = fields.List(fields.Nested(TaxSummarySchema))
    customer = fields.Nested(BilledCustomerSchema, metadata={"description": "Name and address as billed."})
    partner_tax_id = fields.String(allow_none=True)
    payment_reference = fields.String(allow_none=True)
    note = fields.String(allow_none=True, metadata={"description": "As printed on the invoice."})
    credited_invoice_id = fields.Integer(allow_none=True)
    issued_at = fields.String(metadata=TIME)


class InvoiceRefSchema(Schema):
    invoice_id = fields.Integer()
    number = fields.String()
    total = fields.String(metadata=AMOUNT)


class ExplainedChangeSchema(Schema):
    kind = fields.String(metadata={"enum": ["new", "removed", "price_changed", "proration", "usage", "tax"]})
    description = fields.String()
    net_amount = fields.String(metadata=AMOUNT)


class AllocationSchema(Schema):
    invoice_id = fields.Integer()
    invoice_number = fields.String()
    amount = fields.String(metadata=AMOUNT)


class PaymentItemSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    currency = fields.String()
    amount = fields.String(metadata=AMOUNT)
    method = fields.String()
    reference = fields.String(allow_none=True)
    received_on = fields.String(metadata=DATE)
    received_at = fields.String(metadata=TIME)
    refunded_amount = fields.String(metadata=AMOUNT)


class PaymentDetailSchema(PaymentItemSchema):
    allocations = fields.List(fields.Nested(AllocationSchema), metadata={"description": "The invoices it paid."})
    credit_amount = fields.String(metadata={"description": "What no invoice took: kept as credit."})


class InvoiceListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(InvoiceItemSchema))
    next_cursor = _cursor()


class PaymentListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(PaymentItemSchema))
    next_cursor = _cursor()


class FinancialDocumentItemSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["invoice", "credit_note", "proforma", "receipt"]})
    number = fields.String()
    version = fields.Integer()
    currency = fields.String()
    total = fields.String(metadata=AMOUNT)
    amount_due = fields.String(allow_none=True, metadata=AMOUNT)
    issued_on = fields.String(metadata=DATE)
    due_on = fields.String(allow_none=True, metadata=DATE)
    filename = fields.String()
    size = fields.Integer()


class FinancialDocumentListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(FinancialDocumentItemSchema))
    next_cursor = _cursor()


class SummarySectionSchema(Schema):
    status = _status()
    currency = fields.String()
    billing_type = fields.String(metadata={"enum": ["recurring", "prepaid"]})
    balance = fields.Nested(MoneySchema)
    total_due = fields.String(metadata=AMOUNT)
    unpaid_invoices = fields.Integer(metadata={"description": "How many invoices are not fully paid."})
    unpaid_proformas = fields.Integer()
    prepaid = fields.Nested(PrepaidSchema, allow_none=True)


class PaymentDueSectionSchema(Schema):
    status = _status()
    next_payment = fields.Nested(NextPaymentSchema, allow_none=True)


class SuspensionSectionSchema(Schema):
    status = _status()
    suspension = fields.Nested(SuspensionSchema, allow_none=True)


class InvoicesPageSchema(Schema):
    summary = fields.Nested(SummarySectionSchema, required=True)
    invoices = fields.Nested(InvoiceListSectionSchema, required=True)
    payment_methods = fields.List(fields.String(), required=True)


class InvoiceSectionSchema(Schema):
    status = _status()
    item = fields.Nested(InvoiceDetailSchema)


class ExplanationSectionSchema(Schema):
    """Why the invoice differs from the one before (the Info button)."""

    status = _status()
    previous = fields.Nested(InvoiceRefSchema, allow_none=True)
    difference = fields.String(allow_none=True, metadata={"description": "Total now minus before."})
    changes = fields.List(fields.Nested(ExplainedChangeSchema))


class InvoicePageSchema(Schema):
    invoice = fields.Nested(InvoiceSectionSchema, required=True)
    explanation = fields.Nested(ExplanationSectionSchema, required=True)


class ProformasPageSchema(Schema):
    proformas = fields.Nested(InvoiceListSectionSchema, required=True)


class PaymentsPageSchema(Schema):
    payments = fields.Nested(PaymentListSectionSchema, required=True)


class PaymentSectionSchema(Schema):
    status = _status()
    item = fields.Nested(PaymentDetailSchema)


class PaymentPageSchema(Schema):
    payment = fields.Nested(PaymentSectionSchema, required=True)


class FinancialDocumentsPageSchema(Schema):
    documents = fields.Nested(FinancialDocumentListSectionSchema, required=True)


class CheckoutSchema(Schema):
    """A payment opened at a gateway: send the customer to `url`; they come back to the portal after."""

    checkout_id = fields.Integer()
    gateway = fields.String()
    status = fields.String(metadata={"enum": ["pending", "paid", "failed"]})
    url = fields.String(allow_none=True, metadata={"description": "The gateway's payment page."})
    amount = fields.String(metadata=AMOUNT)
    currency = fields.String()
    invoice_ids = fields.List(fields.Integer(), metadata={"description": "The invoices it pays first."})
    description = fields.String()
    created_at = fields.String(metadata=TIME)


class PaymentAccountSchema(Schema):
    id = fields.Integer()
    gateway = fields.String()
    kind = fields.String(metadata={"enum": ["card", "bank_account"]})
    masked = fields.String(metadata={"example": "•••• 4242"})
    brand = fields.String(allow_none=True)
    last4 = fields.String()
    exp_month = fields.Integer(allow_none=True)
    exp_year = fields.Integer(allow_none=True)
    holder_name = fields.String(allow_none=True)
    is_default = fields.Boolean(metadata={"description": "The account autopay charges."})
    created_at = fields.String(metadata=TIME)


class PaymentAccountListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(PaymentAccountSchema))


class AutopaySectionSchema(Schema):
    status = _status()
    enabled = fields.Boolean(metadata={"description": "New invoices are charged to the default account."})
    enabled_at = fields.String(allow_none=True, metadata=TIME)
    payment_account = fields.Nested(PaymentAccountSchema, allow_none=True)


class PaymentAccountsPageSchema(Schema):
    accounts = fields.Nested(PaymentAccountListSectionSchema, required=True)
    autopay = fields.Nested(AutopaySectionSchema, required=True)
    payment_methods = fields.List(fields.String(), required=True, metadata={"description": "Where to save new ones."})


# -- messages and news --------------------------------------------------------------------
class MessageItemSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    created_at = fields.String(metadata=TIME)
    read = fields.Boolean()
    read_at = fields.String(allow_none=True, metadata=TIME)


class MessageListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(MessageItemSchema))
    next_cursor = fields.Integer(allow_none=True)


class UnreadSectionSchema(Schema):
    status = _status()
    unread = fields.Integer()


class MessagesPageSchema(Schema):
    unread = fields.Nested(UnreadSectionSchema, required=True)
    messages = fields.Nested(MessageListSectionSchema, required=True)


class MessageSectionSchema(Schema):
    status = _status()
    item = fields.Nested(MessageItemSchema)


class MessagePageSchema(Schema):
    message = fields.Nested(MessageSectionSchema, required=True)


class NewsItemSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    published_at = fields.String(metadata=TIME)
    expires_at = fields.String(allow_none=True, metadata=TIME)


class NewsListSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(NewsItemSchema))
    next_cursor = _cursor()


class NewsPageSchema(Schema):
    news = fields.Nested(NewsListSectionSchema, required=True)


# -- profile ------------------------------------------------------------------------------
class ProfileSectionSchema(Schema):
    status = _status()
    login = fields.String()
    values = fields.Dict(
        keys=fields.String(),
        metadata={"description": "The profile fields the portal shows (hidden ones are absent)."},
    )
    editable = fields.List(fields.String(), metadata={"description": "The fields the customer may change."})


class ProfilePageSchema(Schema):
    profile = fields.Nested(ProfileSectionSchema, required=True)


# -- dashboard ----------------------------------------------------------------------------
class ShortcutSchema(Schema):
    label = fields.String()
    url = fields.String()


class UnpaidSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(InvoiceItemSchema))


class DashboardServicesSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(ServiceItemSchema))


class DashboardTicketsSectionSchema(Schema):
    status = _status()
    columns = fields.List(fields.String())
    items = fields.List(fields.Nested(TicketRowSchema))


class DashboardMessagesSectionSchema(Schema):
    status = _status()
    unread = fields.Integer(allow_none=True)
    items = fields.List(fields.Nested(MessageItemSchema))


class DashboardNewsSectionSchema(Schema):
    status = _status()
    items = fields.List(fields.Nested(NewsItemSchema))


class DashboardPageSchema(Schema):
    """Only the sections the partner's config shows are present (and only for modules the menu shows)."""

    balance = fields.Nested(SummarySectionSchema)
    payment_due = fields.Nested(PaymentDueSectionSchema)
    account_suspension = fields.Nested(SuspensionSectionSchema)
    unpaid_invoices = fields.Nested(UnpaidSectionSchema)
    services = fields.Nested(DashboardServicesSectionSchema)
    cap_fup = fields.Nested(CountersSectionSchema)
    tickets = fields.Nested(DashboardTicketsSectionSchema)
    messages = fields.Nested(DashboardMessagesSectionSchema)
    news = fields.Nested(DashboardNewsSectionSchema)
    shortcut_buttons = fields.List(fields.Nested(ShortcutSchema), required=True)
