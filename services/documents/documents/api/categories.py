"""Operator endpoints for the list of document categories."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from documents import categories
from documents.schemas import CategorySchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "document_categories",
    __name__,
    url_prefix="/admin/v1/document-categories",
    description="Document categories (operators)",
)


@blp.route("")
class Categories(MethodView):
    @blp.response(200, CategorySchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def get(self):
        """Every category, by name."""
        with database().reading() as session:
            return categories.list_categories(session)

    @blp.arguments(CategorySchema)
    @blp.response(201, CategorySchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def post(self, values):
        """Add a category (409 if the name exists)."""
        with database().transaction() as session:
            return categories.create_category(session, values["name"], now=datetime.now(UTC))


@blp.route("/<int:category_id>")
class CategoryById(MethodView):
    @blp.arguments(CategorySchema)
    @blp.response(200, CategorySchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def patch(self, values, category_id):
        """Rename a category."""
        with database().transaction() as session:
            return categories.rename_category(session, category_id, values["name"])

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def delete(self, category_id):
        """Remove a category no document has (409 otherwise)."""
        with database().transaction() as session:
            categories.delete_category(session, category_id)
