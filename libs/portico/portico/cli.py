"""`portico`: the operators' command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime

from portico import auth
from portico.settings import DEV_JWT_SECRET

SERVICES = ("billing", "ticketing", "documents", "notifications", "portal-bff")


def _secret() -> str:
    return os.environ.get("PORTICO_JWT_SECRET", DEV_JWT_SECRET)


def _broker() -> str:
    return os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")


def operator_token(args) -> int:
    scopes = [s for s in args.scopes.split(",") if s] if args.scopes else list(auth.ALL_SCOPES)
    unknown = set(scopes) - set(auth.ALL_SCOPES)
    if unknown:
        print(f"unknown scope(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    print(auth.operator_token(_secret(), args.operator, scopes, ttl=args.ttl))
    return 0


def dead_letters(args) -> int:
    from portico.deadletters import list_dead_letters, replay_dead_letters

    if args.action == "replay":
        print(f"replayed {replay_dead_letters(_broker(), args.service, args.message_id)}")
        return 0
    for letter in list_dead_letters(_broker(), args.service):
        print(
            json.dumps(
                {
                    "message_id": letter.message_id,
                    "type": letter.type,
                    "reason": letter.reason,
                    "dead_at": letter.dead_at,
                }
            )
        )
    return 0


def status(args) -> int:
    from portico.status import SERVICES as ALL
    from portico.status import render, service_status

    statuses = [service_status(service) for service in (args.service or ALL)]
    if args.json:
        print(json.dumps([s.as_dict() for s in statuses], indent=2))
    else:
        print(render(statuses))
    return 0 if all(s.healthy for s in statuses) else 1


def _operator_call(service: str, method: str, path: str, body: dict, key: str | None = None) -> int:
    """An operator's request to a service's admin API (a token made from the JWT secret); its answer printed."""
    import requests

    from portico.settings import service_url

    headers = {"Authorization": f"Bearer {auth.operator_token(_secret(), 'portico-cli', ttl=300)}"}
    if key:
        headers["Idempotency-Key"] = key
    try:
        response = requests.request(method, service_url(service) + path, json=body, headers=headers, timeout=600)
    except requests.RequestException as error:
        print(f"{service} cannot be reached: {error}", file=sys.stderr)
        return 1
    print(json.dumps(response.json(), indent=2) if response.content else response.status_code)
    return 0 if response.ok else 1


def billing_run(args) -> int:
    body = {"date": args.date} if args.date else {"date": datetime.now(UTC).date().isoformat()}
    return _operator_call("billing", "POST", "/admin/v1/billing-runs", body)


def welcome(args) -> int:
    path = f"/admin/v1/customers/{args.customer}/welcome"
    return _operator_call("notifications", "POST", path, {"channel": args.channel}, args.idempotency_key)


def mailcatcher(argv: list[str]) -> int:
    from portico.mailcatcher import main

    return main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["mailcatcher"]:
        return mailcatcher(argv[1:])
    parser = argparse.ArgumentParser(prog="portico", description="Operate a Portico installation.")
    commands = parser.add_subparsers(dest="command", required=True)

    token = commands.add_parser("operator-token", help="print a signed operator token")
    token.add_argument("--scopes", help="comma-separated scopes (default: every scope)")
    token.add_argument("--operator", default="admin", help="the operator's name in the token")
    token.add_argument("--ttl", type=int, default=3600, help="seconds the token is valid")
    token.set_defaults(run=operator_token)

    dead = commands.add_parser("dead-letters", help="list or replay a service's dead letters")
    dead.add_argument("action", choices=["list", "replay"])
    dead.add_argument("--service", required=True, choices=SERVICES)
    dead.add_argument("--message-id", help="replay only this message")
    dead.set_defaults(run=dead_letters)

    state = commands.add_parser("status", help="every service: web readiness, outbox, queues, dead letters")
    state.add_argument("--service", action="append", choices=SERVICES, help="only this one (repeatable)")
    state.add_argument("--json", action="store_true", help="as JSON")
    state.set_defaults(run=status)

    run = commands.add_parser("billing-run", help="run billing's daily run for a date (again: changes nothing)")
    run.add_argument("--date", help="YYYY-MM-DD (default: today, UTC)")
    run.set_defaults(run=billing_run)

    again = commands.add_parser("welcome", help="send a customer's welcome message again")
    again.add_argument("--customer", type=int, required=True, help="billing's customer id")
    again.add_argument("--channel", default="email", choices=["email", "sms", "email_sms"])
    again.add_argument("--idempotency-key", help="the same key again sends nothing more")
    again.set_defaults(run=welcome)

    commands.add_parser("mailcatcher", help="run the development SMTP catcher (see --help)")
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
