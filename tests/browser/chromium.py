"""Debian's Chromium driven by Playwright: headless, no network of its own, a fresh profile each time.

Playwright's own browser downloads are never used: the browser is /usr/bin/chromium
(`make install` puts it there), and it starts with everything that would reach out to the
web switched off.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

CHROMIUM = os.environ.get("PORTICO_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@contextlib.contextmanager
def chromium_context(*, viewport=DESKTOP, downloads: Path | None = None) -> Iterator[BrowserContext]:
    """A browser context on a fresh user-data-dir, removed afterwards."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="portico-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport=viewport,
            accept_downloads=True,
            downloads_path=str(downloads) if downloads else None,
            locale="en-GB",
            timezone_id="UTC",
        )
        try:
            yield context
        finally:
            context.close()


def navigation_timing(page) -> dict[str, float]:
    """Time to first byte and full load of the page last navigated to, in milliseconds."""
    return page.evaluate(
        """() => {
            const [nav] = performance.getEntriesByType("navigation");
            return {ttfb: nav.responseStart - nav.startTime, load: nav.loadEventEnd - nav.startTime};
        }"""
    )
