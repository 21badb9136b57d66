"""Where the web portal's files are: templates, static files, translations (inside the package)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
TRANSLATIONS = PACKAGE / "translations"
STATIC_URL = "/assets"  # the app's own /static belongs to Flask's default static route
