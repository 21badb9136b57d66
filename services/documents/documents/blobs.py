"""Which stored blobs are in use, and the one order of steps that keeps a referenced blob stored.

Rows of three tables name blobs by SHA-256: documents, financial documents and partner
logos. Whoever adds a reference takes the blob's lock in its transaction, then stores the
bytes, then inserts the row; whoever removes a blob takes the same lock, checks that no row
refers to it, and only then deletes it. With the lock held from before the store until
the commit, a blob cannot be removed between being stored and being referenced. The lock
is a transaction-scoped advisory lock on PostgreSQL; on SQLite every writing transaction
already holds the database's one write lock.

A transaction that stored a blob and then rolled back leaves an unreferenced file behind;
`purge_orphans` removes those.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from documents.locks import transaction_lock
from documents.models import Document, FinancialDocument, PartnerBranding
from documents.storage import BlobStorage


def lock_blob(session: Session, sha256: str) -> None:
    """Hold the blob's lock until the end of the session's transaction."""
    transaction_lock(session, f"blob:{sha256}")


def store_blob(session: Session, storage: BlobStorage, sha256: str, data: bytes) -> None:
    """Store `data` for a row this transaction is about to insert (see the module's order of steps)."""
    lock_blob(session, sha256)
    storage.put(sha256, data)


def is_referenced(session: Session, sha256: str) -> bool:
    return session.scalar(
        select(
            exists().where(Document.sha256 == sha256)
            | exists().where(FinancialDocument.sha256 == sha256)
            | exists().where(PartnerBranding.logo_sha256 == sha256)
        )
    )


def purge_if_unreferenced(db, storage: BlobStorage, sha256: str) -> bool:
    """Remove the blob if no row refers to it any more; True if it was removed.

    Called after the transaction that dropped a reference has committed.
    """
    with db.transaction() as session:
        lock_blob(session, sha256)
        if is_referenced(session, sha256):
            return False
        storage.remove(sha256)
        return True


def purge_orphans(db, storage) -> int:
    """Remove every stored blob no row refers to (left by rolled-back transactions); how many."""
    return sum(purge_if_unreferenced(db, storage, sha256) for sha256 in list(storage))
