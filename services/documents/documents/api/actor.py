"""Who is making the request."""

from __future__ import annotations

from portico.auth import current_principal
from portico.problems import Problem


def current_actor() -> str:
    """The operator's name (`operator:admin` -> `admin`); others as `customer:<id>` or `service:<name>`."""
    principal = current_principal()
    return principal.name if principal.kind == "operator" else f"{principal.kind}:{principal.name}"


def require_customer() -> None:
    """Only the customer themself may do this (an operator has the admin API)."""
    if current_principal().kind != "customer":
        raise Problem(403, "Forbidden", "Only the customer can do this; operators use /admin/v1/.")
