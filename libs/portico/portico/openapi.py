"""The OpenAPI document of each service, generated from its schemas and kept in `contracts/openapi/`.

`python -m portico.openapi write billing ticketing ...` rewrites the checked-in documents;
a test compares them with what the code generates, so a change cannot drift unnoticed.
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path

from portico.settings import SERVICE_PORTS, contracts_dir, load_settings


def service_name(package: str) -> str:
    return package.replace("_", "-")


def generate(package: str) -> dict:
    """Build the service's app (no broker, a throw-away database) and return its OpenAPI."""
    create_app = importlib.import_module(f"{package}.app").create_app
    service = service_name(package)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = service.upper().replace("-", "_")
        # Services that call others need their addresses to start; nothing is called here.
        addresses = {f"{other.upper().replace('-', '_')}_URL": "http://127.0.0.1:9" for other in SERVICE_PORTS}
        settings = load_settings(
            service, database_url=f"sqlite:///{tmp}/spec.db", **{f"{prefix}_OUTBOX_RELAY": "off"}, **addresses
        )
        app = create_app(settings)
        with app.app_context():
            spec = app.extensions["portico.api"].spec.to_dict()
        app.extensions["portico.db"].dispose()
    return spec


def render(spec: dict) -> str:
    return json.dumps(spec, indent=2, sort_keys=True) + "\n"


def document_path(package: str) -> Path:
    return contracts_dir() / "openapi" / f"{service_name(package)}.json"


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "write":
        print("usage: python -m portico.openapi write PACKAGE [PACKAGE ...]", file=sys.stderr)
        return 2
    for package in argv[1:]:
        path = document_path(package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(generate(package)))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
