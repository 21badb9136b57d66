"""Attachments: the checks an uploaded file must pass, storing it, and who may read it.

A file is accepted by its content, never by its name or the type the client declares: the
content is sniffed, must be of an allowed type, and the name's extension must be one of that
type's (a PNG called `invoice.pdf` is refused as a disguise). Names that look like paths,
empty files and files over the size limit are refused. All files of a request are checked
before anything is written, so a refusal stores nothing.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

import filetype
from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.errors import (
    AttachmentNotFound,
    EmptyFile,
    FileTooLarge,
    FileTypeNotAllowed,
    TooManyFiles,
    UnsafeFileName,
)
from ticketing.models import Attachment, Comment, Ticket
from ticketing.storage import StagedWrites

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Allowed types, and the extensions a file of each type may carry.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "text/plain": (".txt", ".log"),
    "text/csv": (".csv",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}
MAX_NAME_LENGTH = 255
# Office files are zip archives; their type is told by the parts inside (read from the
# directory only: nothing is decompressed).
ZIP_PARTS = {DOCX: "word/", XLSX: "xl/"}
TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class Upload:
    """A file as the request carried it."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class AcceptedFile:
    filename: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def safe_filename(name: str) -> str:
    """The name to keep and offer on download; path-like or otherwise unsafe names are refused."""
    name = unicodedata.normalize("NFC", name or "")
    if not name.strip():
        raise UnsafeFileName("A file has no name.")
    if len(name) > MAX_NAME_LENGTH:
        raise UnsafeFileName(f"The file name is longer than {MAX_NAME_LENGTH} characters.")
    if any(c in name for c in "/\\:") or name.startswith((".", "~")) or ".." in name:
        raise UnsafeFileName(f"The file name {name!r} looks like a path; send the file's own name only.")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise UnsafeFileName("The file name contains control characters.")
    return name


def sniff(data: bytes) -> str | None:
    """The allowed type `data` is, by its content; None when it is none of them."""
    kind = filetype.guess(data)
    if kind is not None:
        if kind.mime in (DOCX, XLSX, "application/zip"):
            return _office_type(data)
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    return "text/plain" if _is_text(data) else None


def _office_type(data: bytes) -> str | None:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for content_type, prefix in ZIP_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(c) == "Cc" and c not in TEXT_CONTROLS_ALLOWED for c in text)


def check_upload(upload: Upload, *, max_bytes: int) -> AcceptedFile:
    """The file accepted, or an UploadRefused saying why not."""
    filename = safe_filename(upload.filename)
    if not upload.data:
        raise EmptyFile(f"{filename} is empty.")
    if len(upload.data) > max_bytes:
        raise FileTooLarge(f"{filename} is larger than {max_bytes} bytes.")
    content_type = sniff(upload.data)
    if content_type is None:
        raise FileTypeNotAllowed(f"{filename} is not of an allowed type (PDF, PNG, JPEG, GIF, text, CSV, DOCX, XLSX).")
    extension = PurePosixPath(filename).suffix.lower()
    if content_type == "text/plain" and extension == ".csv":
        content_type = "text/csv"
    if extension not in ALLOWED_TYPES[content_type]:
        raise FileTypeNotAllowed(f"{filename} does not hold what its extension says (its content is {content_type}).")
    return AcceptedFile(filename, content_type, upload.data, hashlib.sha256(upload.data).hexdigest())


def check_uploads(uploads: Sequence[Upload], *, max_bytes: int, max_count: int) -> list[AcceptedFile]:
    if len(uploads) > max_count:
        raise TooManyFiles(f"At most {max_count} files may be sent at once.")
    return [check_upload(upload, max_bytes=max_bytes) for upload in uploads]


def attach(
    session: Session, writes: StagedWrites, comment: Comment, files: Sequence[AcceptedFile], *, now: datetime
) -> list[Attachment]:
    """Store accepted files and record them on `comment` (files go first; the caller's staging undoes them)."""
    attachments = []
    for file in files:
        key = writes.write(file.data)
        attachment = Attachment(
            ticket_id=comment.ticket_id,
            comment_id=comment.id,
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            storage_key=key,
            created_at=now,
        )
        session.add(attachment)
        attachments.append(attachment)
    session.flush()
    return attachments


def get_attachment(session: Session, ticket: Ticket, attachment_id: int, *, public_only: bool) -> Attachment:
    """An attachment of `ticket`; for customers only those of public comments exist."""
    query = (
        select(Attachment)
        .join(Comment, Comment.id == Attachment.comment_id)
        .where(Attachment.id == attachment_id, Attachment.ticket_id == ticket.id)
    )
    if public_only:
        query = query.where(Comment.public.is_(True))
    attachment = session.scalar(query)
    if attachment is None:
        raise AttachmentNotFound(f"No attachment {attachment_id} on ticket {ticket.id}.")
    return attachment
