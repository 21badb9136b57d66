"""The Documents page: the customer's documents and contracts."""

from __future__ import annotations

from typing import Any

from portal_bff.pages import Reader, page_of


def documents_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    documents = reader.upstreams.documents
    return reader.gather({"documents": lambda: page_of(reader.get(documents, "/documents", query))}, "documents")
