"""The Documents page: the customer's documents and contracts; accepting a contract, uploading a file."""

from __future__ import annotations

from typing import Any

from portal_bff.errors import InvalidFields
from portal_bff.pages import Reader, Upload, page_of


def documents_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    documents = reader.upstreams.documents
    return reader.gather({"documents": lambda: page_of(reader.get(documents, "/documents", query))}, "documents")


def accept_contract(
    reader: Reader, document_id: int, *, accepted_name: str, sha256: str, client_ip: str, user_agent: str
) -> dict[str, Any]:
    """Accept the contract file the customer was shown (its sha256); documents records who, when, from where."""
    return reader.send(
        reader.upstreams.documents,
        "POST",
        f"/documents/{document_id}/acceptance",
        json={"accepted_name": accepted_name, "sha256": sha256},
        # documents records the browser's address and agent, not the portal's.
        headers={"X-Forwarded-For": client_ip, "User-Agent": user_agent},
    )


def upload_document(reader: Reader, upload: Upload, *, title: str, description: str) -> dict[str, Any]:
    """The customer's own document, where the partner's portal config allows customer uploads."""
    if not reader.config["documents"]["allow_customer_upload"]:
        raise InvalidFields({"file": ["Uploading documents is not offered here."]})
    data = {"description": description} | ({"title": title} if title else {})
    files = [("file", (upload.filename, upload.data, upload.content_type))]
    return reader.send(reader.upstreams.documents, "POST", "/documents", data=data, files=files)
