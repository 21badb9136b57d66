"""The docker compose stack: each service runs as a web process, a worker and a one-shot
migration, on its own database, from an image that does not run as root; every process
waits for what it needs to be healthy, data lives on named volumes, and web processes and
workers expose their metrics."""

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
GUNICORN_CONF = REPO_ROOT / "deploy" / "gunicorn.conf.py"
WORKER_METRICS_PORT = "9100"
# Where each stateful piece keeps what must outlive its container: compose service -> path.
DATA_PATHS = {
    "postgres": "/var/lib/postgresql/data",
    "rabbitmq": "/var/lib/rabbitmq",
    "documents": "/app/var",
    "documents-worker": "/app/var",
    "ticketing": "/app/var",
    "ticketing-worker": "/app/var",
}
SYNC_WORKERS = {"billing", "ticketing"}  # GUNICORN_WORKER_CLASS=sync (deploy/gunicorn.conf.py)

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
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict]:
    return compose["services"]


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


def mounts(definition: dict) -> dict[str, str]:
    """Container path -> source (a named volume, a host path, or "tmpfs"), from the short or
    the long syntax of `volumes`, and from `tmpfs`."""
    found = {}
    for volume in definition.get("volumes") or []:
        if isinstance(volume, dict):
            found[volume["target"]] = "tmpfs" if volume.get("type") == "tmpfs" else str(volume.get("source", ""))
            continue
        parts = str(volume).split(":")
        if len(parts) >= 2:
            found[parts[1]] = parts[0]
    tmpfs = definition.get("tmpfs") or []
    for entry in [tmpfs] if isinstance(tmpfs, str) else tmpfs:
        found[str(entry).split(":")[0]] = "tmpfs"
    return found


def seconds(duration: str) -> float:
    """A compose duration ("25s", "1m30s") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", str(duration))
    assert parts and "".join(n + u for n, u in parts) == str(duration), f"not a duration: {duration!r}"
    return sum(float(number) * units[unit] for number, unit in parts)


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


@pytest.mark.parametrize("name", DATA_PATHS)
def test_data_lives_on_named_volumes(compose, services, name):
    source = mounts(services[name]).get(DATA_PATHS[name], "")
    assert source in (compose.get("volumes") or {}), f"{name}: {DATA_PATHS[name]} is not on a named volume"


def test_web_and_worker_of_a_service_share_its_files_and_no_one_else_does(services):
    documents = {mounts(services[name])["/app/var"] for name in ("documents", "documents-worker")}
    ticketing = {mounts(services[name])["/app/var"] for name in ("ticketing", "ticketing-worker")}
    assert len(documents) == 1 and len(ticketing) == 1, "a web process and its worker see different files"
    assert documents != ticketing


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


def test_every_long_running_service_but_the_workers_has_a_healthcheck(services):
    workers = {processes(service)["worker"] for service in SERVICES}
    migrations = {processes(service)["migrate"] for service in SERVICES}
    for name, definition in services.items():
        if name not in workers | migrations:
            assert healthcheck_test(definition), f"{name} has no healthcheck to wait on"


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
    migrate_deps = depends_on(services[names["migrate"]])
    assert migrate_deps.get("postgres") == "service_healthy"
    # The migration declares the service's queue: without the broker, events published
    # before the first worker starts would have nowhere to go.
    assert migrate_deps.get("rabbitmq") == "service_healthy"


@pytest.mark.parametrize("service", SERVICES)
def test_workers_serve_metrics_on_their_own_port(services, service):
    worker = services[processes(service)["worker"]]
    env = environment(worker)
    assert env.get("PORTICO_METRICS_PORT") == WORKER_METRICS_PORT
    # Not the web processes' multiprocess mode: a worker is a single process.
    assert "PROMETHEUS_MULTIPROC_DIR" not in env


@pytest.mark.parametrize("service", SERVICES)
def test_web_processes_pool_gunicorn_metrics_on_a_tmpfs(services, service):
    web = services[service]
    folder = environment(web).get("PROMETHEUS_MULTIPROC_DIR")
    assert folder, f"{service}: no PROMETHEUS_MULTIPROC_DIR"
    assert mounts(web).get(folder) == "tmpfs", f"{service}: {folder} is not a tmpfs (emptied at each start)"
    assert "PROMETHEUS_MULTIPROC_DIR" not in environment(services[processes(service)["migrate"]])


@pytest.mark.parametrize("service", SERVICES)
def test_web_processes_finish_requests_in_flight_when_stopped(services, service):
    graceful = re.search(r"^graceful_timeout\s*=\s*(\d+)", GUNICORN_CONF.read_text(), re.MULTILINE)
    assert graceful, f"no graceful_timeout in {GUNICORN_CONF}"
    assert seconds(services[service].get("stop_grace_period", "10s")) > int(graceful.group(1))


@pytest.mark.parametrize("service", SERVICES)
def test_gunicorn_worker_class_follows_the_service(services, service):
    worker_class = environment(services[service]).get("GUNICORN_WORKER_CLASS", "gthread")
    assert worker_class == ("sync" if service in SYNC_WORKERS else "gthread")


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
