"""Who wrote a comment or made a change: a customer, an operator, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing.models import AuthorKind


@dataclass(frozen=True)
class Author:
    kind: str  # AuthorKind
    name: str  # the customer's id, the operator's name, or "system"

    @classmethod
    def customer(cls, customer_id: int) -> Author:
        return cls(AuthorKind.CUSTOMER, str(customer_id))

    @classmethod
    def operator(cls, name: str) -> Author:
        return cls(AuthorKind.OPERATOR, name)


SYSTEM = Author(AuthorKind.SYSTEM, "system")
