"""Bring billing's database to the newest schema: `python -m billing.migrate`."""

from pathlib import Path

from billing import SERVICE
from portico.migrations import upgrade
from portico.settings import load_settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def main() -> None:
    upgrade(MIGRATIONS, load_settings(SERVICE).database_url)


if __name__ == "__main__":
    main()
