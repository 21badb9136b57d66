"""`portico`: the operators' command line."""

from __future__ import annotations

import argparse
import json
import os
import sys

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

    commands.add_parser("mailcatcher", help="run the development SMTP catcher (see --help)")
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
