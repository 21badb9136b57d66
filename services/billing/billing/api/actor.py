"""Who is making the request, as the activity timeline names them."""

from __future__ import annotations

from portico.auth import current_principal


def current_actor() -> str:
    """The operator's name (`operator:admin` → `admin`); a service is `service:<name>`."""
    principal = current_principal()
    return principal.name if principal.kind == "operator" else f"{principal.kind}:{principal.name}"
