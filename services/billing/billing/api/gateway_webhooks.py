"""Webhooks from payment gateways: verified by the gateway's signature, not by a bearer token."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from billing import checkouts
from billing.api.clock import now
from billing.api.gateway_lookup import gateway
from billing.gateway_schemas import WebhookAnswerSchema
from portico.web import database

blp = Blueprint("gateway_webhooks", __name__, url_prefix="/v1/gateways", description="Payment gateway webhooks")


@blp.route("/<name>/webhook")
class Webhook(MethodView):
    @blp.response(200, WebhookAnswerSchema)
    def post(self, name):
        """A checkout's outcome, signed by the gateway (400 and nothing applied if the signature fails).

        A paid checkout records its payment once: a redelivery answers 200 and changes nothing.
        """
        checkout = checkouts.receive_webhook(database(), gateway(name), request.headers, request.get_data(), now=now())
        return {"received": True, "checkout_status": checkout.status}
