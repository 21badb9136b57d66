"""Customers' documents and contracts: adding, changing, hiding, deleting, and what a customer may see.

A customer sees only their own visible documents; anything else answers as if it did not
exist. `documents.document.published` is emitted whenever a document becomes visible: added
visible, or made visible later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents import events
from documents.blobs import store_blob
from documents.categories import get_category
from documents.customers import get_customer
from documents.errors import (
    AcceptedContractKept,
    CategoryNotFound,
    CustomerUploadsOff,
    DocumentNotFound,
    InvalidFields,
)
from documents.models import Document, DocumentKind
from documents.storage import BlobStorage
from documents.uploads import Upload
from portico.pagination import Page, decode_cursor, encode_cursor, page_of

EDITABLE = ("title", "description", "kind", "category_id", "visible", "requires_acceptance")


@dataclass(frozen=True)
class DocumentFields:
    """What is said about a new document besides its file."""

    customer_id: int
    kind: str = DocumentKind.DOCUMENT
    title: str | None = None  # the file name when not given
    description: str = ""
    category_id: int | None = None
    visible: bool = True
    requires_acceptance: bool = False


def add_document(
    session: Session, storage: BlobStorage, fields: DocumentFields, upload: Upload, *, created_by: str, now: datetime
) -> Document:
    """Store the file (once per content) and the document; publish it if visible."""
    get_customer(session, fields.customer_id)
    _check_category(session, fields.category_id)
    _check_acceptance_asked(fields.kind, fields.requires_acceptance)
    store_blob(session, storage, upload.sha256, upload.data)
    document = Document(
        customer_id=fields.customer_id,
        kind=fields.kind,
        category_id=fields.category_id,
        title=(fields.title or upload.filename)[:200],
        description=fields.description,
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        visible=fields.visible,
        requires_acceptance=fields.requires_acceptance,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(document)
    session.flush()
    _load_relations(session, document)
    if document.visible:
        publish_document(session, document, now=now)
    return document


def ensure_customer_uploads_allowed(allowed: bool) -> None:
    """Customers upload only where allowed (checked before their file is read)."""
    if not allowed:
        raise CustomerUploadsOff("Customers may not upload documents here.")


def add_customer_upload(
    session: Session,
    storage: BlobStorage,
    customer_id: int,
    upload: Upload,
    *,
    title: str | None,
    description: str,
    now: datetime,
) -> Document:
    """A customer's own document: always a visible plain document, never a contract."""
    fields = DocumentFields(customer_id=customer_id, title=title, description=description)
    return add_document(session, storage, fields, upload, created_by=f"customer:{customer_id}", now=now)


def update_document(session: Session, document_id: int, changes: dict[str, Any], *, now: datetime) -> Document:
    """Change metadata (hide or show with `visible`); publishes when a hidden document becomes visible."""
    document = get_document(session, document_id)
    was_visible = document.visible
    if document.acceptance is not None and any(
        name in changes and changes[name] != getattr(document, name) for name in ("kind", "requires_acceptance")
    ):
        raise AcceptedContractKept("The contract has been accepted: its kind and acceptance request stay as accepted.")
    if "category_id" in changes:
        _check_category(session, changes["category_id"])
    for name in EDITABLE:
        if name in changes:
            setattr(document, name, changes[name])
    _check_acceptance_asked(document.kind, document.requires_acceptance)
    document.updated_at = now
    session.flush()
    _load_relations(session, document)
    if document.visible and not was_visible:
        publish_document(session, document, now=now)
    return document


def delete_document(session: Session, document_id: int) -> str:
    """Delete the document; the SHA-256 of its file is returned, to purge once nothing else refers to it."""
    document = get_document(session, document_id)
    if document.acceptance is not None:
        raise AcceptedContractKept("An accepted contract is kept as evidence; hide it instead.")
    session.delete(document)
    session.flush()
    return document.sha256


def get_document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise DocumentNotFound(f"No document {document_id}.")
    return document


def get_customer_document(session: Session, customer_id: int, document_id: int) -> Document:
    """A document as its customer may see it: theirs and visible, else not found."""
    document = session.get(Document, document_id)
    if document is None or document.customer_id != customer_id or not document.visible:
        raise DocumentNotFound(f"No document {document_id}.")
    return document


def list_documents(
    session: Session,
    customer_id: int,
    *,
    kind: str | None = None,
    visible: bool | None = True,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """A customer's documents, newest first: the visible ones unless `visible` says otherwise (None: all).

    The portal shows documents and contracts apart: `kind`.
    """
    listing = f"documents:{customer_id}:{kind or '*'}:{visible}"
    query = select(Document).where(Document.customer_id == customer_id)
    if kind is not None:
        query = query.where(Document.kind == kind)
    if visible is not None:
        query = query.where(Document.visible.is_(visible))
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, listing, int)
        query = query.where(Document.id < last_id)
    rows = session.scalars(query.order_by(Document.id.desc()).limit(limit + 1)).unique().all()
    return page_of(rows, limit, lambda last: encode_cursor(listing, last.id))


def publish_document(session: Session, document: Document, *, now: datetime) -> None:
    events.publish(
        session,
        events.DOCUMENT_PUBLISHED,
        {
            "document_id": document.id,
            "customer_id": document.customer_id,
            "kind": document.kind,
            "category": document.category.name if document.category_id is not None else None,
            "title": document.title,
            "filename": document.filename,
            "content_type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
            "requires_acceptance": document.requires_acceptance,
            "created_by": document.created_by,
            "published_at": events.rfc3339(now),
        },
        aggregate_type="document",
        aggregate_id=document.id,
    )


def _load_relations(session: Session, document: Document) -> None:
    """Load its category and acceptance now: the answer is written after the session has closed."""
    session.refresh(document, attribute_names=["category", "acceptance"])


def _check_category(session: Session, category_id: int | None) -> None:
    if category_id is None:
        return
    try:
        get_category(session, category_id)
    except CategoryNotFound:
        raise InvalidFields({"category_id": [f"No document category {category_id}."]}) from None


def _check_acceptance_asked(kind: str, requires_acceptance: bool) -> None:
    if requires_acceptance and kind != DocumentKind.CONTRACT:
        raise InvalidFields({"requires_acceptance": ["Only a contract can ask for acceptance."]})
