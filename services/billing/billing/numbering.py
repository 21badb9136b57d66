"""Document numbers: sequential without gaps per partner, document type and year.

The counter moves by one atomic upsert in the transaction that issues the document: if that
transaction rolls back, so does the number, and two concurrent issuers queue on the counter
row instead of taking the same number.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from billing.finance_models import DocumentCounter, DocumentType
from billing.models import Partner
from billing.upserts import add_to


def next_number(session: Session, partner: Partner, document_type: str, year: int) -> str:
    """The next number, e.g. "INV-2026-000042" (with the partner's prefix before it, if any)."""
    counter = DocumentCounter.__table__
    key = {"partner_id": partner.id, "document_type": document_type, "year": year}
    # The counter of the year exists but for its first document: a plain update is the fast path.
    number = session.execute(
        update(counter)
        .where(*(counter.c[name] == value for name, value in key.items()))
        .values(last_number=counter.c.last_number + 1)
        .returning(counter.c.last_number)
    ).scalar()
    if number is None:
        row = add_to(session, counter, key, {"last_number": 1}, returning=("last_number",))
        assert row is not None
        number = row.last_number
    return f"{partner.document_prefix}{DocumentType.PREFIX[document_type]}-{year}-{number:06d}"
