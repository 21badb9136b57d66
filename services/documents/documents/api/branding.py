"""Operator endpoints for each partner's branding on invoices and receipts."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView

from documents import branding
from documents.api.actor import current_actor
from documents.api.files import BINARY, read_upload, send_blob, storage
from documents.api.multipart import Blueprint
from documents.blobs import purge_if_unreferenced
from documents.schemas import BrandingSchema, LogoUploadSchema
from documents.uploads import ALLOWED_TYPES, LOGO_TYPES
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "branding",
    __name__,
    url_prefix="/admin/v1/partners/<int:partner_id>/branding",
    description="Partner branding on financial PDFs (operators)",
)
MAX_LOGO_BYTES = 1024 * 1024
LOGO_ALLOWED = {media: extensions for media, extensions in ALLOWED_TYPES.items() if media in LOGO_TYPES}


@blp.route("")
class Branding(MethodView):
    @blp.response(200, BrandingSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def get(self, partner_id):
        """The partner's branding (404 until it is set)."""
        with database().reading() as session:
            return branding.get_branding(session, partner_id)

    @blp.arguments(BrandingSchema)
    @blp.response(200, BrandingSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def put(self, values, partner_id):
        """Set the partner's name, address, tax id, bank details and payment instructions (the logo stays)."""
        with database().transaction() as session:
            return branding.put_branding(session, partner_id, values, actor=current_actor(), now=datetime.now(UTC))


@blp.route("/logo")
class Logo(MethodView):
    @blp.response(200, BINARY, content_type="image/png", description="The logo (PNG or JPEG).")
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:read")
    def get(self, partner_id):
        """The partner's logo."""
        with database().reading() as session:
            record = branding.get_branding(session, partner_id)
            if record.logo_sha256 is None:
                raise branding.BrandingNotFound(f"Partner {partner_id} has no logo.")
        return send_blob(
            record.logo_sha256,
            filename=f"logo-{partner_id}.{LOGO_ALLOWED[record.logo_content_type][0]}",
            content_type=record.logo_content_type,
            disposition="inline",
        )

    @blp.arguments(LogoUploadSchema, location="multipart")
    @blp.response(200, BrandingSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def put(self, form, partner_id):
        """Upload the partner's logo (PNG or JPEG, at most 1 MiB); printed on its invoices and receipts."""
        upload = read_upload(form["file"], max_bytes=MAX_LOGO_BYTES, allowed=LOGO_ALLOWED)
        db = database()
        with db.transaction() as session:
            record, replaced = branding.set_logo(
                session, storage(), partner_id, upload, actor=current_actor(), now=datetime.now(UTC)
            )
        if replaced:
            purge_if_unreferenced(db, storage(), replaced)
        return record

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("documents:write")
    def delete(self, partner_id):
        """Remove the partner's logo."""
        db = database()
        with db.transaction() as session:
            replaced = branding.remove_logo(session, partner_id, actor=current_actor(), now=datetime.now(UTC))
        if replaced:
            purge_if_unreferenced(db, storage(), replaced)
