"""Where the upstream services answer and how long the portal waits for each, from the settings.

Addresses are shared settings, read unprefixed as every service reads them
(`BILLING_URL`, ...; `PORTAL_BFF_BILLING_URL` wins where set). There is no default: a
portal pointed at nothing would answer every page "unavailable", so a missing address
stops the process at start. Timeouts and the breaker are the portal's own knobs:
`PORTAL_BFF_<SERVICE>_TIMEOUT_MS` (reads, the pages' sections), `PORTAL_BFF_WRITE_TIMEOUT_MS`
(writes and file transfers), `PORTAL_BFF_BREAKER_FAILURES`, `PORTAL_BFF_BREAKER_RESET_MS`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from portico.settings import Settings, env_prefix

UPSTREAMS = ("billing", "ticketing", "documents", "notifications")
READ_TIMEOUT_MS = 800
WRITE_TIMEOUT_MS = 10_000


class MissingUpstreamAddress(RuntimeError):
    def __init__(self, names: list[str]) -> None:
        super().__init__(f"Set the address of every upstream service: {', '.join(names)} (e.g. http://127.0.0.1:8001).")


@dataclass(frozen=True)
class UpstreamSettings:
    service: str
    base_url: str
    read_timeout: float  # seconds
    write_timeout: float
    breaker_failures: int
    breaker_reset: float


def _address(settings: Settings, service: str) -> str | None:
    key = f"{env_prefix(service)}_URL"
    found = settings.get(f"{service}_url") or settings.extra.get(key) or os.environ.get(key)
    return found.rstrip("/") if found else None


def upstream_settings(settings: Settings) -> dict[str, UpstreamSettings]:
    """The settings of every upstream; MissingUpstreamAddress names those without an address."""
    addresses = {service: _address(settings, service) for service in UPSTREAMS}
    missing = [f"{env_prefix(s)}_URL" for s, address in addresses.items() if not address]
    if missing:
        raise MissingUpstreamAddress(missing)
    write = settings.get_int("write_timeout_ms", WRITE_TIMEOUT_MS) / 1000
    return {
        service: UpstreamSettings(
            service=service,
            base_url=addresses[service],
            read_timeout=settings.get_int(f"{service}_timeout_ms", READ_TIMEOUT_MS) / 1000,
            write_timeout=write,
            breaker_failures=settings.get_int("breaker_failures", 5),
            breaker_reset=settings.get_int("breaker_reset_ms", 5000) / 1000,
        )
        for service in UPSTREAMS
    }
