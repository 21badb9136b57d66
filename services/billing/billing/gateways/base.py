"""The payment-gateway interface billing speaks to every gateway through.

A gateway hosts the checkout page (billing never sees a card number), tells billing the
outcome by a signed webhook, keeps saved cards and accounts as tokens, and charges a token
on request. Each gateway's adapter implements `PaymentGateway`; billing's rules use only it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

PAID = "paid"
FAILED = "failed"


@dataclass(frozen=True)
class Checkout:
    """A checkout opened at the gateway: its id (what webhooks name) and the page to send the customer to."""

    id: str
    url: str


@dataclass(frozen=True)
class SavedMethod:
    """A card or bank account as the gateway keeps it: a token and what the customer may see."""

    token: str
    fingerprint: str  # the same for the same card or account number, whatever the token
    kind: str  # "card" or "bank_account"
    masked: str
    last4: str
    brand: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None
    holder_name: str | None = None


@dataclass(frozen=True)
class CardDetails:
    number: str
    exp_month: int
    exp_year: int
    holder_name: str | None = None


@dataclass(frozen=True)
class BankAccountDetails:
    iban: str
    holder_name: str


@dataclass(frozen=True)
class WebhookEvent:
    """A webhook whose signature was verified: how a checkout ended."""

    checkout_id: str
    status: str  # PAID or FAILED
    amount: Decimal
    currency: str
    transaction_id: str | None
    method: str = "card"  # how the customer paid, as billing records the payment's method
    failure_reason: str | None = None
    saved_method: SavedMethod | None = None  # when the customer chose to save what they paid with


@dataclass(frozen=True)
class ChargeResult:
    succeeded: bool
    transaction_id: str | None
    failure_reason: str | None = None


class PaymentGateway(ABC):
    name: str

    @abstractmethod
    def create_checkout(
        self,
        amount: Decimal,
        currency: str,
        description: str,
        return_url: str | None,
        reference: str,
        *,
        offer_to_save: bool = False,
    ) -> Checkout:
        """Open a hosted checkout for `amount`; `reference` is billing's name for it."""

    @abstractmethod
    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        """The event a webhook carries, once its signature is verified (else InvalidWebhook)."""

    @abstractmethod
    def charge_saved_method(self, token: str, amount: Decimal, currency: str, reference: str) -> ChargeResult:
        """Charge a saved method; a repeated `reference` answers the first result and charges nothing."""

    @abstractmethod
    def tokenize(self, details: CardDetails | BankAccountDetails) -> SavedMethod:
        """Keep a card or bank account at the gateway; what billing may store of it (InvalidFields if unusable)."""
