"""/metrics of real processes: a web process adds up its gunicorn workers' counters, and a worker
serves its own on its metrics port with the service's queue figures."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import requests
from suite_harness import BIN, ROOT, free_port

from portico.testing import wait_for

pytestmark = pytest.mark.slow


def start(command: list, env: dict, tmp_path, name: str) -> subprocess.Popen:
    log = open(tmp_path / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(30)


def metric(text: str, line_start: str) -> float | None:
    found = re.search(rf"^{re.escape(line_start)} (\S+)$", text, re.M)
    return None if found is None else float(found.group(1))


@pytest.fixture
def billing_env(tmp_path, broker_url):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    env |= {
        "BILLING_DATABASE_URL": f"sqlite:///{tmp_path / 'billing.db'}",
        "BROKER_URL": broker_url,
        "PORTICO_VAR_DIR": str(tmp_path / "var"),
        "BILLING_OUTBOX_RELAY": "off",
    }
    subprocess.run([BIN / "python", "-m", "billing.migrate"], env=env, cwd=ROOT, check=True)
    return env


def test_a_web_process_reports_the_requests_of_all_its_workers(billing_env, tmp_path):
    port = free_port()
    env = billing_env | {
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_WORKER_CLASS": "sync",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    gunicorn = [BIN / "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"), "billing.app:create_app()"]
    web = start(gunicorn, env, tmp_path, "web")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(f"{base}/healthz"), message="billing's web process")
        for _ in range(40):
            assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
        served_by = {requests.get(f"{base}/metrics", timeout=5).text for _ in range(6)}
    finally:
        stop(web)

    counts = {
        metric(text, 'portico_http_requests_total{endpoint="/healthz",method="GET",status="200"}') for text in served_by
    }
    assert counts == {41.0}  # the probes' first answer and the 40, whichever worker is asked
    assert all(metric(text, 'portico_outbox_backlog{service="billing"}') == 0 for text in served_by)


def test_a_worker_serves_its_metrics_on_its_port(billing_env, tmp_path):
    port = free_port()
    worker = start(
        [BIN / "python", "-m", "billing.worker"], billing_env | {"BILLING_METRICS_PORT": str(port)}, tmp_path, "worker"
    )
    try:
        text = wait_for(
            lambda: (
                (t := _answers(f"http://127.0.0.1:{port}/metrics"))
                and metric(t, 'portico_queue_consumers{queue="billing.events",service="billing"}') == 1
                and t
            ),
            timeout=20,  # the broker's figures are read again every 5 s
            message="the worker's metrics with its consumer attached",
        )
    finally:
        stop(worker)
    assert metric(text, 'portico_queue_messages{queue="billing.events",service="billing"}') == 0
    assert metric(text, 'portico_dead_letters{queue="billing.dead",service="billing"}') == 0
    assert metric(text, 'portico_outbox_backlog{service="billing"}') == 0


def _answers(url: str) -> str | None:
    try:
        response = requests.get(url, timeout=2)
    except requests.RequestException:
        return None
    return response.text if response.status_code == 200 else None
