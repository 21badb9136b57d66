"""The subscriptions are listed in one place and read their settings once."""

from portal_bff.handlers import handlers
from portico.settings import load_settings


def test_the_bff_subscribes_to_customer_created_and_updated():
    settings = load_settings("portal-bff", database_url="sqlite://")
    assert set(handlers(settings)) == {"billing.customer.created", "billing.customer.updated"}
