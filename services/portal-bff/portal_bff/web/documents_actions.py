"""What the Documents page does through documents besides reading: accept a contract, upload a file."""

from __future__ import annotations

from typing import Any

from portal_bff.errors import InvalidFields
from portal_bff.pages import Reader
from portal_bff.ticket_actions import Upload


def accept_contract(
    reader: Reader, document_id: int, *, accepted_name: str, sha256: str, client_ip: str, user_agent: str
) -> dict[str, Any]:
    """Accept the contract file the customer was shown (its sha256); documents records who, when, from where."""
    response = reader.upstreams.documents.call(
        "POST",
        reader.path(f"/documents/{document_id}/acceptance"),
        customer_id=reader.customer_id,
        json={"accepted_name": accepted_name, "sha256": sha256},
        # documents records the browser's address and agent, not the portal's.
        headers={"X-Forwarded-For": client_ip, "User-Agent": user_agent},
    )
    reader.changed("documents")
    return response.json()


def upload_document(reader: Reader, upload: Upload, *, title: str, description: str) -> dict[str, Any]:
    """The customer's own document, where the partner's portal config allows customer uploads."""
    if not reader.config["documents"]["allow_customer_upload"]:
        raise InvalidFields({"file": ["Uploading documents is not offered here."]})
    data = {"description": description} | ({"title": title} if title else {})
    response = reader.upstreams.documents.call(
        "POST",
        reader.path("/documents"),
        customer_id=reader.customer_id,
        data=data,
        files=[("file", (upload.filename, upload.data, upload.content_type))],
    )
    reader.changed("documents")
    return response.json()
