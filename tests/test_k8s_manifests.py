"""The Kubernetes manifests (deploy/k8s): every object valid for the Kubernetes version we
target, and for each service a web Deployment behind a Service, with probes, an autoscaler
and a disruption budget, a worker Deployment with its budget and metrics port, and a
migration Job, every container unprivileged and with resources set. No secret lives in the
repository: the manifests only name Secrets, and the README says what each must hold."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import all_versions

REPO_ROOT = Path(__file__).resolve().parents[1]
K8S_DIR = REPO_ROOT / "deploy" / "k8s"
KUSTOMIZATION = K8S_DIR / "kustomization.yaml"
README = K8S_DIR / "README.md"
GUNICORN_CONF = REPO_ROOT / "deploy" / "gunicorn.conf.py"

# The oldest Kubernetes still commonly run that has everything used here (CronJob timeZone,
# autoscaling/v2, policy/v1); kubernetes-validate ships its schemas.
KUBERNETES_VERSION = "1.30.0"
NAMESPACE = "portico"
APP_UID = 10001  # the user every image runs as (services/*/Dockerfile)
METRICS_PORT = 9100
WRITABLE_PATHS = ("/app/var", "/tmp")
MULTIPROC_DIR = "/tmp/prometheus"
NAMESPACED_KINDS_EXEMPT = {"Namespace"}


class Service(NamedTuple):
    package: str
    port: int
    stores_files: bool  # keeps files under /app/var: a PersistentVolumeClaim, not an emptyDir
    sync_workers: bool  # GUNICORN_WORKER_CLASS=sync (deploy/gunicorn.conf.py)


SERVICES = {
    "portal-bff": Service("portal_bff", 8000, stores_files=False, sync_workers=False),
    "billing": Service("billing", 8001, stores_files=False, sync_workers=True),
    "ticketing": Service("ticketing", 8002, stores_files=True, sync_workers=True),
    "documents": Service("documents", 8003, stores_files=True, sync_workers=False),
    "notifications": Service("notifications", 8004, stores_files=False, sync_workers=False),
}


def env_prefix(service: str) -> str:
    return service.upper().replace("-", "_")


def manifest_files() -> list[Path]:
    return sorted(path for path in K8S_DIR.glob("*.y*ml") if path != KUSTOMIZATION)


def load_objects() -> list[tuple[str, dict]]:
    """(file name, object) for every document of every manifest, empty documents left out."""
    found = []
    for path in manifest_files():
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                found.append((path.name, document))
    return found


OBJECTS = load_objects()


def object_id(entry: tuple[str, dict]) -> str:
    file_name, obj = entry
    return f"{file_name}:{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def find(kind: str, name: str) -> dict:
    matches = [obj for _, obj in OBJECTS if obj["kind"] == kind and obj["metadata"]["name"] == name]
    assert matches, f"no {kind} named {name!r} in deploy/k8s"
    assert len(matches) == 1, f"{len(matches)} objects {kind}/{name}"
    return matches[0]


def of_kind(kind: str) -> list[dict]:
    return [obj for _, obj in OBJECTS if obj["kind"] == kind]


def pod_spec(workload: dict) -> dict:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def pod_labels(workload: dict) -> dict[str, str]:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["metadata"].get("labels", {})
    return workload["spec"]["template"]["metadata"].get("labels", {})


def pod_annotations(workload: dict) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"].get("annotations", {})


def all_containers(spec: dict) -> list[dict]:
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def app_container(workload: dict, service: str) -> dict:
    """The container running the service's own image."""
    found = [c for c in pod_spec(workload)["containers"] if c["image"].split(":")[0] == f"portico/{service}"]
    assert len(found) == 1, f"{workload['metadata']['name']}: {len(found)} containers of portico/{service}"
    return found[0]


def command(container: dict) -> list[str]:
    return [str(part) for part in (container.get("command") or []) + (container.get("args") or [])]


def env(container: dict) -> dict[str, dict]:
    return {entry["name"]: entry for entry in container.get("env", [])}


def secret_ref(container: dict, name: str) -> dict | None:
    entry = env(container).get(name) or {}
    return (entry.get("valueFrom") or {}).get("secretKeyRef")


def selects(selector: dict, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels and matchExpressions) matches these labels."""
    if not selector:
        return False
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        matched = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[operator]
        if not matched:
            return False
    return True


def container_port(container: dict, port: int | str) -> int | None:
    """A numbered or named container port, as a probe or a Service's targetPort names it."""
    for declared in container.get("ports", []):
        if port in (declared["containerPort"], declared.get("name")):
            return declared["containerPort"]
    return port if isinstance(port, int) else None


def volume_for_mount(spec: dict, container: dict, path: str) -> dict | None:
    mounts = {mount["mountPath"]: mount["name"] for mount in container.get("volumeMounts", [])}
    if path not in mounts:
        return None
    return next((volume for volume in spec.get("volumes", []) if volume["name"] == mounts[path]), None)


def workloads() -> list[dict]:
    return [obj for _, obj in OBJECTS if obj["kind"] in {"Deployment", "Job", "CronJob", "StatefulSet", "DaemonSet"}]


def every_container() -> list[tuple[str, dict, dict]]:
    """(workload/container, pod spec, container) for every container of every workload."""
    return [
        (f"{workload['kind']}/{workload['metadata']['name']}/{container['name']}", pod_spec(workload), container)
        for workload in workloads()
        for container in all_containers(pod_spec(workload))
    ]


def service_workloads(service: str) -> list[dict]:
    return [w for w in workloads() if w["metadata"].get("labels", {}).get("app.kubernetes.io/name") == service]


def gunicorn_graceful_timeout() -> int:
    match = re.search(r"^graceful_timeout\s*=\s*(\d+)", GUNICORN_CONF.read_text(), re.MULTILINE)
    assert match, f"no graceful_timeout in {GUNICORN_CONF}"
    return int(match.group(1))


# ---- the files and the schemas ----------------------------------------------------------


def test_kustomization_names_every_manifest_and_the_namespace():
    kustomization = yaml.safe_load(KUSTOMIZATION.read_text())
    assert kustomization["namespace"] == NAMESPACE
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed)), "a manifest is listed twice"
    assert set(listed) == {path.name for path in manifest_files()}, "kustomization resources and files differ"


def test_kustomization_images_cover_every_service_image():
    named = {image["name"] for image in yaml.safe_load(KUSTOMIZATION.read_text()).get("images", [])}
    used = {container["image"].split(":")[0] for _, _, container in every_container()}
    assert used == {f"portico/{service}" for service in SERVICES}
    assert used <= named, f"images without a kustomize entry: {used - named}"


def test_the_pinned_kubernetes_version_is_one_kubernetes_validate_ships():
    assert KUBERNETES_VERSION in all_versions()


@pytest.mark.parametrize("entry", OBJECTS, ids=object_id)
def test_every_object_is_valid_for_kubernetes(entry):
    _, obj = entry
    # Strict: a misspelt or misplaced field is an error, not silently ignored by the cluster.
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_objects_are_unique_and_in_the_portico_namespace():
    ids = [(obj["kind"], obj["metadata"]["name"]) for _, obj in OBJECTS]
    assert len(ids) == len(set(ids)), "two objects share a kind and name"
    assert ("Namespace", NAMESPACE) in ids
    for file_name, obj in OBJECTS:
        if obj["kind"] not in NAMESPACED_KINDS_EXEMPT:
            assert obj["metadata"].get("namespace") == NAMESPACE, object_id((file_name, obj))


def test_no_secret_is_kept_in_the_repository():
    for file_name, obj in OBJECTS:
        if obj["kind"] == "Secret":
            assert not obj.get("data") and not obj.get("stringData"), f"{object_id((file_name, obj))} holds secrets"


def test_every_secret_the_manifests_use_is_documented_with_its_keys():
    rows = [line for line in README.read_text().splitlines() if line.startswith("|")]
    references = set()
    for _, _, container in every_container():
        for entry in container.get("env", []):
            ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                references.add((ref["name"], ref["key"]))
        for source in container.get("envFrom", []):
            if "secretRef" in source:
                references.add((source["secretRef"]["name"], None))
    assert references, "no container reads a Secret"
    for name, key in sorted(references, key=str):
        documented = [row for row in rows if f"`{name}`" in row and (key is None or f"`{key}`" in row)]
        assert documented, f"Secret {name} key {key} is not in the table of {README.relative_to(REPO_ROOT)}"


def test_every_config_map_a_container_reads_is_defined():
    defined = {obj["metadata"]["name"] for obj in of_kind("ConfigMap")}
    for where, _, container in every_container():
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in defined, where


# ---- every container --------------------------------------------------------------------


@pytest.mark.parametrize("where, spec, container", every_container(), ids=[c[0] for c in every_container()])
def test_every_container_has_cpu_and_memory_requests_and_limits(where, spec, container):
    resources = container.get("resources") or {}
    for bound in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            assert (resources.get(bound) or {}).get(resource), f"{where}: no {resource} {bound}"


@pytest.mark.parametrize("where, spec, container", every_container(), ids=[c[0] for c in every_container()])
def test_every_container_runs_unprivileged_as_the_app_user(where, spec, container):
    pod, own = spec.get("securityContext") or {}, container.get("securityContext") or {}
    effective = {**pod, **own}  # a container's own setting wins over the pod's
    assert effective.get("runAsNonRoot") is True, where
    assert effective.get("runAsUser") == APP_UID, where
    assert own.get("allowPrivilegeEscalation") is False, where
    assert "ALL" in (own.get("capabilities") or {}).get("drop", []), where


@pytest.mark.parametrize("where, spec, container", every_container(), ids=[c[0] for c in every_container()])
def test_every_container_has_a_read_only_root_and_writable_var_and_tmp(where, spec, container):
    assert (container.get("securityContext") or {}).get("readOnlyRootFilesystem") is True, where
    for path in WRITABLE_PATHS:
        volume = volume_for_mount(spec, container, path)
        assert volume, f"{where}: nothing writable mounted at {path}"
        assert "emptyDir" in volume or "persistentVolumeClaim" in volume, f"{where}: {path} from {volume}"


# ---- each service -----------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_web_deployment_runs_gunicorn_on_the_service_port(service):
    web = find("Deployment", service)
    assert selects(web["spec"]["selector"], pod_labels(web)), "the Deployment does not select its own pods"
    container = app_container(web, service)
    # The image's default command is gunicorn with deploy/gunicorn.conf.py.
    assert not command(container) or "gunicorn" in command(container)[0]
    assert container_port(container, "http") == SERVICES[service].port
    assert env(container)["PORT"]["value"] == str(SERVICES[service].port)


@pytest.mark.parametrize("service", SERVICES)
def test_web_containers_probe_healthz_for_liveness_and_readyz_for_readiness(service):
    container = app_container(find("Deployment", service), service)
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        check = (container.get(probe) or {}).get("httpGet")
        assert check, f"{service}: no HTTP {probe}"
        assert check["path"] == path, f"{service} {probe}"
        assert container_port(container, check["port"]) == SERVICES[service].port, f"{service} {probe}"


@pytest.mark.parametrize("service", SERVICES)
def test_web_gunicorn_worker_class_follows_the_service(service):
    worker_class = (env(app_container(find("Deployment", service), service)).get("GUNICORN_WORKER_CLASS") or {}).get(
        "value", "gthread"
    )
    assert worker_class == ("sync" if SERVICES[service].sync_workers else "gthread")


@pytest.mark.parametrize("service", SERVICES)
def test_web_pods_collect_gunicorn_metrics_in_an_empty_dir_and_are_scraped(service):
    web = find("Deployment", service)
    container = app_container(web, service)
    assert env(container)["PROMETHEUS_MULTIPROC_DIR"]["value"] == MULTIPROC_DIR
    volume = volume_for_mount(pod_spec(web), container, MULTIPROC_DIR)
    assert volume and "emptyDir" in volume, f"{service}: {MULTIPROC_DIR} is not an emptyDir of its own"
    annotations = pod_annotations(web)
    assert annotations.get("prometheus.io/scrape") == "true"
    assert annotations.get("prometheus.io/port") == str(SERVICES[service].port)
    assert annotations.get("prometheus.io/path") == "/metrics"


@pytest.mark.parametrize("service", SERVICES)
def test_web_pods_outlast_gunicorns_graceful_timeout(service):
    web = find("Deployment", service)
    spec = pod_spec(web)
    pre_stop = (app_container(web, service).get("lifecycle") or {}).get("preStop", {}).get("exec", {})
    sleep = int(pre_stop["command"][-1]) if pre_stop.get("command", [""])[0] == "sleep" else 0
    assert spec.get("terminationGracePeriodSeconds", 30) > gunicorn_graceful_timeout() + sleep


@pytest.mark.parametrize("service", SERVICES)
def test_worker_deployment_runs_the_consumer_and_serves_metrics(service):
    worker = find("Deployment", f"{service}-worker")
    web = find("Deployment", service)
    assert selects(worker["spec"]["selector"], pod_labels(worker))
    assert not selects(worker["spec"]["selector"], pod_labels(web)), "the worker selects web pods"
    assert not selects(web["spec"]["selector"], pod_labels(worker)), "the web Deployment selects worker pods"
    container = app_container(worker, service)
    assert command(container) == ["python", "-m", f"{SERVICES[service].package}.worker"]
    assert env(container)["PORTICO_METRICS_PORT"]["value"] == str(METRICS_PORT)
    assert METRICS_PORT in [port["containerPort"] for port in container.get("ports", [])]
    annotations = pod_annotations(worker)
    assert annotations.get("prometheus.io/scrape") == "true"
    assert annotations.get("prometheus.io/port") == str(METRICS_PORT)
    assert annotations.get("prometheus.io/path") == "/metrics"
    assert pod_spec(worker).get("terminationGracePeriodSeconds", 30) >= 30, "no time to finish the message in hand"


@pytest.mark.parametrize("service", SERVICES)
def test_service_sends_its_port_to_the_web_pods_only(service):
    web, worker = find("Deployment", service), find("Deployment", f"{service}-worker")
    spec = find("Service", service)["spec"]
    selector = {"matchLabels": spec["selector"]}
    assert selects(selector, pod_labels(web)), "the Service does not reach the web pods"
    assert not selects(selector, pod_labels(worker)), "the Service would send requests to workers"
    port = SERVICES[service].port
    (exposed,) = [p for p in spec["ports"] if p["port"] == port]
    target = exposed.get("targetPort", exposed["port"])
    assert container_port(app_container(web, service), target) == port


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ["web", "worker"])
def test_each_deployment_has_a_disruption_budget_of_its_own(service, role):
    name = service if role == "web" else f"{service}-worker"
    deployment = find("Deployment", name)
    other = find("Deployment", f"{service}-worker" if role == "web" else service)
    budgets = [
        pdb for pdb in of_kind("PodDisruptionBudget") if selects(pdb["spec"]["selector"], pod_labels(deployment))
    ]
    assert len(budgets) == 1, f"{name}: {len(budgets)} PodDisruptionBudgets"
    (budget,) = budgets
    assert not selects(budget["spec"]["selector"], pod_labels(other)), f"{name}'s budget also counts {other}"
    assert "maxUnavailable" in budget["spec"] or "minAvailable" in budget["spec"]


@pytest.mark.parametrize("service", SERVICES)
def test_web_deployment_is_scaled_on_cpu_by_an_autoscaler(service):
    autoscalers = [
        hpa
        for hpa in of_kind("HorizontalPodAutoscaler")
        if hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment" and hpa["spec"]["scaleTargetRef"]["name"] == service
    ]
    assert len(autoscalers) == 1, f"{service}: {len(autoscalers)} autoscalers"
    (hpa,) = autoscalers
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"].get("minReplicas", 1) >= 2, "one pod is no redundancy"
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    resources = [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"]
    assert "cpu" in resources
    # The autoscaler owns the count: a replicas field would reset it on every apply.
    assert "replicas" not in find("Deployment", service)["spec"]


@pytest.mark.parametrize("service", SERVICES)
def test_a_job_migrates_each_service(service):
    job = find("Job", f"{service}-migrate")
    container = app_container(job, service)
    assert command(container) == ["python", "-m", f"{SERVICES[service].package}.migrate"]
    assert pod_spec(job)["restartPolicy"] in {"Never", "OnFailure"}


@pytest.mark.parametrize("service", SERVICES)
def test_every_process_of_a_service_reads_its_own_database_url_from_a_secret(service):
    own = f"{env_prefix(service)}_DATABASE_URL"
    others = {f"{env_prefix(other)}_DATABASE_URL" for other in SERVICES if other != service}
    processes = service_workloads(service)
    names = {w["metadata"]["name"] for w in processes}
    assert {service, f"{service}-worker", f"{service}-migrate"} <= names
    for workload in processes:
        container = app_container(workload, service)
        where = workload["metadata"]["name"]
        assert secret_ref(container, own), f"{where}: {own} not from a Secret"
        assert not others & env(container).keys(), f"{where} is given another service's database"


@pytest.mark.parametrize("service", SERVICES)
def test_web_and_worker_read_the_broker_and_token_secret_from_secrets(service):
    for name in (service, f"{service}-worker"):
        container = app_container(find("Deployment", name), service)
        for key in ("BROKER_URL", "PORTICO_JWT_SECRET"):
            assert secret_ref(container, key), f"{name}: {key} not from a Secret"
    assert secret_ref(app_container(find("Job", f"{service}-migrate"), service), "BROKER_URL"), "migrate: BROKER_URL"


@pytest.mark.parametrize("service", SERVICES)
def test_files_live_on_a_shared_claim_where_the_service_keeps_them(service):
    claims = {obj["metadata"]["name"]: obj for obj in of_kind("PersistentVolumeClaim")}
    for name in (service, f"{service}-worker"):
        workload = find("Deployment", name)
        volume = volume_for_mount(pod_spec(workload), app_container(workload, service), "/app/var")
        if not SERVICES[service].stores_files:
            assert "emptyDir" in volume, f"{name}: /app/var"
            continue
        assert "persistentVolumeClaim" in volume, f"{name}: files under /app/var would vanish with the pod"
        claim = claims.get(volume["persistentVolumeClaim"]["claimName"])
        assert claim, f"{name}: the claim {volume['persistentVolumeClaim']['claimName']} is not defined"
        # Web and worker pods of any number, on any node, mount the same files.
        assert "ReadWriteMany" in claim["spec"]["accessModes"]


def test_billing_runs_its_daily_billing_for_today_from_a_cronjob():
    daily_run = ["python", "-m", "billing.cli", "run"]
    runs = [job for job in of_kind("CronJob") if command(app_container(job, "billing"))[:4] == daily_run]
    assert len(runs) == 1, f"{len(runs)} CronJobs run `python -m billing.cli run`"
    (cron,) = runs
    assert command(app_container(cron, "billing")) == daily_run, "no --date: the run bills the day it runs"
    assert len(cron["spec"]["schedule"].split()) == 5
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert secret_ref(app_container(cron, "billing"), "BILLING_DATABASE_URL")
    assert pod_spec(cron)["restartPolicy"] in {"Never", "OnFailure"}
