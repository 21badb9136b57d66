"""Operator endpoints for customers' documents and contracts: upload, edit, hide, delete, download."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView

from documents import documents
from documents.api.actor import current_actor
from documents.api.files import BINARY, read_upload, send_blob, storage
from documents.api.multipart import Blueprint
from documents.blobs import purge_if_unreferenced
from documents.schemas import (
    AdminDocumentListQuerySchema,
    AdminDocumentPageSchema,
    AdminDocumentSchema,
    DocumentChangesSchema,
    DocumentUploadSchema,
    FileQuerySchema,
)
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("admin_documents", __name__, url_prefix="/admin/v1", description="Documents and contracts (operators)")


@blp.route("/customers/<int:customer_id>/documents")
class AdminCustomerDocuments(MethodView):
    @blp.arguments(AdminDocumentListQuerySchema, location="query", unknown="raise")
    @blp.response(200, AdminDocumentPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def get(self, query, customer_id):
        """All the customer's documents, hidden ones too, newest first."""
        with database().reading() as session:
            page = documents.list_documents(
                session,
                customer_id,
                kind=query.get("kind"),
                visible=query.get("visible"),
                limit=query["limit"],
                cursor=query.get("cursor"),
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(DocumentUploadSchema, location="multipart")
    @blp.response(201, AdminDocumentSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def post(self, form, customer_id):
        """Upload a document or contract for the customer; emits documents.document.published if visible."""
        upload = read_upload(form["file"])
        fields = documents.DocumentFields(
            customer_id=customer_id,
            kind=form["kind"],
            title=form.get("title"),
            description=form["description"],
            category_id=form.get("category_id"),
            visible=form["visible"],
            requires_acceptance=form["requires_acceptance"],
        )
        with database().transaction() as session:
            return documents.add_document(
                session, storage(), fields, upload, created_by=current_actor(), now=datetime.now(UTC)
            )


@blp.route("/documents/<int:document_id>")
class AdminDocument(MethodView):
    @blp.response(200, AdminDocumentSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def get(self, document_id):
        """One document, with its acceptance record if the customer accepted it."""
        with database().reading() as session:
            return documents.get_document(session, document_id)

    @blp.arguments(DocumentChangesSchema)
    @blp.response(200, AdminDocumentSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def patch(self, changes, document_id):
        """Change metadata; `visible: false` hides it, `true` shows it (emits documents.document.published)."""
        with database().transaction() as session:
            return documents.update_document(session, document_id, changes, now=datetime.now(UTC))

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def delete(self, document_id):
        """Delete the document (409 for an accepted contract: hide it instead); its file goes when unused."""
        db = database()
        with db.transaction() as session:
            sha256 = documents.delete_document(session, document_id)
        purge_if_unreferenced(db, storage(), sha256)


@blp.route("/documents/<int:document_id>/file")
class AdminDocumentFile(MethodView):
    @blp.arguments(FileQuerySchema, location="query", unknown="raise")
    @blp.response(200, BINARY, content_type="application/octet-stream", description="The file (its own content type).")
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def get(self, query, document_id):
        """The document's file, hidden or not."""
        with database().reading() as session:
            document = documents.get_document(session, document_id)
        return send_blob(
            document.sha256,
            filename=document.filename,
            content_type=document.content_type,
            disposition=query["disposition"],
        )
