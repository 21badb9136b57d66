"""Browser tests of the portal: the whole suite running (tests/suite_harness.py) and headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def screenshots() -> Path:
    """Where the journeys leave their screenshots (kept as test artifacts)."""
    folder = ROOT / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
