"""Files of the upstreams (ticket attachments, documents, PDFs) streamed to the customer as they come."""

from __future__ import annotations

from typing import Any

from flask import Response

from portal_bff.upstreams import Upstream

PASSED_HEADERS = ("Content-Type", "Content-Length", "Content-Disposition", "ETag", "Last-Modified")
CHUNK = 64 * 1024


def stream_file(upstream: Upstream, path: str, *, customer_id: int, params: Any = None) -> Response:
    """The upstream's file as this answer: its type, length and disposition, never sniffed or cached."""
    found = upstream.call("GET", path, customer_id=customer_id, params=params, stream=True)
    headers = {name: found.headers[name] for name in PASSED_HEADERS if name in found.headers}
    response = Response(found.raw.stream(CHUNK, decode_content=False), status=200, headers=headers)
    response.call_on_close(found.close)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if not headers.get("Content-Disposition", "").startswith("inline"):
        # A download is never shown in the portal's origin: no script of it could run there.
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
