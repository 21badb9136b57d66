"""The billing web process: `gunicorn "billing.app:create_app()"`."""

from __future__ import annotations

from flask import Flask

from billing import (
    SERVICE,
    finance_models,  # noqa: F401  (the money tables join the metadata)
)
from billing.api import (
    additional_fields,
    billing_runs,
    checkouts,
    customer_activity,
    customer_comments,
    customer_services,
    customers,
    demo_gateway,
    gateway_webhooks,
    hardware,
    invoices,
    order_reviews,
    orders,
    partners,
    payment_accounts,
    payments,
    plans,
    portal_finance,
    portal_profile,
    portal_services,
    portal_usage,
    service_usage,
)
from billing.errors import BillingError
from billing.models import outbox
from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico billing")
    modules = (
        customers,
        customer_comments,
        customer_activity,
        additional_fields,
        partners,
        plans,
        customer_services,
        hardware,
        service_usage,
        portal_services,
        portal_usage,
        invoices,
        payments,
        billing_runs,
        portal_finance,
        portal_profile,
        checkouts,
        gateway_webhooks,
        demo_gateway,
        payment_accounts,
        orders,
        order_reviews,
    )
    for module in modules:
        api.register_blueprint(module.blp)

    @app.errorhandler(BillingError)
    def _domain_error(error: BillingError):
        return problem_response(error.status, error.title, str(error), **error.extensions)

    start_outbox_relay(app, outbox)
    return app
