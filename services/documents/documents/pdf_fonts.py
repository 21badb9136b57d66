"""The font every financial PDF is drawn in: DejaVu Sans, shipped in the package (`fonts/`, with its licence).

ReportLab's built-in Helvetica covers Latin-1 only, so a customer called "Łódź Żółć" or
"Čeština Ђорђе" printed as boxes. DejaVu Sans covers Latin, Greek and Cyrillic. It is read
from the package and registered with ReportLab once per process (a template never names a
file for it), and xhtml2pdf's names for a sans-serif face point at it: the built-in templates
name it, a template that names no font gets it, and so does one that asks for Helvetica,
Arial or sans-serif (as partner templates copied from the old built-in ones do). Serif and
monospace names keep ReportLab's Latin-1 faces. Italic has no face of its own and is drawn
upright.
"""

from __future__ import annotations

import io
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from xhtml2pdf.default import DEFAULT_FONT

FAMILY = "DejaVu Sans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

# CSS font-family names (as xhtml2pdf keys them, lower case) and the face each draws with.
FAMILY_NAMES = {
    **dict.fromkeys(
        (
            "dejavu sans",
            "dejavusans",
            "helvetica",
            "helvetica-oblique",
            "arial",
            "verdana",
            "geneva",
            "sans",
            "sansserif",
            "sans-serif",
            "ui-sans-serif",
            "ui-rounded",
            "system-ui",
            "fantasy",
            "emoji",
        ),
        REGULAR,
    ),
    **dict.fromkeys(("dejavusans-bold", "helvetica-bold", "helvetica-boldoblique"), BOLD),
}


def register_fonts() -> None:
    """Make DejaVu Sans the sans-serif face of every PDF this process renders (idempotent)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FILES.items():
        if name not in registered:
            data = resources.files("documents").joinpath("fonts", filename).read_bytes()
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    # Bold and plain as one family, italic drawn upright. The italic mappings go first: each
    # call also records which style a face is, and the upright ones must have the last word.
    for bold, face in ((0, REGULAR), (1, BOLD)):
        addMapping(REGULAR, bold, 1, face)
    for bold, face in ((0, REGULAR), (1, BOLD)):
        addMapping(REGULAR, bold, 0, face)
    DEFAULT_FONT.update(FAMILY_NAMES)
