"""The built-in `demo` gateway: a hosted checkout page served by billing itself, for tests and demos.

It behaves as a real gateway does from billing's side: it opens checkouts, shows the customer a
page (GET /gateway/demo/checkout/<id>, see api/demo_gateway.py), and reports the outcome by an
HMAC-SHA256-signed webhook that billing verifies like any other. Its records live in its own
tables (gateway_models: demo_gateway_*), written in transactions of its own, never inside
billing's. Cards that pass Luhn are accepted; 4000 0000 0000 0002 is declined, as at most
gateways' test modes. It moves no money: turn it off in production (`BILLING_DEMO_GATEWAY=off`).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from billing.errors import CheckoutClosed, CheckoutNotFound, InvalidFields, InvalidWebhook
from billing.gateway_models import AccountKind, DemoCharge, DemoCheckout, DemoMethod
from billing.gateways import account_numbers, signatures
from billing.gateways.base import (
    FAILED,
    PAID,
    BankAccountDetails,
    CardDetails,
    ChargeResult,
    Checkout,
    PaymentGateway,
    SavedMethod,
    WebhookEvent,
)
from billing.money import amount_text
from portico.db import Database

NAME = "demo"
DEV_SECRET = "demo-gateway-development-secret"  # noqa: S105 (a local default only)
DECLINING_CARD = "4000000000000002"
TEST_CARD = "4242424242424242"
OPEN = "open"
DECLINED = "Your card was declined."


@dataclass(frozen=True)
class SignedWebhook:
    headers: dict[str, str]
    body: bytes


class DemoGateway(PaymentGateway):
    name = NAME

    def __init__(self, db: Database, *, secret: str, public_url: str, clock: Callable[[], datetime]):
        self.db = db
        self.secret = secret
        self.public_url = public_url.rstrip("/")
        self.clock = clock

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
        checkout_id = f"dcs_{secrets.token_urlsafe(18)}"
        with self.db.transaction() as session:
            session.add(
                DemoCheckout(
                    id=checkout_id,
                    amount=amount,
                    currency=currency,
                    description=description,
                    return_url=return_url,
                    reference=reference,
                    offer_to_save=offer_to_save,
                    status=OPEN,
                    created_at=self.clock(),
                )
            )
        return Checkout(id=checkout_id, url=f"{self.public_url}/gateway/demo/checkout/{checkout_id}")

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        signatures.verify(self.secret, headers, body, self.clock())
        try:
            data = json.loads(body)
            saved = data.get("saved_method")
            return WebhookEvent(
                checkout_id=str(data["checkout_id"]),
                status=_status(data["status"]),
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]),
                transaction_id=data.get("transaction_id"),
                method=str(data.get("method") or AccountKind.CARD),
                failure_reason=data.get("failure_reason"),
                saved_method=SavedMethod(**saved) if saved else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation):
            raise InvalidWebhook("The webhook's body is not a checkout event.") from None

    def charge_saved_method(self, token: str, amount: Decimal, currency: str, reference: str) -> ChargeResult:
        with self.db.transaction() as session:
            charged = session.get(DemoCharge, reference)
            if charged is None:
                method = session.get(DemoMethod, token)
                succeeded = method is not None and not method.declines
                reason = None if succeeded else DECLINED if method is not None else "Unknown payment method."
                charged = DemoCharge(
                    reference=reference,
                    token=token,
                    amount=amount,
                    currency=currency,
                    succeeded=succeeded,
                    transaction_id=_transaction_id() if succeeded else None,
                    failure_reason=reason,
                    created_at=self.clock(),
                )
                session.add(charged)
            return ChargeResult(charged.succeeded, charged.transaction_id, charged.failure_reason)

    def tokenize(self, details: CardDetails | BankAccountDetails) -> SavedMethod:
        if isinstance(details, CardDetails):
            return self._keep_card(details)
        return self._keep_bank_account(details)

    # The hosted page (api/demo_gateway.py shows it and posts the customer's choice here).

    def hosted_checkout(self, checkout_id: str) -> DemoCheckout:
        with self.db.reading() as session:
            checkout = session.get(DemoCheckout, checkout_id)
            if checkout is None:
                raise CheckoutNotFound(f"No checkout {checkout_id}.")
            return checkout

    def complete(self, checkout_id: str, *, pay: bool, card: CardDetails | None, save: bool) -> SignedWebhook:
        """The customer's Pay (with `card`) or Fail on the hosted page; the webhook to send billing."""
        saved = self._keep_card(card) if pay and card is not None else None
        declined = saved is not None and saved.fingerprint == self._fingerprint(DECLINING_CARD)
        with self.db.transaction() as session:
            checkout = session.get(DemoCheckout, checkout_id, with_for_update=True)
            if checkout is None:
                raise CheckoutNotFound(f"No checkout {checkout_id}.")
            if checkout.status == PAID:
                raise CheckoutClosed("This checkout is paid already.")
            paid = pay and not declined
            checkout.status = PAID if paid else FAILED
            checkout.transaction_id = _transaction_id() if paid else None
            checkout.completed_at = self.clock()
            data = {
                "type": "checkout.completed",
                "checkout_id": checkout.id,
                "reference": checkout.reference,
                "status": checkout.status,
                "amount": amount_text(checkout.amount),
                "currency": checkout.currency,
                "transaction_id": checkout.transaction_id,
                "method": AccountKind.CARD,
                "failure_reason": None if paid else DECLINED if pay else "The customer cancelled the payment.",
                "saved_method": asdict(saved) if paid and save and saved else None,
            }
        return self.signed(data)

    def signed(self, data: dict) -> SignedWebhook:
        body = json.dumps(data).encode()
        headers = {
            signatures.HEADER: signatures.sign(self.secret, body, self.clock()),
            "Content-Type": "application/json",
        }
        return SignedWebhook(headers, body)

    def _keep_card(self, card: CardDetails) -> SavedMethod:
        digits = account_numbers.card_digits(card.number)
        if digits is None:
            raise InvalidFields({"card": {"number": ["Not a valid card number."]}})
        today = self.clock().date()
        if not 1 <= card.exp_month <= 12 or (card.exp_year, card.exp_month) < (today.year, today.month):
            raise InvalidFields({"card": {"exp_month": ["The card has expired."]}})
        method = SavedMethod(
            token=f"dpm_{secrets.token_urlsafe(18)}",
            fingerprint=self._fingerprint(digits),
            kind=AccountKind.CARD,
            masked=account_numbers.masked_card(digits),
            last4=digits[-4:],
            brand=account_numbers.card_brand(digits),
            exp_month=card.exp_month,
            exp_year=card.exp_year,
            holder_name=card.holder_name,
        )
        self._store(method, declines=digits == DECLINING_CARD)
        return method

    def _keep_bank_account(self, account: BankAccountDetails) -> SavedMethod:
        iban = account_numbers.iban_text(account.iban)
        if iban is None:
            raise InvalidFields({"bank_account": {"iban": ["Not a valid IBAN."]}})
        method = SavedMethod(
            token=f"dpm_{secrets.token_urlsafe(18)}",
            fingerprint=account_numbers.fingerprint(self.secret, AccountKind.BANK_ACCOUNT, iban),
            kind=AccountKind.BANK_ACCOUNT,
            masked=account_numbers.masked_iban(iban),
            last4=iban[-4:],
            holder_name=account.holder_name,
        )
        self._store(method, declines=False)
        return method

    def _fingerprint(self, digits: str) -> str:
        return account_numbers.fingerprint(self.secret, AccountKind.CARD, digits)

    def _store(self, method: SavedMethod, *, declines: bool) -> None:
        with self.db.transaction() as session:
            session.add(
                DemoMethod(
                    token=method.token,
                    fingerprint=method.fingerprint,
                    kind=method.kind,
                    declines=declines,
                    created_at=self.clock(),
                )
            )


def _status(value: object) -> str:
    if value not in (PAID, FAILED):
        raise ValueError(value)
    return str(value)


def _transaction_id() -> str:
    return f"dtx_{secrets.token_hex(12)}"


def card_expiry_default(today: date) -> tuple[int, int]:
    """An expiry the hosted page fills in for the test card: December, three years on."""
    return 12, today.year + 3
