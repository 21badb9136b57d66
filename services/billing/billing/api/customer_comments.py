"""Operator endpoints for the comments on a customer."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import customer_comments
from billing.api.actor import current_actor
from billing.schemas import CommentCreateSchema, CommentPageSchema, CommentSchema, PageQuerySchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "customer_comments", __name__, url_prefix="/admin/v1/customers", description="Comments on customers (operators)"
)


@blp.route("/<int:customer_id>/comments")
class CustomerComments(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, CommentPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:read")
    def get(self, query, customer_id):
        """The customer's comments, newest first."""
        with database().reading() as session:
            page = customer_comments.customer_comments(
                session, customer_id, limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(CommentCreateSchema)
    @blp.response(201, CommentSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def post(self, values, customer_id):
        """Add a comment signed by the operator; it appears on the activity timeline."""
        with database().transaction() as session:
            return customer_comments.add_comment(
                session, customer_id, values["body"], now=datetime.now(UTC), author=current_actor()
            )
