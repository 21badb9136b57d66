"""Files an email carries, fetched from their owner when the email is sent: invoice PDFs from documents.

A delivery names what it needs (`{"kind": "invoice", "number": ..., "version": ...}`); the
sender asks documents' customer-scoped API for it with a token for that customer, so
documents itself checks the PDF is theirs. Documents not answering, or not having
rendered the PDF yet (it renders from the same event), is a temporary failure: the email
waits and is tried again, never sent without its attachment.
"""

from __future__ import annotations

from typing import Any

import requests

from notifications.mailer import Attachment
from notifications.sending import SendError
from portico.http import ServiceClient
from portico.settings import Settings

PDF = "application/pdf"
FINANCIAL_KINDS = ("invoice", "credit_note", "proforma", "receipt")


class DocumentsAttachments:
    """Fetches financial PDFs from the documents service."""

    def __init__(self, client: ServiceClient):
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> DocumentsAttachments:
        timeout = float(settings.get("documents_timeout", "10") or 10)
        return cls(ServiceClient(settings, "documents", timeout=timeout))

    def fetch(self, customer_id: int, spec: dict[str, Any]) -> Attachment:
        kind, number = spec["kind"], spec["number"]
        if kind not in FINANCIAL_KINDS:
            raise SendError(f"cannot attach a {kind!r}", permanent=True)
        path = f"/v1/customers/{customer_id}/financial-documents/{kind}/{number}/file"
        params = {"disposition": "attachment"}
        if spec.get("version"):
            params["version"] = spec["version"]
        try:
            answer = self.client.get(path, customer_id=customer_id, params=params)
        except requests.RequestException as error:
            raise SendError(f"documents unreachable for {kind} {number}: {type(error).__name__}") from None
        if answer.status_code == 404:
            raise SendError(f"documents has no PDF of {kind} {number} (yet)")
        if answer.status_code != 200 or answer.headers.get("Content-Type", "").split(";")[0] != PDF:
            raise SendError(f"documents answered {answer.status_code} for {kind} {number}")
        return Attachment(
            filename=spec.get("filename") or f"{kind}-{number}.pdf", content_type=PDF, data=answer.content
        )
