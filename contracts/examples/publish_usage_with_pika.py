"""Report sessions, traffic and calls to Portico billing as a network or voice system would (pika only).

    # the last 5 minutes of traffic of service 12 (a sample of network.usage.recorded)
    python publish_usage_with_pika.py --url amqp://guest:guest@127.0.0.1:5672/%2F \\
        usage --service-id 12 --minutes 5 --bytes-in 750000000 --bytes-out 50000000

    # service 12 goes online, then offline (network.session.started / .stopped)
    python publish_usage_with_pika.py session-start --service-id 12 --session-id 8a1f --ip 10.0.0.5 --nas nas-1
    python publish_usage_with_pika.py session-stop --service-id 12 --session-id 8a1f \\
        --bytes-in 900000000 --bytes-out 60000000

    # a call of voice service 7 (voice.call.recorded)
    python publish_usage_with_pika.py call --service-id 7 --call-id cdr-1001 --duration 95 \\
        --destination +442079460000 --cost 0.1200

Each command publishes one event with `publish_with_pika.publish_event` (the envelope, publisher confirms,
`mandatory=True`) and prints its id. Billing counts a sample once per `sample_id` and a call once per `call_id`,
also when they arrive again under a new event id: a system that is unsure whether a publish went through
(a lost confirm, a crash) simply publishes the sample again with the same `sample_id`. The default
`sample_id` is derived from the service and the period (`12@2026-11-23T10:00:00Z`), so a resend of the same
period keeps it without the producer having to remember anything.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pika.exceptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from publish_with_pika import publish_event


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def usage_sample(
    service_id: int, period_start: datetime, period_end: datetime, bytes_in: int, bytes_out: int, sample_id: str = ""
) -> dict[str, Any]:
    """The data of `network.usage.recorded` for one period (a minute to a day)."""
    return {
        "service_id": service_id,
        "sample_id": sample_id or f"{service_id}@{rfc3339(period_start)}",
        "period_start": rfc3339(period_start),
        "period_end": rfc3339(period_end),
        "bytes_in": bytes_in,
        "bytes_out": bytes_out,
    }


def _data(args: argparse.Namespace, now: datetime) -> tuple[str, dict[str, Any]]:
    if args.command == "usage":
        end = now.replace(second=0, microsecond=0)
        start = end - timedelta(minutes=args.minutes)
        return "network.usage.recorded", usage_sample(
            args.service_id, start, end, args.bytes_in, args.bytes_out, args.sample_id
        )
    if args.command == "session-start":
        data = {"ip": args.ip, "nas": args.nas, "started_at": rfc3339(now)}
        return "network.session.started", {"service_id": args.service_id, "session_id": args.session_id, **data}
    if args.command == "session-stop":
        data = {"stopped_at": rfc3339(now), "bytes_in": args.bytes_in, "bytes_out": args.bytes_out}
        return "network.session.stopped", {"service_id": args.service_id, "session_id": args.session_id, **data}
    data = {"started_at": rfc3339(now - timedelta(seconds=args.duration)), "duration_seconds": args.duration}
    data |= {"destination": args.destination, "cost": args.cost}
    return "voice.call.recorded", {"service_id": args.service_id, "call_id": args.call_id, **data}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Report network sessions, traffic and calls to Portico billing.")
    parser.add_argument("--url", default="amqp://guest:guest@127.0.0.1:5672/%2F", help="AMQP URL of the broker")
    parser.add_argument("--producer", default="radius", help="name of the reporting system (default radius)")
    commands = parser.add_subparsers(dest="command", required=True)
    usage = commands.add_parser("usage", help="traffic of the last minutes (network.usage.recorded)")
    usage.add_argument("--minutes", type=int, default=5, help="length of the period ending now (1 to 1440)")
    usage.add_argument("--bytes-in", type=int, required=True)
    usage.add_argument("--bytes-out", type=int, required=True)
    usage.add_argument("--sample-id", default="", help="default: <service id>@<period start>")
    start = commands.add_parser("session-start", help="the service went online (network.session.started)")
    start.add_argument("--session-id", required=True)
    start.add_argument("--ip", required=True)
    start.add_argument("--nas", required=True)
    stop = commands.add_parser("session-stop", help="the session ended (network.session.stopped)")
    stop.add_argument("--session-id", required=True)
    stop.add_argument("--bytes-in", type=int, default=0)
    stop.add_argument("--bytes-out", type=int, default=0)
    call = commands.add_parser("call", help="a rated call that ended now (voice.call.recorded)")
    call.add_argument("--call-id", required=True)
    call.add_argument("--duration", type=int, required=True, help="seconds")
    call.add_argument("--destination", required=True)
    call.add_argument("--cost", required=True, help='up to four places, e.g. "0.1200"')
    for command in (usage, start, stop, call):
        command.add_argument("--service-id", type=int, required=True, help="the service's id in billing")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    event_type, data = _data(args, datetime.now(UTC))
    try:
        print(publish_event(args.url, event_type, data, args.producer))
    except pika.exceptions.UnroutableError:
        print(f"error: unroutable, no queue is bound to {event_type!r} (has billing migrated?)", file=sys.stderr)
        return 1
    except (pika.exceptions.AMQPError, ValueError) as exc:
        print(f"error: {exc!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
