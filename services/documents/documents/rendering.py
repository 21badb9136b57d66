"""Jinja HTML templates rendered in a sandbox, and HTML turned into PDF by xhtml2pdf.

Templates are written by operators, so they run in Jinja's immutable sandbox (no attribute
access to Python internals, no mutation of what they are given), with undefined names as
errors rather than blanks. The HTML they produce may fetch nothing: xhtml2pdf's server
policy with no local directory and no network, so `<img src="/etc/passwd">` or
`http://169.254.169.254/` draw nothing; logos travel inside the HTML as data: URIs.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from reportlab import rl_config
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from documents.errors import RenderFailed, TemplateInvalid

# The same HTML always gives the same bytes (ReportLab otherwise stamps the time and a random
# id into each file), so a re-rendered document is the same content-addressed blob.
rl_config.invariant = 1

MAX_TEMPLATE_BYTES = 200_000
POLICY = ResourceAccessPolicy.server(base_dir=None, allow_remote=False, max_render_seconds=120)


def _lines(text: str | None) -> list[str]:
    """A multi-line text (an address, bank details) as its non-empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _environment() -> ImmutableSandboxedEnvironment:
    environment = ImmutableSandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["lines"] = _lines
    return environment


ENVIRONMENT = _environment()


@lru_cache(maxsize=8)
def builtin_template(kind: str) -> str:
    """The template shipped with the service for `kind` (invoice or receipt)."""
    return resources.files("documents").joinpath("templates", f"{kind}.html").read_text(encoding="utf-8")


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
    """The PDF of `html`; RenderFailed if xhtml2pdf reports errors."""
    output = io.BytesIO()
    status = pisa.CreatePDF(html, dest=output, encoding="utf-8", resource_policy=POLICY)
    if status.err:
        raise RenderFailed(f"xhtml2pdf reported {status.err} error(s).")
    return output.getvalue()


def render_pdf(source: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(source, context))
