"""The portal's clients of the upstream services: one per service, each with its own breaker.

Built on the kit's ServiceClient (the request id, the correlation id and a short-lived
customer token travel on every call), with the address and timeouts from
upstream_settings and one outcome per answer:
- 2xx/3xx: the response;
- 4xx: UpstreamRejected, carrying the upstream's problem (the customer's mistake, or
  something that is not theirs: never a failure of the upstream);
- no connection, a timeout, a 5xx, a 401 (the service token refused), or the breaker open:
  UpstreamUnavailable, and all but the last count as failures towards opening the breaker.

Whatever the outcome of a write on a customer's behalf (anything but GET and HEAD) that was
sent, `on_write(customer_id, service)` is told once it is over, so the portal reads that
customer's data of the service again from then on (freshness.py): read-your-writes for
every write through the portal, whoever makes it. A customer's token is minted once and
used for half its life, which also lets the upstream's check of it hit its cache.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3

from portal_bff.circuit_breaker import CircuitBreaker
from portal_bff.errors import UpstreamRejected, UpstreamUnavailable
from portal_bff.upstream_settings import UpstreamSettings
from portico import auth, context
from portico.http import ServiceClient
from portico.settings import Settings

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD"})
TOKEN_TTL = 60  # seconds
TOKEN_REUSE = 30  # a token is used for this long, so an upstream never gets one with less than 30 s left
TOKENS_KEPT = 10_000
WriteHook = Callable[[int, str], None]


def _no_hook(customer_id: int, service: str) -> None:
    pass


class Upstream(ServiceClient):
    """One upstream service as the portal calls it."""

    def __init__(
        self, settings: Settings, upstream: UpstreamSettings, *, pool_size: int = 32, on_write: WriteHook = _no_hook
    ) -> None:
        super().__init__(settings, upstream.service, timeout=upstream.read_timeout, pool_size=pool_size)
        self.base_url = upstream.base_url
        # Service-to-service calls take nothing from the environment: no proxies, no .netrc
        # (requests would otherwise look for them on disk on every call).
        self.session.trust_env = False
        self.write_timeout = upstream.write_timeout
        self.breaker = CircuitBreaker(failures=upstream.breaker_failures, reset_after=upstream.breaker_reset)
        self.on_write = on_write
        self._tokens: dict[tuple[int | None, tuple[str, ...]], tuple[str, float]] = {}
        # The pages' reads (get_json) go straight through urllib3, on connections of their own.
        self._prefix = urlsplit(self.base_url).path.rstrip("/")
        self._reads = urllib3.connection_from_url(self.base_url, maxsize=pool_size, block=False)

    def headers(self, customer_id: int | None = None, scopes: tuple[str, ...] = ()) -> dict[str, str]:
        request_id = context.request_id.get() or str(uuid.uuid4())
        return {
            "Authorization": f"Bearer {self._token(customer_id, tuple(scopes))}",
            "X-Request-ID": request_id,
            "X-Correlation-ID": context.correlation_id.get() or request_id,
        }

    def _token(self, customer_id: int | None, scopes: tuple[str, ...]) -> str:
        key, moment = (customer_id, scopes), time.monotonic()
        kept = self._tokens.get(key)
        if kept is not None and moment - kept[1] < TOKEN_REUSE:
            return kept[0]
        subject = f"customer:{customer_id}" if customer_id is not None else f"service:{self.settings.service}"
        token = auth.mint_token(
            self.settings.jwt_secret, subject=subject, audience=self.service, scopes=scopes, ttl=TOKEN_TTL
        )
        if len(self._tokens) >= TOKENS_KEPT:
            self._tokens.clear()
        self._tokens[key] = (token, moment)
        return token

    def call(self, method: str, path: str, *, customer_id: int, **kwargs: Any) -> requests.Response:
        """Send one request on behalf of the customer; see the module's docstring for the outcomes."""
        method = method.upper()
        if not self.breaker.allow():
            raise UpstreamUnavailable(self.service)
        writes = method not in SAFE_METHODS
        if writes or kwargs.get("stream"):
            kwargs.setdefault("timeout", self.write_timeout)
        try:
            response = self._send(method, path, customer_id=customer_id, **kwargs)
        finally:
            if writes:
                self.on_write(customer_id, self.service)
        return self._outcome(method, path, response)

    def _send(self, method: str, path: str, *, customer_id: int, **kwargs: Any) -> requests.Response:
        try:
            return self.request(method, path, customer_id=customer_id, **kwargs)
        except requests.ConnectionError as error:
            self.breaker.failed()
            log.warning("upstream %s %s %s: no connection (%s)", self.service, method, path, type(error).__name__)
            raise UpstreamUnavailable(self.service, maybe_done=_maybe_reached(error, method)) from None
        except requests.Timeout:
            self.breaker.failed()
            log.warning("upstream %s %s %s: timed out", self.service, method, path)
            raise UpstreamUnavailable(self.service, maybe_done=method not in SAFE_METHODS) from None
        except BaseException:
            self.breaker.failed()  # never leave a trial call of the breaker open
            raise

    def _outcome(self, method: str, path: str, response: requests.Response) -> requests.Response:
        status = response.status_code
        if status >= 500 or status == 401:
            self.breaker.failed()
            log.warning("upstream %s %s %s answered %s", self.service, method, path, status)
            response.close()
            raise UpstreamUnavailable(self.service, maybe_done=status >= 500 and method not in SAFE_METHODS)
        self.breaker.succeeded()
        if status >= 400:
            problem = _problem_of(response)
            response.close()
            raise UpstreamRejected(self.service, status, problem)
        return response

    def get_json(self, path: str, *, customer_id: int, params: Any = None) -> Any:
        """GET a JSON document of the customer's: the outcomes of `call`, read with urllib3 alone.

        The pages' reads are most of the portal's calls; requests' own work per call (merging
        settings, preparing, hooks) costs as much as the rest of the call, so they skip it.
        """
        if not self.breaker.allow():
            raise UpstreamUnavailable(self.service)
        target = self._prefix + path + (f"?{_query(params)}" if params else "")
        try:
            response = self._reads.urlopen(
                "GET",
                target,
                headers=self.headers(customer_id),
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.TimeoutError:
            self.breaker.failed()
            log.warning("upstream %s GET %s: timed out", self.service, path)
            raise UpstreamUnavailable(self.service) from None
        except urllib3.exceptions.HTTPError as error:
            self.breaker.failed()
            log.warning("upstream %s GET %s: no connection (%s)", self.service, path, type(error).__name__)
            raise UpstreamUnavailable(self.service) from None
        except BaseException:
            self.breaker.failed()  # never leave a trial call of the breaker open
            raise
        return self._json_outcome(path, response.status, response.data)

    def _json_outcome(self, path: str, status: int, body: bytes) -> Any:
        if status >= 500 or status == 401:
            self.breaker.failed()
            log.warning("upstream %s GET %s answered %s", self.service, path, status)
            raise UpstreamUnavailable(self.service)
        self.breaker.succeeded()
        try:
            found = json.loads(body) if status < 400 or body else {}
        except ValueError:
            if status >= 400:
                found = {}
            else:
                log.warning("upstream %s GET %s: the answer is not JSON", self.service, path)
                raise UpstreamUnavailable(self.service) from None
        if status >= 400:
            raise UpstreamRejected(self.service, status, found if isinstance(found, dict) else {})
        return found


def _query(params: Any) -> str:
    """The query string as requests writes it: a list is the name repeated, None is left out."""
    pairs = params.items() if isinstance(params, dict) else params
    return urlencode([(name, value) for name, value in pairs if value is not None], doseq=True)


def _maybe_reached(error: requests.ConnectionError, method: str) -> bool:
    """Whether a failed unsafe request may have been carried out: only a connection never made was not."""
    never_connected = isinstance(error, requests.ConnectTimeout) or "NewConnectionError" in repr(error.args)
    return method not in SAFE_METHODS and not never_connected


def _problem_of(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Upstreams:
    """The portal's upstreams by name, made once per process from the settings."""

    def __init__(
        self,
        settings: Settings,
        upstreams: dict[str, UpstreamSettings],
        *,
        pool_size: int = 32,
        on_write: WriteHook = _no_hook,
    ) -> None:
        self._by_name = {
            name: Upstream(settings, u, pool_size=pool_size, on_write=on_write) for name, u in upstreams.items()
        }

    def __getitem__(self, service: str) -> Upstream:
        return self._by_name[service]

    @property
    def billing(self) -> Upstream:
        return self._by_name["billing"]

    @property
    def ticketing(self) -> Upstream:
        return self._by_name["ticketing"]

    @property
    def documents(self) -> Upstream:
        return self._by_name["documents"]

    @property
    def notifications(self) -> Upstream:
        return self._by_name["notifications"]
