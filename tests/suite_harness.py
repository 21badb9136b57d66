"""The whole suite as real processes for cross-service tests: gunicorn web processes and
workers of every service, wired through an isolated virtual host of the real RabbitMQ, each
with its own SQLite database, and an SMTP server the test reads emails from."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
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
    def migrate(self) -> None:
        for service, package in PACKAGES.items():
            subprocess.run([BIN / "python", "-m", f"{package}.migrate"], env=self.env(service), check=True, cwd=ROOT)

    def start_web(self, service: str) -> None:
        env = self.env(service, PORT=str(self.ports[service]))
        app = f"{PACKAGES[service]}.app:create_app()"
        self._spawn(service, [BIN / "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"), app], env)
        self.wait_healthy(service)

    def start_worker(self, service: str, **extra: str) -> None:
        self._spawn(
            f"{service}-worker", [BIN / "python", "-m", f"{PACKAGES[service]}.worker"], self.env(service, **extra)
        )

    def _spawn(self, name: str, command: list, env: dict) -> None:
        log = open(self.tmp / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def wait_healthy(self, service: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url(service)}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or still booting
                pass
            process = self.processes.get(service)
            if process and process.poll() is not None:
                raise RuntimeError(f"{service} exited with {process.returncode}: {self.log(service)[-2000:]}")
            time.sleep(0.1)
        raise RuntimeError(f"{service} did not answer /healthz within {timeout} s")

    def start_all(self) -> None:
        self.migrate()
        for service in PACKAGES:
            self.start_worker(service)
        for service in PACKAGES:
            self.start_web(service)

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
        return process.wait(timeout)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.tmp / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

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
