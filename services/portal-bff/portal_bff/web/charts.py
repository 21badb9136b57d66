"""Usage charts drawn on the server as SVG with pygal: daily traffic, voice calls, live bandwidth.

Each chart is its own SVG answer, shown with <img>: no script runs in it (pygal's tooltip
script, loaded from the web by default, is left out), and its styles are its own.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime

import pygal
from flask import Response
from flask_babel import format_date, format_time, gettext
from pygal.style import Style

# pygal puts a finder for its map plugins (unused here) on sys.meta_path with no find_spec, which
# tools walking sys.meta_path (pytest's importlib mode) fail on; the portal draws no maps.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

# pygal writes its styles inline in the SVG; the image may use them and nothing else.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
GIGABYTE = 1_000_000_000
SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)
COLOURS = ("#1f6feb", "#2da44e", "#bf8700", "#cf222e")


def _style(theme: str) -> Style:
    dark = theme == "dark"
    foreground = "#e6edf3" if dark else "#1f2328"
    return Style(
        background="transparent",
        plot_background="transparent",
        foreground=foreground,
        foreground_strong=foreground,
        foreground_subtle="#8c959f",
        colors=COLOURS,
        font_family="system-ui, sans-serif",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        title_font_size=15,
    )


def _chart(kind, theme: str, title: str, **options):
    return kind(
        style=_style(theme),
        js=[],  # no script, and nothing fetched from the web
        title=title,
        width=900,
        height=360,
        show_legend=True,
        legend_at_bottom=True,
        x_label_rotation=30,
        truncate_label=-1,
        show_minor_x_labels=False,
        **options,
    )


def _every(labels: list[str], most: int = 12) -> list[str]:
    step = max(1, len(labels) // most)
    return labels[::step]


def daily_traffic(days: list[dict], theme: str) -> bytes:
    chart = _chart(pygal.Bar, theme, gettext("Traffic per day (GB)"))
    labels = [format_date(_day(d["day"]), format="short") for d in days]
    chart.x_labels = labels
    chart.x_labels_major = _every(labels)
    chart.add(gettext("Download"), [round(d["bytes_in"] / GIGABYTE, 3) for d in days])
    chart.add(gettext("Upload"), [round(d["bytes_out"] / GIGABYTE, 3) for d in days])
    return chart.render()


def voice_calls(days: list[dict], theme: str) -> bytes:
    chart = _chart(pygal.Bar, theme, gettext("Calls per day"))
    labels = [format_date(_day(d["day"]), format="short") for d in days]
    chart.x_labels = labels
    chart.x_labels_major = _every(labels)
    chart.add(gettext("Minutes"), [d["minutes"] for d in days])
    chart.add(gettext("Calls"), [d["calls"] for d in days])
    return chart.render()


def live_bandwidth(minutes: list[dict], theme: str) -> bytes:
    """Mbps per minute: a minute's bytes * 8 / 60 s."""
    chart = _chart(pygal.Line, theme, gettext("Bandwidth (Mbps)"), fill=True, show_dots=False)
    labels = [format_time(datetime.fromisoformat(m["minute"]), format="short") for m in minutes]
    chart.x_labels = labels
    chart.x_labels_major = _every(labels)
    chart.add(gettext("Download"), [round(m["bytes_in"] * 8 / 60 / 1_000_000, 2) for m in minutes])
    chart.add(gettext("Upload"), [round(m["bytes_out"] * 8 / 60 / 1_000_000, 2) for m in minutes])
    return chart.render()


def svg_response(svg: bytes) -> Response:
    # pygal always writes its config as an inline script; an <img> would not run it, and it goes all the same.
    response = Response(SCRIPT.sub(b"", svg), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = CHART_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])
