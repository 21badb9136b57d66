"""Each partner's branding on invoices and receipts: name, logo, address, tax id, bank details."""

from __future__ import annotations

import base64
from collections import OrderedDict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from documents.blobs import store_blob
from documents.errors import NotFound
from documents.models import PartnerBranding
from documents.storage import BlobStorage
from documents.uploads import Upload

FIELDS = ("name", "address", "tax_id", "bank_details", "payment_instructions", "email", "phone", "website")
MULTILINE = ("address", "bank_details", "payment_instructions")  # "" rather than null when empty
_LOGO_CACHE_SIZE = 32
_logo_uris: OrderedDict[str, str] = OrderedDict()


class BrandingNotFound(NotFound):
    pass


def find_branding(session: Session, partner_id: int) -> PartnerBranding | None:
    return session.get(PartnerBranding, partner_id)


def get_branding(session: Session, partner_id: int) -> PartnerBranding:
    branding = find_branding(session, partner_id)
    if branding is None:
        raise BrandingNotFound(f"Partner {partner_id} has no branding yet.")
    return branding


def put_branding(
    session: Session, partner_id: int, values: dict[str, Any], *, actor: str, now: datetime
) -> PartnerBranding:
    """Set the partner's branding (every field; the logo is kept)."""
    branding = find_branding(session, partner_id)
    if branding is None:
        branding = PartnerBranding(partner_id=partner_id)
        session.add(branding)
    for name in FIELDS:
        value = values.get(name)
        setattr(branding, name, value if value is not None else ("" if name in MULTILINE else None))
    branding.updated_by = actor
    branding.updated_at = now
    session.flush()
    return branding


def set_logo(
    session: Session, storage: BlobStorage, partner_id: int, upload: Upload, *, actor: str, now: datetime
) -> tuple[PartnerBranding, str | None]:
    """Give the partner this logo; returns the branding and the SHA-256 of the logo it replaced."""
    branding = get_branding(session, partner_id)
    replaced = branding.logo_sha256
    store_blob(session, storage, upload.sha256, upload.data)
    branding.logo_sha256, branding.logo_content_type = upload.sha256, upload.content_type
    branding.updated_by, branding.updated_at = actor, now
    session.flush()
    return branding, replaced if replaced != upload.sha256 else None


def remove_logo(session: Session, partner_id: int, *, actor: str, now: datetime) -> str | None:
    branding = get_branding(session, partner_id)
    replaced = branding.logo_sha256
    branding.logo_sha256 = branding.logo_content_type = None
    branding.updated_by, branding.updated_at = actor, now
    return replaced


def branding_context(branding: PartnerBranding | None, partner_id: int, storage: BlobStorage) -> dict[str, Any]:
    """What templates see as `partner`; a partner without branding yet prints a plain placeholder."""
    if branding is None:
        return {
            "id": partner_id,
            "name": f"Partner {partner_id}",
            "address": "",
            "tax_id": None,
            "bank_details": "",
            "payment_instructions": "",
            "email": None,
            "phone": None,
            "website": None,
            "logo_uri": None,
        }
    context = {name: getattr(branding, name) for name in FIELDS}
    context["id"] = partner_id
    context["logo_uri"] = (
        logo_data_uri(storage, branding.logo_sha256, branding.logo_content_type) if branding.logo_sha256 else None
    )
    return context


def logo_data_uri(storage: BlobStorage, sha256: str, content_type: str) -> str:
    """The logo inside the HTML (rendering fetches nothing); blobs never change, so it is cached by hash."""
    uri = _logo_uris.get(sha256)
    if uri is None:
        uri = f"data:{content_type};base64,{base64.b64encode(storage.read(sha256)).decode()}"
        _logo_uris[sha256] = uri
        while len(_logo_uris) > _LOGO_CACHE_SIZE:
            _logo_uris.popitem(last=False)
    return uri
