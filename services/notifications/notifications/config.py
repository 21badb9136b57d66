"""What the rules need from the settings, read once: the portal's address, the support mailbox, SMS policy.

`NOTIFICATIONS_PORTAL_URL` is where links in messages point (by default the portal's own
public address, `PORTAL_BFF_PUBLIC_URL`, as in its set-password links, else its address); `NOTIFICATIONS_SUPPORT_MAILBOX` gets a copy of each new ticket (none if empty);
`NOTIFICATIONS_SMS_TEMPLATES` lists the templates that also go by SMS when their event
arrives; `NOTIFICATIONS_SMS_DEFAULT_REGION` (e.g. "GB") reads numbers written without a
country code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from portico.settings import Settings, service_url

DEFAULT_SMS_TEMPLATES = "invoice_overdue,suspension_scheduled,account_blocked,account_unblocked,usage_limit_reached"


@dataclass(frozen=True)
class NotificationConfig:
    portal_url: str = "http://127.0.0.1:8000"
    support_mailbox: str | None = None
    sms_templates: frozenset[str] = frozenset(DEFAULT_SMS_TEMPLATES.split(","))
    sms_default_region: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> NotificationConfig:
        templates = settings.get("sms_templates", DEFAULT_SMS_TEMPLATES) or ""
        return cls(
            portal_url=(
                settings.get("portal_url") or os.environ.get("PORTAL_BFF_PUBLIC_URL") or service_url("portal-bff")
            ).rstrip("/"),
            support_mailbox=settings.get("support_mailbox") or None,
            sms_templates=frozenset(name.strip() for name in templates.split(",") if name.strip()),
            sms_default_region=settings.get("sms_default_region") or None,
        )

    # -- where the portal shows things (the BFF's page routes) --------------------------
    def invoice_url(self, number: str) -> str:
        return f"{self.portal_url}/finance/invoices/{number}"

    @property
    def payments_url(self) -> str:
        return f"{self.portal_url}/finance/payments"

    @property
    def finance_url(self) -> str:
        return f"{self.portal_url}/finance"

    @property
    def services_url(self) -> str:
        return f"{self.portal_url}/services"

    def ticket_url(self, ticket_id: int) -> str:
        return f"{self.portal_url}/tickets/{ticket_id}"

    @property
    def documents_url(self) -> str:
        return f"{self.portal_url}/documents"

    @property
    def news_url(self) -> str:
        return f"{self.portal_url}/news"
