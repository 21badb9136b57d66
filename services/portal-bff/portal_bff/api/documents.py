"""The Documents page and its files."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.page_arguments import DocumentListArgsSchema, FileArgsSchema
from portal_bff.page_schemas import DocumentsPageSchema
from portal_bff.pages.documents import documents_page

blp = Blueprint("documents", __name__, url_prefix="/api/v1", description="Documents and contracts")
HIDDEN = "The Documents module is hidden for this customer, or there is no such document."


@blp.route("/documents")
class Documents(MethodView):
    @signed_in(module="documents")
    @blp.arguments(DocumentListArgsSchema, location="query")
    @blp.response(200, DocumentsPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The customer's documents (`kind=document`) and contracts (`kind=contract`), newest first."""
        return documents_page(reader(), query)


@blp.route("/documents/<int:document_id>/file")
class DocumentFile(MethodView):
    @signed_in(module="documents")
    @blp.arguments(FileArgsSchema, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description="Documents is not available (`Retry-After`).")
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query, document_id):
        """View (`disposition=inline`) or download a document's file."""
        found = reader()
        path = found.path(f"/documents/{document_id}/file")
        return stream_file(found.upstreams.documents, path, customer_id=found.customer_id, params=query)
