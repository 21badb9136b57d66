"""The subscriptions are listed in one place and read their settings once."""

from portal_bff.handlers import handlers
from portico.settings import load_settings


def test_the_bff_subscribes_to_its_customers_and_to_every_change_of_what_its_pages_show():
    settings = load_settings("portal-bff", database_url="sqlite://")

    assert set(handlers(settings)) == {
        "billing.customer.created",
        "billing.customer.updated",
        "billing.customer.status_changed",
        "billing.service.created",
        "billing.service.updated",
        "billing.service.status_changed",
        "billing.service.online_changed",
        "billing.usage.threshold_reached",
        "billing.invoice.issued",
        "billing.invoice.paid",
        "billing.invoice.partially_paid",
        "billing.invoice.overdue",
        "billing.proforma.issued",
        "billing.payment.received",
        "billing.payment.refunded",
        "billing.account.suspension_scheduled",
        "billing.account.blocked",
        "billing.account.unblocked",
        "billing.account.charged",
        "ticketing.ticket.created",
        "ticketing.ticket.updated",
        "ticketing.ticket.status_changed",
        "ticketing.ticket.assigned",
        "ticketing.ticket.closed",
        "ticketing.comment.added",
        "notifications.message.created",
        "notifications.news.published",
        "notifications.news.updated",
    }
