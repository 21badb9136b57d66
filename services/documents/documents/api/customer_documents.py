"""Customer-scoped documents and contracts: list, view, download, upload, accept."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import request
from flask.views import MethodView

from documents import acceptance, documents
from documents.api.actor import require_customer
from documents.api.files import BINARY, customer_uploads_allowed, read_upload, send_blob, storage
from documents.api.multipart import Blueprint
from documents.schemas import (
    AcceptContractSchema,
    CustomerAcceptanceSchema,
    CustomerUploadSchema,
    DocumentListQuerySchema,
    DocumentPageSchema,
    DocumentSchema,
    FileQuerySchema,
)
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint(
    "customer_documents",
    __name__,
    url_prefix="/v1/customers/<int:customer_id>/documents",
    description="A customer's documents and contracts (customer-scoped)",
)


@blp.route("")
class CustomerDocuments(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query", unknown="raise")
    @blp.response(200, DocumentPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The customer's visible documents, newest first; `kind` gives the portal's Documents or Contracts."""
        with database().reading() as session:
            page = documents.list_documents(
                session, customer_id, kind=query.get("kind"), limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(CustomerUploadSchema, location="multipart")
    @blp.response(201, DocumentSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def post(self, form, customer_id):
        """The customer uploads a document of their own (403 where customer uploads are off)."""
        require_customer()
        documents.ensure_customer_uploads_allowed(customer_uploads_allowed())
        upload = read_upload(form["file"])
        with database().transaction() as session:
            return documents.add_customer_upload(
                session,
                storage(),
                customer_id,
                upload,
                title=form.get("title"),
                description=form["description"],
                now=datetime.now(UTC),
            )


@blp.route("/<int:document_id>")
class CustomerDocument(MethodView):
    @blp.response(200, DocumentSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, document_id):
        """One visible document of the customer."""
        with database().reading() as session:
            return documents.get_customer_document(session, customer_id, document_id)


@blp.route("/<int:document_id>/file")
class CustomerDocumentFile(MethodView):
    @blp.arguments(FileQuerySchema, location="query", unknown="raise")
    @blp.response(200, BINARY, content_type="application/octet-stream", description="The file (its own content type).")
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id, document_id):
        """View (`disposition=inline`) or download the file of one visible document."""
        with database().reading() as session:
            document = documents.get_customer_document(session, customer_id, document_id)
        return send_blob(
            document.sha256,
            filename=document.filename,
            content_type=document.content_type,
            disposition=query["disposition"],
        )


@blp.route("/<int:document_id>/acceptance")
class ContractAcceptance(MethodView):
    @blp.arguments(AcceptContractSchema)
    @blp.response(201, CustomerAcceptanceSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def post(self, values, customer_id, document_id):
        """The customer accepts the contract (409 if it asks for none, was accepted, or is not the file shown).

        The IP address is the first `X-Forwarded-For` address (the BFF forwards the browser's),
        else the caller's; the user agent is the `User-Agent` header.
        """
        require_customer()
        record = acceptance.Acceptance(
            accepted_name=values["accepted_name"],
            sha256=values["sha256"],
            ip_address=acceptance.client_address(request.headers.get("X-Forwarded-For"), request.remote_addr),
            user_agent=request.headers.get("User-Agent", ""),
        )
        with database().transaction() as session:
            return acceptance.accept_contract(session, customer_id, document_id, record, now=datetime.now(UTC))
