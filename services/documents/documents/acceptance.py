"""A customer's acceptance of a contract that asks for it: recorded once, with the exact file accepted.

The record holds the name the customer typed, when, from which IP address and user agent,
and the SHA-256 of the file they were shown. It is never changed (the database refuses
updates) and a second acceptance is refused by the unique insert itself.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents import events
from documents.documents import get_customer_document
from documents.errors import AcceptanceNotAsked, AcceptedFileChanged, AlreadyAccepted
from documents.models import ContractAcceptance, DocumentKind

MAX_USER_AGENT = 512


@dataclass(frozen=True)
class Acceptance:
    """What the customer did: typed a name to accept the file with this hash, from this client."""

    accepted_name: str
    sha256: str
    ip_address: str
    user_agent: str


def client_address(forwarded_for: str | None, remote_addr: str | None) -> str:
    """The customer's IP: the first X-Forwarded-For address (set by the BFF), else the peer's address."""
    for candidate in ((forwarded_for or "").split(",")[0].strip(), (remote_addr or "").strip()):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return "unknown"


def accept_contract(
    session: Session, customer_id: int, document_id: int, acceptance: Acceptance, *, now: datetime
) -> ContractAcceptance:
    """Record the acceptance and emit `documents.contract.accepted`; 409 if asked nothing, stale or twice."""
    document = get_customer_document(session, customer_id, document_id)
    if document.kind != DocumentKind.CONTRACT or not document.requires_acceptance:
        raise AcceptanceNotAsked("This document does not ask to be accepted.")
    if acceptance.sha256 != document.sha256:
        raise AcceptedFileChanged("The file accepted is not the contract's file; show the contract again.")
    record = ContractAcceptance(
        document_id=document.id,
        customer_id=customer_id,
        accepted_name=acceptance.accepted_name.strip(),
        accepted_at=now,
        ip_address=acceptance.ip_address,
        user_agent=acceptance.user_agent[:MAX_USER_AGENT],
        sha256=document.sha256,
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        raise AlreadyAccepted("The contract has already been accepted.") from None
    events.publish(
        session,
        events.CONTRACT_ACCEPTED,
        {
            "acceptance_id": record.id,
            "document_id": document.id,
            "customer_id": customer_id,
            "title": document.title,
            "sha256": record.sha256,
            "accepted_name": record.accepted_name,
            "accepted_at": events.rfc3339(now),
        },
        aggregate_type="document",
        aggregate_id=document.id,
    )
    return record
