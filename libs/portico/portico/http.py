"""Calls to another Portico service, carrying the work's request id and a service token.

Every call sends `X-Request-ID` and `X-Correlation-ID` from the request or event in hand,
so one customer action can be followed across services, and a short-lived JWT naming
the caller, the audience service and, for customer calls, the customer.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from portico import auth, context
from portico.settings import Settings, service_url


class ServiceClient:
    def __init__(self, settings: Settings, service: str, *, timeout: float = 2.0, pool_size: int = 20):
        self.settings = settings
        self.service = service
        self.base_url = service_url(service)
        self.timeout = timeout
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=pool_size))

    def headers(self, customer_id: int | None = None, scopes: tuple[str, ...] = ()) -> dict[str, str]:
        request_id = context.request_id.get() or str(uuid.uuid4())
        subject = f"customer:{customer_id}" if customer_id is not None else f"service:{self.settings.service}"
        token = auth.mint_token(self.settings.jwt_secret, subject=subject, audience=self.service, scopes=scopes, ttl=60)
        return {
            "Authorization": f"Bearer {token}",
            "X-Request-ID": request_id,
            "X-Correlation-ID": context.correlation_id.get() or request_id,
        }

    def request(
        self, method: str, path: str, *, customer_id: int | None = None, scopes: tuple[str, ...] = (), **kwargs: Any
    ) -> requests.Response:
        headers = self.headers(customer_id, scopes) | kwargs.pop("headers", {})
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, f"{self.base_url}{path}", headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)
