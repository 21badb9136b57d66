"""The portal's dashboard page model under load, with the real upstream services under gunicorn.

`make bench-bff` migrates a SQLite database per service, puts one customer's data in through
the services' own admin APIs and events (services, hardware, invoices and a payment,
tickets, portal messages, news), starts billing, ticketing, documents, notifications and
portal-bff under gunicorn with the repository's gunicorn settings, signs the customer in,
and drives `GET /api/v1/dashboard` from 32 connections with wrk. The portal caches the
dashboard's sections until an event or the customer's own write says they changed
(portal_bff/section_cache.py), so under load a page costs the session's one query; a
page read afresh costs seven upstream calls, read in parallel. In the same run it
measures a bare gunicorn endpoint (a Flask app returning the same JSON the dashboard
answered), taking turns with the dashboard (`--rounds`, 3: what else the machine runs
weighs on both alike, and the verdicts are on the median round), so the ratio says what
the portal costs over serving that JSON at all; the dashboard with the cache switched off
(every page read from the upstreams); and the dashboard with ticketing stopped after
ticketing announced a change of the customer's tickets (so every page must ask it: its
section unavailable, its breaker open). It prints
p50/p99, requests per second and the share of degraded pages (a section unavailable that
should not be: timed out under load) of each, against the targets: dashboard req/s at
least 25 % of the bare endpoint's, p99 at most 50 ms, and with one upstream dead, p99 at
most that upstream's timeout + 20 ms.

Every process shares the machine's cores with the load generator, so the figures depend on
the machine; the ratio to the bare endpoint is the comparable one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "billing": "billing",
    "ticketing": "ticketing",
    "documents": "documents",
    "notifications": "notifications",
    "portal-bff": "portal_bff",
}
PASSWORD = "bench password 42"  # a throw-away customer's
TARGET_RATIO = 0.25
TARGET_P99_MS = 50.0
UPSTREAM_TIMEOUT_MS = 800  # the portal's default read timeout (upstream_settings.READ_TIMEOUT_MS)


# -- the bare endpoint: gunicorn and Flask returning the same JSON, nothing else ------------
def bare_app():
    """`gunicorn "bench_bff:bare_app()"`: the dashboard's JSON from a file, as a plain Flask view."""
    from flask import Flask, Response

    body = Path(os.environ["BENCH_BFF_BODY"]).read_bytes()
    app = Flask("bare")

    @app.get("/api/v1/dashboard")
    def dashboard():
        return Response(body, mimetype="application/json")

    return app


# -- processes -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefix(service: str) -> str:
    return service.upper().replace("-", "_")


# The worker class each upstream is deployed with (Procfile, docker-compose.yml); the rest: gthread.
SYNC_WORKERS = {"billing": "sync", "ticketing": "sync"}


class Suite:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ports = {service: free_port() for service in SERVICES}
        self.processes: dict[str, subprocess.Popen] = {}
        (folder / "logs").mkdir()

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def database_url(self, service: str) -> str:
        return f"sqlite:///{self.folder / (SERVICES[service] + '.db')}"

    def env(self, service: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_DATABASE_URL", "_URL"))}
        env |= {"PORTICO_VAR_DIR": str(self.folder / "var"), "PORTICO_OUTBOX_RELAY": "off"}
        for other in SERVICES:
            env[f"{prefix(other)}_URL"] = self.url(other)
            env[f"{prefix(other)}_DATABASE_URL"] = self.database_url(other)
            env[f"{prefix(other)}_OUTBOX_RELAY"] = "off"
        env["DOCUMENTS_BLOB_DIR"] = str(self.folder / "blobs")
        env["TICKETING_ATTACHMENTS_DIR"] = str(self.folder / "attachments")
        return env

    def start(self, name: str, app: str, port: int, workers: int, threads: int, **extra: str) -> None:
        env = self.env(name if name in SERVICES else "portal-bff") | extra
        env |= {"PORT": str(port), "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"), app]
        log = open(self.folder / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 404):
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit(f"{name} did not start: {(self.folder / 'logs' / f'{name}.log').read_text()[-3000:]}")

    def start_service(self, service: str, workers: int, threads: int) -> None:
        extra = {"GUNICORN_WORKER_CLASS": SYNC_WORKERS[service]} if service in SYNC_WORKERS else {}
        self.start(service, f"{SERVICES[service]}.app:create_app()", self.ports[service], workers, threads, **extra)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by each process tree (the gunicorn master and its workers)."""
        ticks = os.sysconf("SC_CLK_TCK")
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
        used = {}
        for name, process in self.processes.items():
            tree = {process.pid} | {pid for pid, (parent, _) in stats.items() if parent == process.pid}
            used[name] = sum(stats[pid][1] for pid in tree if pid in stats)
        return used

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


# -- data ----------------------------------------------------------------------------------
def seed(suite: Suite) -> int:
    """One customer's portal, put in the way operators and other systems do; the customer's id."""
    from sqlalchemy import select

    from billing.app import create_app as billing_app
    from billing.handlers import HANDLERS as BILLING_HANDLERS
    from billing.models import outbox
    from documents.handlers import handlers as documents_handlers
    from notifications.app import create_app as notifications_app
    from notifications.handlers import HANDLERS as NOTIFICATIONS_HANDLERS
    from portal_bff.handlers import handlers as portal_handlers
    from portal_bff.models import PortalAccount
    from portal_bff.passwords import hash_password
    from portico.auth import operator_token
    from portico.db import Database
    from portico.events import Event, new_event
    from portico.migrations import upgrade
    from portico.settings import DEV_JWT_SECRET, load_settings
    from ticketing.app import create_app as ticketing_app
    from ticketing.handlers import HANDLERS as TICKETING_HANDLERS

    env = suite.env("portal-bff")
    os.environ.update({k: v for k, v in env.items() if k.endswith("_URL") or k.endswith("_DIR")})
    for service in SERVICES:
        upgrade(ROOT / "services" / service / "migrations", suite.database_url(service))
    operator = {"Authorization": f"Bearer {operator_token(DEV_JWT_SECRET)}"}

    def settings(service: str):
        return load_settings(
            service, database_url=suite.database_url(service), **{f"{prefix(service)}_OUTBOX_RELAY": "off"}
        )

    def admin(client, method: str, path: str, **kwargs):
        response = client.open(path, method=method, headers=operator, **kwargs)
        assert response.status_code < 400, (path, response.status_code, response.get_data(as_text=True))
        return response.get_json()

    def handle(service: str, handlers: dict, event: Event) -> None:
        db = Database(suite.database_url(service))
        with db.transaction() as session:
            handlers[event.type](session, event)
        db.dispose()

    billing = billing_app(settings("billing")).test_client()
    partner = admin(billing, "POST", "/admin/v1/partners", json={"name": "Bench ISP"})["id"]
    body = {"login": "bench", "full_name": "Bench Customer", "emails": ["bench@example.com"], "partner_id": partner}
    customer_id = admin(billing, "POST", "/admin/v1/customers", json=body | {"status": "active"})["id"]
    services = []
    for n, limit in enumerate((None, {"type": "cap", "traffic_gb": 100}, None)):
        plan = {"kind": "internet", "name": f"Fibre {n}", "price": "25.00", "internet": {}}
        plan["internet"] = {"download_mbps": 100, "upload_mbps": 20, "limit": limit}
        plan_id = admin(billing, "POST", "/admin/v1/plans", json=plan)["id"]
        path = f"/admin/v1/customers/{customer_id}/services"
        services.append(admin(billing, "POST", path, json={"plan_id": plan_id, "description": f"Line {n}"})["id"])
    for n in range(2):
        hardware = {"product_name": f"Router {n}", "ownership": "rented", "price": "3.00"}
        admin(billing, "POST", f"/admin/v1/customers/{customer_id}/hardware", json=hardware)
    for n in range(5):
        lines = [{"description": f"Month {n}", "unit_price": "25.00"}, {"description": "Router", "unit_price": "3.00"}]
        admin(billing, "POST", f"/admin/v1/customers/{customer_id}/invoices", json={"lines": lines})
    payment = {"amount": "56.00", "method": "bank_transfer", "reference": "TR-1"}
    admin(billing, "POST", f"/admin/v1/customers/{customer_id}/payments", json=payment)
    session = {"session_id": "bench-1", "ip": "100.64.0.9", "nas": "nas-1", "started_at": "2026-01-01T00:00:00Z"}
    handle(
        "billing",
        BILLING_HANDLERS,
        new_event("network", "network.session.started", session | {"service_id": services[0]}),
    )

    with Database(suite.database_url("billing")).reading() as db_session:
        payload = db_session.scalars(select(outbox.c.payload).where(outbox.c.type == "billing.customer.created")).one()
    created = Event.from_dict(json.loads(payload))
    handle("ticketing", TICKETING_HANDLERS, created)
    handle("documents", documents_handlers(settings("documents")), created)
    handle("notifications", NOTIFICATIONS_HANDLERS, created)
    handle("portal-bff", portal_handlers(settings("portal-bff")), created)
    with Database(suite.database_url("portal-bff")).transaction() as db_session:
        db_session.get(PortalAccount, customer_id).password_hash = hash_password(PASSWORD)

    ticketing = ticketing_app(settings("ticketing")).test_client()
    for n in range(12):
        form = {"customer_id": str(customer_id), "subject": f"Question {n}", "message": "Please help with this."}
        admin(ticketing, "POST", "/admin/v1/tickets", data=form, content_type="multipart/form-data")
    notifications = notifications_app(settings("notifications")).test_client()
    for n in range(20):
        message = {"channel": "portal", "subject": f"Message {n}", "body": "Something you should know."}
        admin(notifications, "POST", f"/admin/v1/customers/{customer_id}/messages", json=message)
    for n in range(5):
        admin(notifications, "POST", "/admin/v1/news", json={"title": f"News {n}", "body": "What is new."})
    return customer_id


# -- load ----------------------------------------------------------------------------------
WRK_SCRIPT = """
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer %s"
"""
# Counts the pages with more unavailable sections than expected (a section timed out under load).
WRK_COUNTING = """
local expected = %d
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) degraded = 0 end
function response(status, headers, body)
  local _, found = string.gsub(body, '"unavailable"', "")
  if found > expected then degraded = degraded + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("degraded") end
  io.write(string.format("degraded pages: %%d\\n", total))
end
"""


def run_wrk(url: str, token: str, clients: int, seconds: int, folder: Path, unavailable: int | None = 0) -> dict:
    """wrk's figures; with `unavailable`, also how many pages had more unavailable sections than that."""
    script = folder / "dashboard.lua"
    script.write_text(WRK_SCRIPT % token + (WRK_COUNTING % unavailable if unavailable is not None else ""))
    command = ["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{errors.group(1)} requests failed:\n{output}")

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "degraded": int(found.group(1)) if (found := re.search(r"degraded pages: (\d+)", output)) else 0,
    }


def sign_in(base: str) -> str:
    response = requests.post(
        f"{base}/api/v1/session", json={"login": "bench", "password": PASSWORD, "delivery": "bearer"}, timeout=10
    )
    response.raise_for_status()
    return response.json()["token"]


def dashboard(base: str, token: str) -> dict:
    response = requests.get(f"{base}/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    response.raise_for_status()
    return response.json()


def check_dashboard(page: dict) -> None:
    """Every section is there and loaded before anything is timed."""
    for section in ("balance", "payment_due", "unpaid_invoices", "services", "tickets", "messages", "news"):
        assert page[section]["status"] == "ok", (section, page[section])
    assert len(page["unpaid_invoices"]["items"]) == 3, page["unpaid_invoices"]
    assert any(s["display_status"] == "online" for s in page["services"]["items"])
    assert page["messages"]["unread"] == 20 and len(page["tickets"]["items"]) == 5


def line(label: str, result: dict, verdict: str = "", pages: bool = True) -> str:
    degraded = f"  {result['degraded'] / result['requests']:5.1%} degraded" if pages else ""
    return (
        f"  {label:<42} {result['requests']:>7,} requests  p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
        f"{result['rps']:7.0f} req/s{degraded}  {verdict}"
    )


def announce(suite: Suite, event) -> None:
    """An upstream's event as the portal's worker takes it from the broker: through its handler."""
    from portal_bff.handlers import handlers
    from portico.db import Database
    from portico.settings import load_settings

    settings = load_settings("portal-bff", database_url=suite.database_url("portal-bff"))
    db = Database(suite.database_url("portal-bff"))
    with db.transaction() as session:
        handlers(settings)[event.type](session, event)
    db.dispose()


def tickets_changed(customer_id: int):
    """What ticketing publishes when an operator answers one of the customer's tickets."""
    from portico.events import new_event

    data = {
        "ticket_id": 1,
        "customer_id": customer_id,
        "subject": "Question 0",
        "status": "open",
        "priority": "medium",
        "comment_id": 1_000,
        "public": True,
        "author_kind": "operator",
        "author": "alice",
        "body": "We are on it.",
        "body_format": "text",
        "attachment_count": 0,
        "created_at": "2026-11-25T10:00:00+00:00",
    }
    return new_event("ticketing", "ticketing.comment.added", data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="turns of the dashboard and the bare endpoint")
    parser.add_argument("--bff-workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--bff-threads", type=int, default=4)
    parser.add_argument("--upstream-workers", type=int, default=2)
    parser.add_argument("--upstream-threads", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (make wrk)")

    with tempfile.TemporaryDirectory(prefix="bench-bff-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        suite = Suite(folder)
        stack.callback(suite.stop_all)
        started = time.monotonic()
        customer_id = seed(suite)
        print(f"seeded one customer's portal in {time.monotonic() - started:.1f} s (SQLite, one database per service)")
        for service in ("billing", "ticketing", "documents", "notifications"):
            suite.start_service(service, args.upstream_workers, args.upstream_threads)

        def start_portal(**extra: str) -> None:
            app = f"{SERVICES['portal-bff']}.app:create_app()"
            suite.start("portal-bff", app, suite.ports["portal-bff"], args.bff_workers, args.bff_threads, **extra)

        start_portal()
        base = suite.url("portal-bff")
        token = sign_in(base)
        page = dashboard(base, token)
        check_dashboard(page)

        body = folder / "dashboard.json"
        body.write_text(json.dumps(page))
        bare_port = free_port()
        suite.start(
            "bare",
            "bench_bff:bare_app()",
            bare_port,
            args.bff_workers,
            args.bff_threads,
            BENCH_BFF_BODY=str(body),
            PYTHONPATH=str(Path(__file__).parent),
        )
        bare_url = f"http://127.0.0.1:{bare_port}/api/v1/dashboard"
        dashboard_url = f"{base}/api/v1/dashboard"

        def cpu_per_page(run) -> tuple[dict, dict[str, float]]:
            before = suite.cpu_seconds()
            result = run()
            after = suite.cpu_seconds()
            used = {n: (after[n] - before.get(n, 0.0)) * 1000 / result["requests"] for n in after if n != "bare"}
            return result, used

        # The dashboard and the bare endpoint take turns, so that what else the machine runs weighs on
        # both alike; the verdicts are on the median round.
        rounds: list[tuple[dict, dict, dict[str, float]]] = []
        for _ in range(args.rounds):
            run_wrk(dashboard_url, token, args.clients, 2, folder)  # warm-up: pools, caches
            page_result, page_cpu = cpu_per_page(
                lambda: run_wrk(dashboard_url, token, args.clients, args.seconds, folder)
            )
            run_wrk(bare_url, token, args.clients, 2, folder, unavailable=None)
            bare_result = run_wrk(bare_url, token, args.clients, args.seconds, folder, unavailable=None)
            rounds.append((page_result, bare_result, page_cpu))
        results, cpu = {}, {}
        results["alone"] = run_wrk(dashboard_url, token, 1, 5, folder)
        suite.stop("bare")

        suite.stop("portal-bff")
        start_portal(PORTAL_BFF_SECTION_CACHE="off")
        check_dashboard(dashboard(base, token))
        run_wrk(dashboard_url, token, args.clients, 3, folder)
        results["uncached"], cpu["uncached"] = cpu_per_page(
            lambda: run_wrk(dashboard_url, token, args.clients, args.seconds, folder)
        )
        suite.stop("portal-bff")
        start_portal()
        check_dashboard(dashboard(base, token))

        suite.stop("ticketing")
        announce(suite, tickets_changed(customer_id))  # its cached section is out of date: ask ticketing
        dead = dashboard(base, token)
        assert dead["tickets"] == {"status": "unavailable"} and dead["services"]["status"] == "ok", dead
        run_wrk(dashboard_url, token, args.clients, 2, folder, unavailable=1)
        results["dead"] = run_wrk(dashboard_url, token, args.clients, args.seconds, folder, unavailable=1)
        results["one"] = run_wrk(dashboard_url, token, 1, 5, folder, unavailable=1)

    ratios = sorted(page["rps"] / bare["rps"] for page, bare, _ in rounds)
    p99s = sorted(page["p99"] for page, _, _ in rounds)
    ratio, p99 = statistics.median(ratios), statistics.median(p99s)
    load_average = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"dashboard page model (sections cached until an event says they changed; 7 upstream calls in parallel "
        f"when read afresh) vs a bare gunicorn endpoint with the same JSON, taking turns; "
        f"portal-bff {args.bff_workers} workers x {args.bff_threads} threads, each upstream "
        f"{args.upstream_workers} x {args.upstream_threads}; {os.cpu_count()} CPUs shared by all "
        f"(load average {load_average}); wrk, {args.clients} connections, {args.seconds} s per run:"
    )
    for number, (page, bare, page_cpu) in enumerate(rounds, 1):
        print(line(f"round {number}: dashboard, all upstreams up", page))
        print(
            line(f"round {number}: bare endpoint, same JSON", bare, f"(ratio {page['rps'] / bare['rps']:.1%})", False)
        )
        print("    CPU per dashboard: " + ", ".join(f"{name} {ms:.2f} ms" for name, ms in page_cpu.items()))
    print(line("dashboard, all up, 1 connection", results["alone"]))
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    spread = ", ".join(f"{r:.1%}" for r in ratios)
    print(
        f"  dashboard / bare req/s, median of {len(rounds)}: {ratio:.1%} ({spread}; target >= {TARGET_RATIO:.0%}: {verdict})"
    )
    p99_verdict = "met" if p99 <= TARGET_P99_MS else "MISSED"
    spread = ", ".join(f"{v:.1f}" for v in p99s)
    print(
        f"  dashboard p99, median of {len(rounds)}: {p99:.1f} ms ({spread}; target <= {TARGET_P99_MS:.0f} ms: {p99_verdict})"
    )
    print(line("dashboard, cache off (every page afresh)", results["uncached"]))
    print("  CPU per dashboard afresh: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in cpu["uncached"].items()))
    dead_limit = UPSTREAM_TIMEOUT_MS + 20
    dead_ok = results["dead"]["p99"] <= dead_limit
    print(line("dashboard, ticketing stopped", results["dead"], f"(p99 <= {dead_limit} ms: "
                                                               f"{'met' if dead_ok else 'MISSED'})"))  # fmt: skip
    print(line("dashboard, ticketing stopped, 1 connection", results["one"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
