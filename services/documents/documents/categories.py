"""The operator-managed list of document categories (Agreement, Additional agreement, Certificate, Other, ...)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents.errors import CategoryExists, CategoryInUse, CategoryNotFound
from documents.models import Document, DocumentCategory

# What a fresh installation starts with (the migration inserts them).
DEFAULT_CATEGORIES = ("Agreement", "Additional agreement", "Certificate", "Other")


def list_categories(session: Session) -> list[DocumentCategory]:
    return list(session.scalars(select(DocumentCategory).order_by(DocumentCategory.name, DocumentCategory.id)))


def get_category(session: Session, category_id: int) -> DocumentCategory:
    category = session.get(DocumentCategory, category_id)
    if category is None:
        raise CategoryNotFound(f"No document category {category_id}.")
    return category


def create_category(session: Session, name: str, *, now: datetime) -> DocumentCategory:
    category = DocumentCategory(name=name.strip(), created_at=now)
    _flush_unique(session, category)
    return category


def rename_category(session: Session, category_id: int, name: str) -> DocumentCategory:
    category = get_category(session, category_id)
    category.name = name.strip()
    _flush_unique(session, category)
    return category


def delete_category(session: Session, category_id: int) -> None:
    category = get_category(session, category_id)
    if session.scalar(select(exists().where(Document.category_id == category_id))):
        raise CategoryInUse(f"Documents have the category {category.name!r}; move them to another one first.")
    session.delete(category)


def _flush_unique(session: Session, category: DocumentCategory) -> None:
    name = category.name
    try:
        with session.begin_nested():
            session.add(category)
            session.flush()
    except IntegrityError:
        raise CategoryExists(f"A category named {name!r} exists.") from None
