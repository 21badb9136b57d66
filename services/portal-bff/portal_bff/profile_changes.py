"""The customer changes their profile: only the fields the portal config makes editable, through billing."""

from __future__ import annotations

from typing import Any

from portal_bff import visibility
from portal_bff.errors import InvalidFields
from portal_bff.pages import Reader
from portal_bff.pages.profile import profile_model


def change_profile(reader: Reader, changes: dict[str, Any]) -> dict[str, Any]:
    """Send the changes to billing; the profile as the page shows it. InvalidFields for a field not editable."""
    editable = visibility.editable_fields(reader.config)
    refused = {name: ["This field cannot be changed here."] for name in changes if name not in editable}
    if refused:
        raise InvalidFields(refused)
    if not changes:
        raise InvalidFields({"_schema": ["Give at least one field to change."]})
    response = reader.upstreams.billing.call(
        "PATCH", reader.path("/profile"), customer_id=reader.customer_id, json=changes
    )
    return profile_model(response.json(), reader.config)
