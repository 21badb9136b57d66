"""Customer-scoped financial documents: the PDFs of invoices, credit notes, proformas and receipts."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from documents import financial
from documents.api.files import BINARY, send_blob
from documents.models import FinancialKind
from documents.schemas import (
    FileQuerySchema,
    FinancialDocumentPageSchema,
    FinancialDocumentSchema,
    FinancialListQuerySchema,
    VersionedFileQuerySchema,
    VersionQuerySchema,
)
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint(
    "financial_documents",
    __name__,
    url_prefix="/v1/customers/<int:customer_id>/financial-documents",
    description="A customer's invoice, credit note, proforma and receipt PDFs (customer-scoped)",
)
KIND = f"<any({', '.join(FinancialKind.ALL)}):kind>"
PDF = "application/pdf"


def send_pdf(document, disposition: str):
    return send_blob(document.sha256, filename=document.filename, content_type=PDF, disposition=disposition)


@blp.route("")
class FinancialDocuments(MethodView):
    @blp.arguments(FinancialListQuerySchema, location="query", unknown="raise")
    @blp.response(200, FinancialDocumentPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The customer's financial documents, newest issue date first (current versions unless `versions=all`)."""
        with database().reading() as session:
            page = financial.list_financial_documents(
                session,
                customer_id,
                kind=query.get("kind"),
                all_versions=query["versions"] == "all",
                limit=query["limit"],
                cursor=query.get("cursor"),
            )
            return {"items": page.items, "next_cursor": page.next_cursor}


@blp.route("/<int:document_id>")
class FinancialDocumentById(MethodView):
    @blp.response(200, FinancialDocumentSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, document_id):
        """One financial document."""
        with database().reading() as session:
            return financial.get_financial_document(session, customer_id, document_id)


@blp.route("/<int:document_id>/file")
class FinancialDocumentFile(MethodView):
    @blp.arguments(FileQuerySchema, location="query", unknown="raise")
    @blp.response(200, BINARY, content_type=PDF, description="The PDF.")
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id, document_id):
        """The PDF: View (`disposition=inline`) or Download (`attachment`)."""
        with database().reading() as session:
            document = financial.get_financial_document(session, customer_id, document_id)
        return send_pdf(document, query["disposition"])


@blp.route(f"/{KIND}/<string:number>")
class FinancialDocumentByNumber(MethodView):
    @blp.arguments(VersionQuerySchema, location="query", unknown="raise")
    @blp.response(200, FinancialDocumentSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id, kind, number):
        """The customer's invoice (credit note, proforma, receipt) by its number: the current version or `version`."""
        with database().reading() as session:
            return financial.find_by_number(session, customer_id, kind, number, query.get("version"))


@blp.route(f"/{KIND}/<string:number>/file")
class FinancialDocumentFileByNumber(MethodView):
    @blp.arguments(VersionedFileQuerySchema, location="query", unknown="raise")
    @blp.response(200, BINARY, content_type=PDF, description="The PDF.")
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id, kind, number):
        """The PDF of the customer's invoice (credit note, proforma, receipt) by its number."""
        with database().reading() as session:
            document = financial.find_by_number(session, customer_id, kind, number, query.get("version"))
        return send_pdf(document, query["disposition"])
