"""Connections to the message broker: RabbitMQ, or kombu's file transport for a single machine.

`BROKER_URL` is an AMQP URL (`amqp://user:pass@host:5672/vhost`) in every real deployment.
`file:///path/to/folder` selects kombu's file-system transport instead: messages and the
exchange bindings are files under that folder, shared by every process of one machine.
`make run` falls back to it when no RabbitMQ answers, so the suite runs with nothing
installed; it has no publisher confirms, no quorum queues and no delivery counts, which
the relay and the consumer make up for (see their `file_transport` branches).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from kombu import Connection
from kombu.transport import filesystem


def is_file_transport(url: str) -> bool:
    return url.startswith("file://")


def connect(url: str, **options) -> Connection:
    """A kombu Connection (not yet connected) for `url`."""
    if not is_file_transport(url):
        return Connection(url, **options)
    folder = Path(urlparse(url).path)
    messages, control = folder / "messages", folder / "control"
    for path in (messages, control):
        path.mkdir(parents=True, exist_ok=True)
    for amqp_only in ("heartbeat", "connect_timeout", "transport_options"):
        options.pop(amqp_only, None)
    # kombu remembers declared bindings per process and skips declaring them again; the
    # files are what routes messages, so a process that moves to another folder must not
    # skip them.
    filesystem.Transport.global_state.bindings.clear()
    return Connection(
        "filesystem://",
        transport_options={
            "data_folder_in": str(messages),
            "data_folder_out": str(messages),
            "control_folder": str(control),
            "polling_interval": 0.05,
        },
        **options,
    )


def rabbitmq_answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with Connection(url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        return True
    except Exception:
        return False


def local_broker_url(var_dir: Path, amqp_url: str) -> tuple[str, str | None]:
    """The broker `make run` uses: RabbitMQ if it answers, else the file transport; and why."""
    if rabbitmq_answers(amqp_url):
        return amqp_url, None
    folder = var_dir / "broker"
    return f"file://{folder}", (
        f"No RabbitMQ answers at {amqp_url}: using kombu's file transport under {folder} "
        "(one machine only; set BROKER_URL to a RabbitMQ to run it for real)."
    )


def main() -> None:
    """`python -m portico.broker`: print the broker URL `make run` should use."""
    import os
    import sys

    from portico.settings import var_dir

    url, reason = local_broker_url(var_dir(), os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"))
    if reason:
        print(reason, file=sys.stderr)
    print(url)


if __name__ == "__main__":
    main()
