"""Emails and messages rendered from the Jinja templates shipped in `notifications/templates/`.

The templates run sandboxed (they may one day be edited by operators) and with strict
undefined variables, so a typo fails loudly instead of sending a blank. HTML templates
autoescape, so a customer's name can never inject markup; text templates do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=PackageLoader("notifications", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_text(name: str, context: dict[str, Any]) -> str:
    """Render one template file, e.g. `welcome.message.txt`."""
    return _environment().get_template(name).render(context)


def render_email(template: str, context: dict[str, Any]) -> RenderedEmail:
    """Render `<template>.subject.txt`, `<template>.txt` and `<template>.html`."""
    # A header is one line: whatever the template or the data put in, newlines go.
    subject = " ".join(render_text(f"{template}.subject.txt", context).split())
    return RenderedEmail(
        subject=subject,
        text=render_text(f"{template}.txt", context),
        html=render_text(f"{template}.html", context),
    )
