"""Operator endpoints for each partner's financial PDF templates, and their preview."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from documents import invoice_templates
from documents.api.actor import current_actor
from documents.api.files import BINARY, storage
from documents.models import TemplateKind
from documents.schemas import TemplatePreviewSchema, TemplateSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "templates",
    __name__,
    url_prefix="/admin/v1/templates",
    description="Financial PDF templates per partner: Jinja HTML rendered in a sandbox (operators)",
)
ROUTE = f"/<int:partner_id>/<any({', '.join(TemplateKind.ALL)}):kind>"


@blp.route(ROUTE)
class Template(MethodView):
    @blp.response(200, TemplateSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def get(self, partner_id, kind):
        """The template the partner's `invoice` (also credit notes and proformas) or `receipt` PDFs use."""
        with database().reading() as session:
            return invoice_templates.get_template(session, partner_id, kind)

    @blp.arguments(TemplateSchema)
    @blp.response(200, TemplateSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def put(self, values, partner_id, kind):
        """Save the partner's own template; 422 unless it renders the sample document.

        Templates see `document`, `customer`, `partner` (and `payment` for receipts), as in the
        built-in templates (GET shows the one in use). They run in Jinja's sandbox and may fetch
        nothing: images only as data: URIs.
        """
        with database().transaction() as session:
            return invoice_templates.save_template(
                session, storage(), partner_id, kind, values["source"], actor=current_actor(), now=datetime.now(UTC)
            )

    @blp.response(200, TemplateSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def delete(self, partner_id, kind):
        """Go back to the built-in template."""
        with database().transaction() as session:
            return invoice_templates.reset_template(session, partner_id, kind)


@blp.route(f"{ROUTE}/preview")
class TemplatePreview(MethodView):
    @blp.arguments(TemplatePreviewSchema)
    @blp.response(200, BINARY, content_type="application/pdf", description="The sample document as a PDF.")
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def post(self, values, partner_id, kind):
        """Render a template (`source`, else the partner's current one) against a sample document."""
        with database().reading() as session:
            pdf = invoice_templates.preview_pdf(session, storage(), partner_id, kind, values.get("source"))
        return Response(
            pdf,
            mimetype="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="preview-{kind}-{partner_id}.pdf"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",
            },
        )
