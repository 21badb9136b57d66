"""Jinja HTML templates rendered in a sandbox, and HTML turned into PDF by xhtml2pdf.

Templates are written by operators, so they run in Jinja's immutable sandbox (no attribute
access to Python internals, no mutation of what they are given), with undefined names as
errors rather than blanks. The only templates they can extend or include are the built-in
ones (`{% extends "base.html" %}`), held in memory. The HTML they produce may fetch nothing
but the images written inside it: xhtml2pdf's server policy with no local directory and no
network, so `<img src="/etc/passwd">`, `http://169.254.169.254/` or an `@font-face` naming a
file draw nothing, and data: URIs only as images (logos travel so), so a template cannot
bring a font or a stylesheet either. Fonts are the service's own (`pdf_fonts`).
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import DictLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from reportlab import rl_config
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessError, ResourceAccessPolicy

from documents.errors import RenderFailed, TemplateInvalid
from documents.pdf_fonts import register_fonts

# The same HTML always gives the same bytes (ReportLab otherwise stamps the time and a random
# id into each file), so a re-rendered document is the same content-addressed blob.
rl_config.invariant = 1
register_fonts()

MAX_TEMPLATE_BYTES = 200_000


class InlineImagesOnly(ResourceAccessPolicy):
    """xhtml2pdf's policy, and of data: URIs only images: no font or stylesheet comes from a template.

    A font a document embeds is registered with ReportLab for the whole process, and its
    family name is mapped to it there, so one partner's template could otherwise change the
    glyphs of every later PDF. xhtml2pdf checks a data: URI only for its size, naming it by
    its header ("data:font/ttf;base64"), which is where its media type is read here.
    """

    def check_local_size(self, size: int, where: object) -> None:
        super().check_local_size(size, where)
        where = str(where)
        if where.startswith("data:") and not where[len("data:") :].strip().lower().startswith("image/"):
            raise ResourceAccessError(f"{where[:60]!r}: a document may carry only images as data: URIs")


POLICY = InlineImagesOnly.server(base_dir=None, allow_remote=False, max_render_seconds=120)


def _lines(text: str | None) -> list[str]:
    """A multi-line text (an address, bank details) as its non-empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _builtin_templates() -> dict[str, str]:
    """The templates shipped with the service, by file name: each kind's and the base they extend."""
    folder = resources.files("documents").joinpath("templates")
    return {item.name: item.read_text(encoding="utf-8") for item in folder.iterdir() if item.name.endswith(".html")}


BUILTIN_TEMPLATES = _builtin_templates()


def _environment() -> ImmutableSandboxedEnvironment:
    environment = ImmutableSandboxedEnvironment(
        loader=DictLoader(BUILTIN_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["lines"] = _lines
    return environment


ENVIRONMENT = _environment()


def builtin_template(kind: str) -> str:
    """The template shipped with the service for `kind` (invoice or receipt)."""
    return BUILTIN_TEMPLATES[f"{kind}.html"]


@lru_cache(maxsize=128)
def _compiled(source: str):
    return ENVIRONMENT.from_string(source)


def check_template_source(source: str) -> None:
    """Raise TemplateInvalid unless `source` is a template that parses."""
    if len(source.encode()) > MAX_TEMPLATE_BYTES:
        raise TemplateInvalid(f"The template is larger than {MAX_TEMPLATE_BYTES:,} bytes.")
    try:
        _compiled(source)
    except TemplateSyntaxError as error:
        raise TemplateInvalid(f"Line {error.lineno}: {error.message}") from None


def render_html(source: str, context: dict[str, Any]) -> str:
    """The template's HTML for `context`, rendered in the sandbox; TemplateInvalid if it fails."""
    check_template_source(source)
    try:
        return _compiled(source).render(context)
    except TemplateError as error:  # undefined names, sandbox refusals, filter errors
        raise TemplateInvalid(f"The template failed to render: {error}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        raise TemplateInvalid(f"The template failed to render: {type(error).__name__}: {error}") from None


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`; RenderFailed if xhtml2pdf reports errors or gives up on it."""
    output = io.BytesIO()
    try:
        status = pisa.CreatePDF(html, dest=output, encoding="utf-8", resource_policy=POLICY)
    except Exception as error:  # a template's HTML can break xhtml2pdf or ReportLab in many ways
        # (a <pdf:font> whose file the policy refused reaches ReportLab as an empty file)
        raise RenderFailed(f"xhtml2pdf gave up on the HTML ({type(error).__name__}).") from error
    if status.err:
        raise RenderFailed(f"xhtml2pdf reported {status.err} error(s).")
    return output.getvalue()


def render_pdf(source: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(source, context))
