"""Templates rendered in Jinja's sandbox: the built-in ones and operators' own alike.

The sandbox stops a template from reaching Python internals (operators edit them), and
undefined variables are errors, so a typo fails loudly instead of sending a blank. HTML
autoescapes, so a customer's name can never inject markup; text does not. HTML templates
may extend `_layout.html`. Compiled templates are cached by their source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from jinja2 import PackageLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from notifications.errors import TemplateInvalid

MAX_SOURCE_LENGTH = 100_000
SUBJECT_LENGTH = 300


@dataclass(frozen=True)
class TemplateParts:
    """The source of one template on one channel: email (subject, text, html), SMS (text), portal (subject = title, text)."""

    subject: str | None
    text: str
    html: str | None = None

    def items(self) -> list[tuple[str, str]]:
        return [
            (name, source)
            for name, source in (("subject", self.subject), ("text", self.text), ("html", self.html))
            if source is not None
        ]


@dataclass(frozen=True)
class Rendered:
    subject: str | None
    text: str
    html: str | None = None


@cache
def _environment(html: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=PackageLoader("notifications", "templates"),
        autoescape=html,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=512)
def _compiled(source: str, html: bool) -> Template:
    return _environment(html).from_string(source)


def _location(error: TemplateError) -> str:
    line = getattr(error, "lineno", None)
    return f"line {line}: {error.message}" if line else str(error.message or error)


def check_syntax(parts: TemplateParts) -> None:
    """TemplateInvalid naming each part that does not parse (or is too long)."""
    errors: dict[str, list[str]] = {}
    for name, source in parts.items():
        if len(source) > MAX_SOURCE_LENGTH:
            errors[name] = [f"Longer than {MAX_SOURCE_LENGTH} characters."]
            continue
        try:
            _compiled(source, name == "html")
        except TemplateSyntaxError as error:
            errors[name] = [_location(error)]
    if errors:
        raise TemplateInvalid(errors)


def render(parts: TemplateParts, context: dict[str, Any]) -> Rendered:
    """Render every part; TemplateInvalid naming the part that fails (syntax, undefined variable, sandbox)."""
    check_syntax(parts)
    out: dict[str, str] = {}
    for name, source in parts.items():
        try:
            out[name] = _compiled(source, name == "html").render(context)
        except TemplateError as error:
            raise TemplateInvalid({name: [_location(error)]}) from None
        except Exception as error:  # e.g. a division by zero in an operator's template
            raise TemplateInvalid({name: [f"{type(error).__name__}: {error}"]}) from None
    subject = out.get("subject")
    if subject is not None:
        # A header (or a title) is one line: whatever the template or the data put in, newlines go.
        subject = " ".join(subject.split())[:SUBJECT_LENGTH]
    return Rendered(subject=subject, text=out["text"], html=out.get("html"))
