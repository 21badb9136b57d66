"""The whole suite as real processes for cross-service tests: gunicorn web processes and
workers of every service, wired through an isolated virtual host of the real RabbitMQ, each
with its own SQLite database, and an SMTP server the test reads emails from. A service may
run several workers (`start_worker(service, name=...)`) and several web processes
(`start_web(service, name=..., port=...)`); their logs tell which process did what."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PACKAGES = {
    "billing": "billing",
    "ticketing": "ticketing",
    "documents": "documents",
    "notifications": "notifications",
    "portal-bff": "portal_bff",
}
# With access_log=True a web process logs each request it answered as "<pid> METHOD path status".
ACCESS_LOG_FORMAT = "%(p)s %(m)s %(U)s %(s)s"
ACCESS_LINE = re.compile(r"^<(\d+)> ([A-Z]+) (\S+) (\d{3})$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every email received."""

    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address in (m.get("To") or "")]


@dataclass
class Suite:
    tmp: Path
    broker_url: str
    smtp_port: int
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    # The port of every web process started, by its name (a service's own: the service's name).
    web_ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.ports = {service: free_port() for service in PACKAGES}
        (self.tmp / "logs").mkdir(exist_ok=True)

    # -- environment -------------------------------------------------------------------
    def database_path(self, service: str) -> Path:
        return self.tmp / f"{PACKAGES[service]}.db"

    def env(self, service: str, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
        env.update(
            BROKER_URL=self.broker_url,
            PORTICO_VAR_DIR=str(self.tmp / "var"),
            PORTICO_SMTP_HOST="127.0.0.1",
            PORTICO_SMTP_PORT=str(self.smtp_port),
            WEB_CONCURRENCY="1",
            PORTICO_MAX_BROKER_OUTAGE="120",
            PORTICO_PREFETCH="20",
        )
        for other, port in self.ports.items():
            env[f"{other.upper().replace('-', '_')}_URL"] = f"http://127.0.0.1:{port}"
            env[f"{other.upper().replace('-', '_')}_DATABASE_URL"] = f"sqlite:///{self.database_path(other)}"
        env[f"{service.upper().replace('-', '_')}_PUBLIC_URL"] = self.url(service)
        env.update(extra)
        return env

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    # -- processes ---------------------------------------------------------------------
    def migrate(self, services: Iterable[str] = tuple(PACKAGES)) -> None:
        """Migrate the services' databases (and declare their queues), all at once."""
        running = [
            (
                service,
                subprocess.Popen(
                    [BIN / "python", "-m", f"{PACKAGES[service]}.migrate"], env=self.env(service), cwd=ROOT
                ),
            )
            for service in services
        ]
        for service, process in running:
            if process.wait(120) != 0:
                raise RuntimeError(f"migrating {service} failed with {process.returncode}")

    def start_web(
        self,
        service: str,
        *,
        name: str | None = None,
        port: int | None = None,
        wait: bool = True,
        access_log: bool = False,
        **extra: str,
    ) -> str:
        """A gunicorn process of the service; `name` and `port` for a further one beside the first."""
        name = name or service
        port = port or self.ports[service]
        command = [
            BIN / "gunicorn",
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            f"{PACKAGES[service]}.app:create_app()",
        ]
        if access_log:
            extra["GUNICORN_ACCESS_LOG"] = "1"
            command += ["--access-logformat", ACCESS_LOG_FORMAT]
        self.web_ports[name] = port
        self._spawn(name, command, self.env(service, PORT=str(port), **extra))
        if wait:
            self.wait_healthy(name)
        return name

    def start_worker(self, service: str, *, name: str | None = None, **extra: str) -> str:
        """A worker process of the service; `name` for a further one beside the first."""
        name = name or f"{service}-worker"
        self._spawn(name, [BIN / "python", "-m", f"{PACKAGES[service]}.worker"], self.env(service, **extra))
        return name

    def _spawn(self, name: str, command: list, env: dict) -> None:
        log = open(self.tmp / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def web_url(self, name: str) -> str:
        """Where a web process answers, by its name (a service's own process: the service's name)."""
        return f"http://127.0.0.1:{self.web_ports.get(name) or self.ports[name]}"

    def wait_healthy(self, name: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.web_url(name)}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or still booting
                pass
            process = self.processes.get(name)
            if process and process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: {self.log(name)[-2000:]}")
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not answer /healthz within {timeout} s")

    def wait_consuming(self, name: str, since: int = 0, timeout: float = 30) -> None:
        """Until the worker logs that it consumes its queue (past `since`, a log_size taken before it started)."""
        deadline = time.monotonic() + timeout
        while '"consuming ' not in self.log(name)[since:]:
            process = self.processes.get(name)
            if process and process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: {self.log(name)[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start consuming within {timeout} s")
            time.sleep(0.05)

    def start_all(self) -> None:
        self.migrate()
        for service in PACKAGES:
            self.start_worker(service)
        for service in PACKAGES:
            self.start_web(service, wait=False)
        for service in PACKAGES:
            self.wait_healthy(service)

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
        return process.wait(timeout)

    def stop_all(self, timeout: float = 25) -> None:
        """SIGTERM every process at once, then wait for each; kill (and report) any still running after `timeout`."""
        running = list(self.processes.items())
        self.processes.clear()
        for _name, process in running:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout
        hung = []
        for name, process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                hung.append(name)
        if hung:
            raise RuntimeError(f"still running {timeout} s after SIGTERM, killed: {', '.join(hung)}")

    def log(self, name: str) -> str:
        path = self.tmp / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_size(self, name: str) -> int:
        return len(self.log(name))

    def log_entries(self, name: str) -> list[dict]:
        """The JSON log records of a process, in order (other lines skipped)."""
        entries = []
        for line in self.log(name).splitlines():
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    entries.append(json.loads(line))
        return entries

    def acked(self, name: str) -> list[tuple[str, str, str]]:
        """(event type, event id, outcome) of every event a worker process acked, from its log."""
        found = []
        for entry in self.log_entries(name):
            if entry.get("logger") == "portico.events.consumer":
                parts = entry["message"].split()
                if len(parts) == 3 and parts[2] in ("handled", "duplicate"):
                    found.append((parts[0], parts[1], parts[2]))
        return found

    def served(self, name: str) -> list[tuple[int, str, str, int]]:
        """(gunicorn worker pid, method, path, status) of every request a web process started
        with access_log=True answered."""
        return [
            (int(m[1]), m[2], m[3], int(m[4]))
            for line in self.log(name).splitlines()
            if (m := ACCESS_LINE.match(line.strip()))
        ]

    # -- looking at what the services hold ---------------------------------------------
    def query(self, service: str, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database_path(service), timeout=10) as conn:
            return conn.execute(sql, params).fetchall()


def smtp_server(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


class BrokerProxy:
    """A TCP proxy in front of RabbitMQ that a test can take down and bring back, so the
    services see the broker vanish (connections cut, new ones refused) without touching
    the broker other tests use."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5672)):
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def url(self, vhost: str) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{vhost}"

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut every open one."""
        with self._lock:
            if self._listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone would not.
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)
