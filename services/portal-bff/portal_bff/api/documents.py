"""The Documents page and its files: accepting a contract, uploading the customer's own documents."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.context import client
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.errors import InvalidFields
from portal_bff.page_arguments import AcceptanceFormSchema, DocumentFormSchema, DocumentListArgsSchema, FileArgsSchema
from portal_bff.page_schemas import ContractAcceptanceSchema, DocumentItemSchema, DocumentsPageSchema
from portal_bff.pages import Upload
from portal_bff.pages.documents import accept_contract, documents_page, upload_document

blp = Blueprint("documents", __name__, url_prefix="/api/v1", description="Documents and contracts")
HIDDEN = "The Documents module is hidden for this customer, or there is no such document."
DOWN = "Documents is not available: nothing was done (`Retry-After`)."
FILE_FIELD = "file"


def _upload() -> Upload:
    """The one file of the form, as `file`."""
    unexpected = sorted(set(request.files) - {FILE_FIELD})
    if unexpected:
        raise InvalidFields({name: [f"Send the file as `{FILE_FIELD}`."] for name in unexpected})
    sent = request.files.getlist(FILE_FIELD)
    if len(sent) != 1 or not sent[0].filename:
        raise InvalidFields({FILE_FIELD: ["Send one file to upload."]})
    return Upload(sent[0].filename, sent[0].mimetype or "application/octet-stream", sent[0].stream.read())


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

    @signed_in(module="documents")
    @blp.arguments(DocumentFormSchema, location="form", content_type="multipart/form-data")
    @blp.response(201, DocumentItemSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(422, description="No file, a file refused, or uploads are not offered here (`errors`).")
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form):
        """Upload a document of the customer's own (multipart: `file`, title, description), where offered."""
        title, description = form.get("title", ""), form["description"]
        return upload_document(reader(), _upload(), title=title, description=description), 201


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


@blp.route("/documents/<int:document_id>/acceptance")
class ContractAcceptance(MethodView):
    @signed_in(module="documents")
    @blp.arguments(AcceptanceFormSchema)
    @blp.response(201, ContractAcceptanceSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(409, description="The contract asks for no acceptance, is accepted, or is not the file named.")
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form, document_id):
        """Accept a contract with the full name typed; documents records when, and the browser's address and agent."""
        browser = client()
        accepted = accept_contract(
            reader(),
            document_id,
            accepted_name=form["accepted_name"],
            sha256=form["sha256"],
            client_ip=browser.ip,
            user_agent=browser.user_agent,
        )
        return accepted, 201
