"""A development SMTP server that keeps every email it receives as an `.eml` file.

`portico mailcatcher` listens on 127.0.0.1:1025 (where the services send by default) and
writes each message to `<var>/mail/<timestamp>-<uuid>.eml`, so what the suite sends can
be opened in any mail client. Nothing is relayed onwards. Each file is written under a
temporary name and renamed, so a reader never sees half a message. The envelope's sender
and recipients (which Bcc leaves out of the headers) are added as `X-Envelope-*` headers.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller

from portico.settings import var_dir

log = logging.getLogger(__name__)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class EmlDirectory:
    """The aiosmtpd handler: each message becomes one `.eml` file in `directory`."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def write(self, content: bytes, *, mail_from: str, rcpt_tos: list[str]) -> Path:
        """Store one message atomically and return its path."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        name = f"{stamp}-{uuid.uuid4()}.eml"
        envelope = f"X-Envelope-From: <{mail_from}>\r\nX-Envelope-To: {', '.join(f'<{r}>' for r in rcpt_tos)}\r\n"
        temporary = self.directory / f".{name}.tmp"
        with open(temporary, "wb") as file:
            file.write(envelope.encode() + content)
            file.flush()
            os.fsync(file.fileno())
        final = self.directory / name
        os.replace(temporary, final)
        return final

    async def handle_DATA(self, server, session, envelope) -> str:
        path = self.write(envelope.original_content, mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos))
        log.info("caught an email for %s: %s", ", ".join(envelope.rcpt_tos), path.name)
        return "250 Message accepted for delivery"


class MailCatcher:
    """The SMTP server in a thread of its own: `start()`, `stop()`, and `.port` it listens on."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 1025):
        self.directory = Path(directory)
        self.host = host
        self.port = port or free_port(host)  # 0: pick a free port (tests)
        self.handler = EmlDirectory(self.directory)
        self._controller: Controller | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(self.handler, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailCatcher:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="portico mailcatcher", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=1025, help="port to listen on (default 1025)")
    parser.add_argument("--dir", type=Path, default=None, help="where to write .eml files (default <var>/mail)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Catch email until SIGTERM or SIGINT; return the exit code."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    directory = args.dir or var_dir() / "mail"
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stopping.set())
    catcher = MailCatcher(directory, host=args.host, port=args.port)
    try:
        catcher.start()
    except OSError as error:
        log.error("cannot listen on %s:%s: %s", args.host, args.port, error)
        return 1
    log.info("catching email on %s:%s into %s", args.host, catcher.port, directory)
    try:
        while not stopping.wait(1.0):
            pass
    finally:
        catcher.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
