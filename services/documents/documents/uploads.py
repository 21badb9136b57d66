"""The rules every uploaded file passes before anything is stored.

A file is taken only if it is not empty, not over the size limit, of an allowed type as
found from its content (never from the name or the Content-Type the client sent), and
named plainly: the name is kept only to download the file under; it is never a path.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

import filetype

from documents.errors import UploadRefused, UploadTooLarge
from documents.storage import sha256_of

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 255

# Media type found from the content -> the file name extensions it may be uploaded under.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
}
# What a browser may show in place; everything else is only ever downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
LOGO_TYPES = frozenset({"image/png", "image/jpeg"})


@dataclass(frozen=True)
class Upload:
    """An accepted file: its bytes and what was found out about them."""

    data: bytes
    filename: str
    content_type: str
    size: int
    sha256: str


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read at most one byte past the limit, so that an oversized body is never read whole."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadTooLarge(f"The file is larger than the limit of {max_bytes:,} bytes.")
    return data


def checked_filename(name: str | None) -> str:
    """The name as given, if it is a plain file name; anything path-like is refused, not cleaned."""
    if not name or not name.strip():
        raise UploadRefused("The file has no name.", errors={"file": ["The file has no name."]})
    name = unicodedata.normalize("NFC", name)
    problems = []
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"The name is longer than {MAX_NAME_LENGTH} characters.")
    if "/" in name or "\\" in name:
        problems.append("The name may not contain a path ('/' or '\\').")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        problems.append("The name may not contain control characters.")
    if name != name.strip() or name.startswith("."):
        problems.append("The name may not start with a dot or a space, nor end with a space.")
    if problems:
        raise UploadRefused("The file's name is not allowed.", errors={"file": problems})
    return name


def sniffed_type(data: bytes) -> str | None:
    kind = filetype.guess(data[:8192])
    return kind.mime if kind is not None else None


def inspect_upload(data: bytes, filename: str | None, *, max_bytes: int, allowed=ALLOWED_TYPES) -> Upload:
    """The upload, if it passes every rule; raises UploadRefused (or UploadTooLarge) otherwise."""
    if len(data) > max_bytes:
        raise UploadTooLarge(f"The file is larger than the limit of {max_bytes:,} bytes.")
    name = checked_filename(filename)
    if not data:
        raise UploadRefused("The file is empty.", errors={"file": ["The file is empty."]})
    content_type = sniffed_type(data)
    if content_type not in allowed:
        raise UploadRefused(
            "The file's content is not of an allowed type.",
            errors={"file": [f"Allowed: {', '.join(sorted({e for x in allowed.values() for e in x}))}."]},
        )
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in allowed[content_type]:
        raise UploadRefused(
            "The file's name does not match its content.",
            errors={"file": [f"The content is {content_type}: name it .{allowed[content_type][0]}."]},
        )
    return Upload(data=data, filename=name, content_type=content_type, size=len(data), sha256=sha256_of(data))
