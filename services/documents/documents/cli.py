"""Operator commands of the documents service: `python -m documents.cli purge-orphan-blobs`."""

from __future__ import annotations

import argparse
import sys

from documents import SERVICE
from documents.blobs import purge_orphans
from documents.storage import storage_for
from portico.db import Database
from portico.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m documents.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "purge-orphan-blobs", help="remove stored files no row refers to (left by rolled-back transactions)"
    )
    parser.parse_args(argv)
    settings = load_settings(SERVICE)
    db = Database(settings.database_url)
    try:
        removed = purge_orphans(db, storage_for(settings))
    finally:
        db.dispose()
    print(f"removed {removed} unreferenced blob(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
