"""Which text a template has for a partner: the partner's own override, else the built-in one.

Built-in texts are files under `templates/<key>/`: `email_subject.txt`, `email.txt`,
`email.html`, `sms.txt`, `portal_title.txt`, `portal.txt`. An override is saved only once it
renders the template's sample data, so a broken one is refused when it is saved, not when
a customer's message is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications import rendering
from notifications.catalogue import BY_KEY, TemplateChannel, TemplateSpec
from notifications.errors import InvalidFields, TemplateNotFound
from notifications.models import TemplateOverride
from notifications.partner_cache import PartnerCache
from notifications.rendering import TemplateParts

# The files of each part per channel; None: the channel has no such part.
FILES = {
    TemplateChannel.EMAIL: ("email_subject.txt", "email.txt", "email.html"),
    TemplateChannel.SMS: (None, "sms.txt", None),
    TemplateChannel.PORTAL: ("portal_title.txt", "portal.txt", None),
}


@dataclass(frozen=True)
class TemplateView:
    key: str
    channel: str
    partner_id: int | None
    parts: TemplateParts
    custom: bool
    updated_by: str | None = None
    updated_at: datetime | None = None


def spec_of(key: str, channel: str) -> TemplateSpec:
    spec = BY_KEY.get(key)
    if spec is None or channel not in spec.channels:
        raise TemplateNotFound(f"No template {key!r} for {channel}.")
    return spec


@cache
def builtin(key: str, channel: str) -> TemplateParts:
    """The built-in text of a template on a channel."""
    spec_of(key, channel)
    folder = resources.files("notifications") / "templates" / key

    def read(name: str | None) -> str | None:
        return None if name is None else (folder / name).read_text(encoding="utf-8")

    subject, text, html = FILES[channel]
    return TemplateParts(subject=read(subject), text=read(text), html=read(html))


def find_override(session: Session, partner_id: int, key: str, channel: str) -> TemplateOverride | None:
    return session.get(TemplateOverride, (partner_id, key, channel))


_overrides = PartnerCache("template overrides")


def _partner_parts(session: Session, partner_id: int) -> dict[tuple[str, str], TemplateParts]:
    """All of a partner's overrides (kept a few seconds: every event reads them)."""

    def load() -> dict[tuple[str, str], TemplateParts]:
        rows = session.scalars(select(TemplateOverride).where(TemplateOverride.partner_id == partner_id))
        return {
            (row.template, row.channel): TemplateParts(subject=row.subject, text=row.text, html=row.html)
            for row in rows
        }

    return _overrides.get(session, partner_id, load)


def parts_for(session: Session, partner_id: int | None, key: str, channel: str) -> TemplateParts:
    """What the partner's messages of this template on this channel are rendered with."""
    found = _partner_parts(session, partner_id).get((key, channel)) if partner_id is not None else None
    return found or builtin(key, channel)


def view(session: Session, key: str, channel: str, partner_id: int | None = None) -> TemplateView:
    spec_of(key, channel)
    override = find_override(session, partner_id, key, channel) if partner_id is not None else None
    if override is None:
        return TemplateView(key, channel, partner_id, builtin(key, channel), custom=False)
    parts = TemplateParts(subject=override.subject, text=override.text, html=override.html)
    return TemplateView(key, channel, partner_id, parts, True, override.updated_by, override.updated_at)


def partner_overrides(session: Session, partner_id: int) -> set[tuple[str, str]]:
    """(template, channel) the partner has its own text for."""
    rows = session.execute(
        select(TemplateOverride.template, TemplateOverride.channel).where(TemplateOverride.partner_id == partner_id)
    )
    return {(template, channel) for template, channel in rows}


def check_shape(channel: str, parts: TemplateParts) -> None:
    """The parts a channel has, and only those: an email needs a subject (HTML is optional)."""
    subject_file, _text, html_file = FILES[channel]
    errors: dict[str, list[str]] = {}
    if subject_file is not None and not parts.subject:
        errors["subject"] = ["Required for this channel."]
    if subject_file is None and parts.subject is not None:
        errors["subject"] = [f"A {channel} template has no subject."]
    if html_file is None and parts.html is not None:
        errors["html"] = [f"A {channel} template has no HTML."]
    if not parts.text.strip():
        errors["text"] = ["Must not be empty."]
    if errors:
        raise InvalidFields(errors)


def preview(key: str, channel: str, parts: TemplateParts, data: dict | None = None) -> rendering.Rendered:
    """The parts rendered against the template's sample data (with `data` laid over it)."""
    spec = spec_of(key, channel)
    return rendering.render(parts, spec.sample_context() | (data or {}))


def save_override(
    session: Session, partner_id: int, key: str, channel: str, parts: TemplateParts, *, actor: str, now: datetime
) -> TemplateView:
    """Store the partner's own text once it renders the sample (TemplateInvalid otherwise)."""
    check_shape(channel, parts)
    preview(key, channel, parts)
    override = find_override(session, partner_id, key, channel)
    if override is None:
        override = TemplateOverride(partner_id=partner_id, template=key, channel=channel)
        session.add(override)
    override.subject, override.text, override.html = parts.subject, parts.text, parts.html
    override.updated_by, override.updated_at = actor, now
    session.flush()
    _overrides.forget(session, partner_id)
    return view(session, key, channel, partner_id)


def reset_override(session: Session, partner_id: int, key: str, channel: str) -> TemplateView:
    """Back to the built-in text."""
    override = find_override(session, partner_id, key, channel)
    spec_of(key, channel)
    if override is not None:
        session.delete(override)
        session.flush()
    _overrides.forget(session, partner_id)
    return view(session, key, channel, partner_id)
