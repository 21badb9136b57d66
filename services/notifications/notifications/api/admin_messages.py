"""Operator actions on one customer (seed 004): create a message, send the welcome again; and the deliveries log."""

from __future__ import annotations

import json

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from notifications import customers, operator_messages
from notifications.api.request_context import caller, config, now
from notifications.models import Delivery, idempotency_keys
from notifications.notify import Notified
from notifications.schemas import (
    CreateMessageSchema,
    DeliveryListArgsSchema,
    DeliveryPageSchema,
    IdempotencyHeaderSchema,
    SentSchema,
    WelcomeAgainSchema,
)
from portico import idempotency
from portico.auth import operator_scope
from portico.idempotency import REPLAYED_HEADER
from portico.pagination import decode_cursor, encode_cursor, page_of
from portico.web import database

blp = Blueprint("admin_messages", __name__, url_prefix="/admin/v1", description="Messages to customers (operators)")
BEARER = [{"bearer": []}]


def _sent(notified: Notified) -> dict:
    return {"message": notified.message, "deliveries": notified.deliveries}


def send_once(key: str | None, fields: dict, work) -> Response:
    """Do `work(session)` in one transaction and answer 201 with what it sent; with a key, at most once."""
    request_hash = idempotency.fingerprint(request.method, request.path, fields) if key is not None else ""
    who = caller()
    with database().transaction() as session:
        if key is not None:
            idempotency.check_key(key)
            stored = idempotency.claim(
                session, idempotency_keys, caller=who, key=key, request_hash=request_hash, now=now()
            )
            if stored is not None:
                response = Response(stored.body, stored.status, mimetype="application/json")
                response.headers[REPLAYED_HEADER] = "true"
                return response
        notified = work(session)
        session.flush()
        body = json.dumps(SentSchema().dump(_sent(notified)))
        if key is not None:
            idempotency.store_answer(session, idempotency_keys, caller=who, key=key, status=201, body=body)
    return Response(body, 201, mimetype="application/json")


@blp.route("/customers/<int:customer_id>/messages")
class CustomerMessages(MethodView):
    @operator_scope("messages:write")
    @blp.arguments(CreateMessageSchema)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, SentSchema)
    @blp.doc(security=BEARER)
    def post(self, values, headers, customer_id):
        """Send the customer a message: by email, as a portal message, both, or by SMS; free text or a template.

        Free text: `subject` and `body`. A template: `template` and its `variables`. `cc` copies
        the email. 422, and nothing sent, when the customer has no address on a channel asked for.
        """

        def work(session):
            customer = customers.get_customer(session, customer_id)
            return operator_messages.send_message(session, customer, values, config=config(), now=now())

        return send_once(headers.get("idempotency_key"), values, work)


@blp.route("/customers/<int:customer_id>/welcome")
class WelcomeAgain(MethodView):
    @operator_scope("messages:write")
    @blp.arguments(WelcomeAgainSchema)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, SentSchema)
    @blp.doc(security=BEARER)
    def post(self, values, headers, customer_id):
        """Send the welcome message again by email, SMS or both (with the set-password link while it works)."""

        def work(session):
            customer = customers.get_customer(session, customer_id)
            return operator_messages.send_welcome_again(
                session, customer, values["channel"], config=config(), now=now()
            )

        return send_once(headers.get("idempotency_key"), values, work)


@blp.route("/deliveries")
class Deliveries(MethodView):
    @operator_scope("messages:read")
    @blp.arguments(DeliveryListArgsSchema, location="query")
    @blp.response(200, DeliveryPageSchema)
    @blp.doc(security=BEARER)
    def get(self, args):
        """Every email and SMS sent or to send, newest first: status, attempts, last error, provider id."""
        query = select(Delivery)
        for name in ("customer_id", "status", "channel"):
            if name in args:
                query = query.where(getattr(Delivery, name) == args[name])
        if "cursor" in args:
            (last_id,) = decode_cursor(args["cursor"], "deliveries", int)
            query = query.where(Delivery.id < last_id)
        with database().reading() as session:
            rows = list(session.scalars(query.order_by(Delivery.id.desc()).limit(args["limit"] + 1)))
        page = page_of(rows, args["limit"], lambda delivery: encode_cursor("deliveries", delivery.id))
        return {"items": page.items, "next_cursor": page.next_cursor}
