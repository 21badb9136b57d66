"""Serving stored blobs and reading uploaded ones: the HTTP side of files."""

from __future__ import annotations

from flask import Response, current_app, send_file
from werkzeug.datastructures import FileStorage

from documents.storage import BlobStorage
from documents.uploads import DEFAULT_MAX_BYTES, INLINE_TYPES, Upload, inspect_upload, read_limited

# How the OpenAPI describes a file answer.
BINARY = {"type": "string", "format": "binary"}
INLINE = "inline"
ATTACHMENT = "attachment"


def storage() -> BlobStorage:
    """The blob store of the app serving the request."""
    return current_app.extensions["documents.storage"]


def max_upload_bytes() -> int:
    return current_app.config["PORTICO_SETTINGS"].get_int("max_upload_bytes", DEFAULT_MAX_BYTES)


def customer_uploads_allowed() -> bool:
    """`DOCUMENTS_CUSTOMER_UPLOAD` (on unless "off"); the BFF's per-partner portal config gates it further."""
    return current_app.config["PORTICO_SETTINGS"].get("customer_upload", "on") != "off"


def read_upload(file: FileStorage, *, max_bytes: int | None = None, allowed=None) -> Upload:
    """The uploaded part, checked by the upload rules before anything is stored."""
    limit = max_bytes or max_upload_bytes()
    data = read_limited(file.stream, limit)
    if allowed is None:
        return inspect_upload(data, file.filename, max_bytes=limit)
    return inspect_upload(data, file.filename, max_bytes=limit, allowed=allowed)


def send_blob(sha256: str, *, filename: str, content_type: str, disposition: str) -> Response:
    """The file as a download, or shown in place where that is safe (PDF and images only)."""
    inline = disposition == INLINE and content_type in INLINE_TYPES
    response = send_file(
        storage().open(sha256),
        mimetype=content_type,
        as_attachment=not inline,
        download_name=filename,
        etag=sha256,  # content-addressed: the hash is the version
        conditional=True,
        max_age=None,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Each customer's own: never kept by a shared cache; revalidated by ETag.
    response.headers["Cache-Control"] = "private, no-cache"
    return response
