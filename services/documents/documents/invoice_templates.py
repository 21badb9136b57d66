"""Each partner's templates for its financial PDFs: the built-in ones unless an operator saved its own.

A template is saved only if it parses and renders the sample document in the sandbox into
a PDF, so a broken template is refused when it is saved rather than when an invoice arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from documents.branding import branding_context, find_branding
from documents.errors import RenderFailed, TemplateInvalid
from documents.models import FinancialKind, InvoiceTemplate, TemplateKind
from documents.pdf_context import bill_context, receipt_context
from documents.rendering import builtin_template, render_pdf
from documents.samples import sample_invoice, sample_payment
from documents.storage import BlobStorage


@dataclass(frozen=True)
class TemplateView:
    partner_id: int
    kind: str
    source: str
    custom: bool
    updated_by: str | None = None
    updated_at: datetime | None = None


def template_source(session: Session, partner_id: int, kind: str) -> str:
    """The source the partner's documents of `kind` are rendered with."""
    custom = session.get(InvoiceTemplate, (partner_id, kind))
    return custom.source if custom is not None else builtin_template(kind)


def get_template(session: Session, partner_id: int, kind: str) -> TemplateView:
    custom = session.get(InvoiceTemplate, (partner_id, kind))
    if custom is None:
        return TemplateView(partner_id, kind, builtin_template(kind), custom=False)
    return TemplateView(partner_id, kind, custom.source, True, custom.updated_by, custom.updated_at)


def save_template(
    session: Session, storage: BlobStorage, partner_id: int, kind: str, source: str, *, actor: str, now: datetime
) -> TemplateView:
    """Save the partner's own template, once it has rendered the sample (TemplateInvalid otherwise)."""
    preview_pdf(session, storage, partner_id, kind, source)
    custom = session.get(InvoiceTemplate, (partner_id, kind))
    if custom is None:
        custom = InvoiceTemplate(partner_id=partner_id, kind=kind)
        session.add(custom)
    custom.source, custom.updated_by, custom.updated_at = source, actor, now
    session.flush()
    return get_template(session, partner_id, kind)


def reset_template(session: Session, partner_id: int, kind: str) -> TemplateView:
    """Back to the built-in template."""
    custom = session.get(InvoiceTemplate, (partner_id, kind))
    if custom is not None:
        session.delete(custom)
        session.flush()
    return get_template(session, partner_id, kind)


def sample_context(session: Session, storage: BlobStorage, partner_id: int, kind: str) -> dict[str, Any]:
    """The sample document of `kind`, with the partner's own branding."""
    partner = branding_context(find_branding(session, partner_id), partner_id, storage)
    if kind == TemplateKind.RECEIPT:
        context = receipt_context(sample_payment(partner_id=partner_id))
    else:
        context = bill_context(FinancialKind.INVOICE, sample_invoice(partner_id=partner_id))
    return {**context, "partner": partner}


def preview_pdf(session: Session, storage: BlobStorage, partner_id: int, kind: str, source: str | None = None) -> bytes:
    """The sample document rendered with `source` (else the partner's current template)."""
    if source is None:
        source = template_source(session, partner_id, kind)
    try:
        return render_pdf(source, sample_context(session, storage, partner_id, kind))
    except RenderFailed as error:  # here it is the template's fault, not the service's
        raise TemplateInvalid(f"The template's HTML could not be made a PDF: {error}") from None
