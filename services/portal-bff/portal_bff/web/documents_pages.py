"""The Documents page: Documents | Contracts tabs, view, download, accept a contract, upload where allowed."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext

from portal_bff.api.authentication import visitor
from portal_bff.api.context import client
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.errors import InvalidFields, UpstreamRejected
from portal_bff.page_arguments import DocumentListArgsSchema, FileArgsSchema
from portal_bff.page_schemas import DocumentsPageSchema
from portal_bff.pages import Upload
from portal_bff.pages.documents import accept_contract, documents_page, upload_document
from portal_bff.web.guard import page
from portal_bff.web.pages import blueprint, query_args, render

blp = blueprint("web_documents", __name__, url_prefix="/documents")
KINDS = ("document", "contract")


def _page(*, status: int = 200, error: str | None = None, kind: str | None = None):
    query = query_args(DocumentListArgsSchema())
    query["kind"] = kind or query.get("kind") or "document"
    model = DocumentsPageSchema().dump(documents_page(reader(), query))
    return render(
        "documents/documents.html",
        status=status,
        page=model,
        kind=query["kind"],
        allow_upload=visitor().config["documents"]["allow_customer_upload"],
        error=error,
    )


@blp.get("")
@page(module="documents")
def documents():
    return _page()


@blp.get("/<int:document_id>/file")
@page(module="documents")
def file(document_id: int):
    query = query_args(FileArgsSchema())
    found = reader()
    path = found.path(f"/documents/{document_id}/file")
    return stream_file(found.upstreams.documents, path, customer_id=found.customer_id, params=query)


@blp.post("/<int:document_id>/accept")
@page(module="documents")
def accept(document_id: int):
    name = request.form.get("accepted_name", "").strip()[:200]
    if not name or request.form.get("agree") != "yes":
        return _page(status=422, kind="contract", error=gettext("Type your full name and tick the box to accept."))
    try:
        accept_contract(
            reader(),
            document_id,
            accepted_name=name,
            sha256=request.form.get("sha256", "")[:64],
            client_ip=client().ip,
            user_agent=request.user_agent.string[:512],
        )
    except UpstreamRejected as refused:
        if refused.status == 404:
            raise
        return _page(status=refused.status, kind="contract", error=str(refused))
    return redirect(url_for("web_documents.documents", kind="contract", notice="contract_accepted"), code=303)


@blp.post("/upload")
@page(module="documents")
def upload():
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return _page(status=422, error=gettext("Choose a file to upload."))
    chosen = Upload(sent.filename, sent.mimetype or "application/octet-stream", sent.stream.read())
    try:
        upload_document(
            reader(),
            chosen,
            title=request.form.get("title", "").strip()[:200],
            description=request.form.get("description", "").strip()[:2000],
        )
    except (InvalidFields, UpstreamRejected) as refused:
        return _page(status=422, error=str(refused) if not getattr(refused, "errors", None) else _first(refused.errors))
    return redirect(url_for("web_documents.documents", notice="document_uploaded"), code=303)


def _first(errors: dict) -> str:
    for messages in errors.values():
        if isinstance(messages, list) and messages:
            return str(messages[0])
    return gettext("The file was not accepted.")
