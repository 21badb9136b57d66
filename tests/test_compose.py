"""The docker compose stack: each service runs as a web process, a worker and a one-shot
migration, on its own database, from an image that does not run as root."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
POSTGRES_INIT = REPO_ROOT / "deploy" / "postgres" / "init-databases.sql"

# compose service name -> (Python package, port)
SERVICES = {
    "portal-bff": ("portal_bff", 8000),
    "billing": ("billing", 8001),
    "ticketing": ("ticketing", 8002),
    "documents": ("documents", 8003),
    "notifications": ("notifications", 8004),
}


def env_prefix(service: str) -> str:
    return service.upper().replace("-", "_")


@pytest.fixture(scope="module")
def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def environment(definition: dict) -> dict[str, str]:
    """A service's environment, whichever of compose's two spellings it uses."""
    env = definition.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def command(definition: dict) -> list[str]:
    cmd = definition.get("command") or []
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def published_ports(definition: dict) -> set[tuple[int, int]]:
    """(host port, container port) pairs, from the short or the long syntax."""
    pairs = set()
    for port in definition.get("ports") or []:
        if isinstance(port, dict):
            if port.get("published") is not None:
                pairs.add((int(port["published"]), int(port["target"])))
            continue
        parts = str(port).split("/")[0].split(":")
        if len(parts) >= 2:
            pairs.add((int(parts[-2]), int(parts[-1])))
    return pairs


def depends_on(definition: dict) -> dict[str, str]:
    """Each dependency and the condition waited for (a plain list means service_started)."""
    deps = definition.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def healthcheck_test(definition: dict) -> str:
    check = definition.get("healthcheck") or {}
    if check.get("disable"):
        return ""
    test = check.get("test") or ""
    return test if isinstance(test, str) else " ".join(test)


def processes(service: str) -> dict[str, str]:
    """The compose services that run one Portico service: role -> compose name."""
    return {"web": service, "worker": f"{service}-worker", "migrate": f"{service}-migrate"}


def database_url(services: dict[str, dict], service: str) -> str:
    """The database a service's web process is given (`<PREFIX>_DATABASE_URL`)."""
    return environment(services[service])[f"{env_prefix(service)}_DATABASE_URL"]


def database_of(url: str) -> tuple[str, int, str]:
    """(host, port, database name): what makes two URLs the same database."""
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or 5432, parts.path.lstrip("/")


def test_broker_and_database_are_defined_with_healthchecks(services):
    assert "rabbitmq-diagnostics" in healthcheck_test(services["rabbitmq"])
    assert "pg_isready" in healthcheck_test(services["postgres"])


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_web_worker_and_migration(services, service):
    package, _ = SERVICES[service]
    names = processes(service)
    assert set(names.values()) <= set(services), f"missing for {service}"
    assert command(services[names["worker"]]) == ["python", "-m", f"{package}.worker"]
    assert command(services[names["migrate"]]) == ["python", "-m", f"{package}.migrate"]


@pytest.mark.parametrize("service", SERVICES)
def test_web_process_publishes_its_port_and_checks_healthz(services, service):
    _, port = SERVICES[service]
    web = services[service]
    assert (port, port) in published_ports(web)
    assert "/healthz" in healthcheck_test(web)


def test_workers_and_migrations_can_be_scaled_without_port_clashes(services):
    for service in SERVICES:
        for role in ("worker", "migrate"):
            assert not services[processes(service)[role]].get("ports"), f"{service} {role} publishes a port"
    named = [name for name, definition in services.items() if "container_name" in definition]
    assert named == [], "a fixed container_name prevents --scale"


@pytest.mark.parametrize("service", SERVICES)
def test_web_and_worker_start_after_their_migration_completes(services, service):
    names = processes(service)
    for role in ("web", "worker"):
        deps = depends_on(services[names[role]])
        assert deps.get(names["migrate"]) == "service_completed_successfully", f"{names[role]}"
        assert deps.get("postgres") == "service_healthy", f"{names[role]}"
        assert deps.get("rabbitmq") == "service_healthy", f"{names[role]}"
    assert depends_on(services[names["migrate"]]).get("postgres") == "service_healthy"


@pytest.mark.parametrize("service", SERVICES)
def test_every_process_of_a_service_gets_that_service_database_url(services, service):
    own_key = f"{env_prefix(service)}_DATABASE_URL"
    others = {f"{env_prefix(other)}_DATABASE_URL" for other in SERVICES if other != service}
    urls = set()
    for name in processes(service).values():
        env = environment(services[name])
        assert env.get(own_key, "").startswith("postgresql+psycopg://"), f"{name} lacks {own_key}"
        assert not others & env.keys(), f"{name} is given another service's database"
        urls.add(env[own_key])
    assert len(urls) == 1, f"the processes of {service} disagree on its database"


def test_no_two_services_share_a_database(services):
    databases = {service: database_of(database_url(services, service)) for service in SERVICES}
    assert len(set(databases.values())) == len(SERVICES), databases


def test_postgres_init_script_creates_every_database_the_services_use(services):
    created = set(re.findall(r"CREATE\s+DATABASE\s+(\w+)", POSTGRES_INIT.read_text(), re.IGNORECASE))
    used = {database_of(database_url(services, service))[2] for service in SERVICES}
    assert used <= created, f"not created by {POSTGRES_INIT.name}: {used - created}"


@pytest.mark.parametrize("service", SERVICES)
def test_service_urls_point_at_the_compose_web_services(services, service):
    for name in processes(service).values():
        env = environment(services[name])
        for other, (_, other_port) in SERVICES.items():
            assert env.get(f"{env_prefix(other)}_URL") == f"http://{other}:{other_port}", name
        assert env.get("BROKER_URL", "").startswith("amqp://"), name
        assert env.get("PORTICO_SMTP_HOST") == "mailcatcher", name


def test_every_dockerfile_named_in_a_build_exists_and_runs_as_non_root(services):
    builds = {name: definition["build"] for name, definition in services.items() if "build" in definition}
    assert builds, "no service is built from this repository"
    for name, build in builds.items():
        if isinstance(build, str):
            build = {"context": build}
        dockerfile = REPO_ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")
        assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"
        users = re.findall(r"^\s*USER\s+(\S+)", dockerfile.read_text(), re.MULTILINE | re.IGNORECASE)
        assert users, f"{dockerfile} never leaves root"
        assert users[-1].split(":")[0] not in {"root", "0"}, f"{dockerfile} runs as root"
