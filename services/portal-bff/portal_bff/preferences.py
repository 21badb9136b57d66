"""The customer's portal preferences: theme (light, dark, or as the system says) and language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal_bff import upserts
from portal_bff.errors import InvalidFields
from portal_bff.models import Preferences

THEMES = ("light", "dark", "system")
DEFAULT_THEME = "system"


def preferences_of(session: Session, customer_id: int, *, languages: Sequence[str]) -> dict[str, str]:
    """The stored preferences, or the defaults (the system's theme, the portal's first language)."""
    row = session.get(Preferences, customer_id)
    if row is None:
        return {"theme": DEFAULT_THEME, "language": languages[0]}
    language = row.language if row.language in languages else languages[0]
    return {"theme": row.theme, "language": language}


def change_preferences(
    session: Session, customer_id: int, changes: dict[str, Any], *, languages: Sequence[str], now: datetime
) -> dict[str, str]:
    """Store the changes (theme and/or language); InvalidFields for a language the portal does not offer."""
    if "language" in changes and changes["language"] not in languages:
        raise InvalidFields({"language": [f"Choose one of: {', '.join(languages)}."]})
    defaults = {"theme": DEFAULT_THEME, "language": languages[0]}
    # Only the fields given are set on an existing row: two changes at once, of the theme and of
    # the language, both stay.
    changed = dict(changes) | {"updated_at": now}
    session.execute(
        upserts.insert(session, Preferences.__table__)
        .values(customer_id=customer_id, **(defaults | changed))
        .on_conflict_do_update(index_elements=["customer_id"], set_=changed)
    )
    return preferences_of(session, customer_id, languages=languages)
