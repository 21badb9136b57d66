"""Settings read from the environment, with a per-service prefix and safe local defaults.

A setting `database_url` of the billing service is read from `BILLING_DATABASE_URL`, then
from `PORTICO_DATABASE_URL`, then from the default. Settings every service shares (the
broker, the token secret, the other services' addresses) are read unprefixed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SERVICE_PORTS = {
    "portal-bff": 8000,
    "billing": 8001,
    "ticketing": 8002,
    "documents": 8003,
    "notifications": 8004,
}
DEV_JWT_SECRET = "portico-development-secret-change-me-in-production"  # noqa: S105 (a local default only)


def env_prefix(service: str) -> str:
    return service.upper().replace("-", "_")


def var_dir() -> Path:
    return Path(os.environ.get("PORTICO_VAR_DIR", REPO_ROOT / "var"))


def contracts_dir() -> Path:
    return Path(os.environ.get("PORTICO_CONTRACTS_DIR", REPO_ROOT / "contracts"))


def service_url(service: str) -> str:
    """Where another service answers: `<SERVICE>_URL`, by default on localhost."""
    default = f"http://127.0.0.1:{SERVICE_PORTS[service]}"
    return os.environ.get(f"{env_prefix(service)}_URL", default).rstrip("/")


@dataclass
class Settings:
    service: str
    database_url: str
    broker_url: str
    jwt_secret: str
    public_url: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return env_prefix(self.service)

    def get(self, name: str, default: str | None = None) -> str | None:
        """A service-specific setting: `<PREFIX>_<NAME>`, then `PORTICO_<NAME>`."""
        key = name.upper()
        for candidate in (f"{self.prefix}_{key}", f"PORTICO_{key}"):
            if candidate in self.extra:
                return self.extra[candidate]
            if candidate in os.environ:
                return os.environ[candidate]
        return default

    def get_int(self, name: str, default: int) -> int:
        return int(self.get(name, str(default)))


def load_settings(service: str, **overrides: str) -> Settings:
    prefix = env_prefix(service)

    def pick(name: str, default: str) -> str:
        key = name.upper()
        return overrides.get(name) or os.environ.get(f"{prefix}_{key}") or os.environ.get(f"PORTICO_{key}") or default

    db_default = f"sqlite:///{var_dir() / (service.replace('-', '_') + '.db')}"
    broker_default = os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
    return Settings(
        service=service,
        database_url=pick("database_url", db_default),
        broker_url=pick("broker_url", broker_default),
        jwt_secret=pick("jwt_secret", DEV_JWT_SECRET),
        public_url=pick("public_url", f"http://127.0.0.1:{SERVICE_PORTS[service]}"),
        extra={k: v for k, v in overrides.items() if k.isupper()},
    )
