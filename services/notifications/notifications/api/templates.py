"""Operators' templates: list them, read one, give a partner its own text (or reset it), and preview."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from notifications import template_sources
from notifications.api.request_context import actor, now
from notifications.catalogue import SPECS, TemplateChannel
from notifications.rendering import TemplateParts
from notifications.schemas import (
    RenderedSchema,
    TemplateListArgsSchema,
    TemplateListSchema,
    TemplatePreviewSchema,
    TemplateSchema,
)
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "templates",
    __name__,
    url_prefix="/admin/v1/templates",
    description="Email, SMS and portal message templates: Jinja in a sandbox, per partner (operators)",
)
BEARER = [{"bearer": []}]
ROUTE = f"/<string:key>/<any({', '.join(TemplateChannel.ALL)}):channel>"


def shown(found: template_sources.TemplateView) -> dict:
    return {
        "key": found.key,
        "channel": found.channel,
        "partner_id": found.partner_id,
        "custom": found.custom,
        "subject": found.parts.subject,
        "text": found.parts.text,
        "html": found.parts.html,
        "updated_by": found.updated_by,
        "updated_at": found.updated_at,
    }


@blp.route("")
class Templates(MethodView):
    @operator_scope("messages:read")
    @blp.arguments(TemplateListArgsSchema, location="query")
    @blp.response(200, TemplateListSchema)
    @blp.doc(security=BEARER)
    def get(self, args):
        """Every template: what it is for, its channels and variables; with `partner_id`, where that partner has its own."""
        custom: set[tuple[str, str]] = set()
        if "partner_id" in args:
            with database().reading() as session:
                custom = template_sources.partner_overrides(session, args["partner_id"])
        items = [
            {
                "key": spec.key,
                "name": spec.name,
                "description": spec.description,
                "category": spec.category,
                "event_type": spec.event_type,
                "channels": list(spec.channels),
                "variables": sorted(spec.sample_context()),
                "custom_channels": [channel for channel in spec.channels if (spec.key, channel) in custom],
            }
            for spec in SPECS
        ]
        return {"items": items}


@blp.route(ROUTE)
class BuiltinTemplate(MethodView):
    @operator_scope("messages:read")
    @blp.response(200, TemplateSchema)
    @blp.doc(security=BEARER)
    def get(self, key, channel):
        """The built-in text of a template on a channel."""
        with database().reading() as session:
            return shown(template_sources.view(session, key, channel))


@blp.route(f"{ROUTE}/partners/<int(min=1):partner_id>")
class PartnerTemplate(MethodView):
    @operator_scope("messages:read")
    @blp.response(200, TemplateSchema)
    @blp.doc(security=BEARER)
    def get(self, key, channel, partner_id):
        """The text the partner's customers get: its own, or the built-in one (`custom` says which)."""
        with database().reading() as session:
            return shown(template_sources.view(session, key, channel, partner_id))

    @operator_scope("messages:write")
    @blp.arguments(TemplateSchema)
    @blp.response(200, TemplateSchema)
    @blp.doc(security=BEARER)
    def put(self, values, key, channel, partner_id):
        """Give the partner its own text; 422 with the error, and nothing stored, unless it renders the sample data."""
        parts = TemplateParts(subject=values.get("subject"), text=values["text"], html=values.get("html"))
        with database().transaction() as session:
            saved = template_sources.save_override(session, partner_id, key, channel, parts, actor=actor(), now=now())
            return shown(saved)

    @operator_scope("messages:write")
    @blp.response(200, TemplateSchema)
    @blp.doc(security=BEARER)
    def delete(self, key, channel, partner_id):
        """Back to the built-in text."""
        with database().transaction() as session:
            return shown(template_sources.reset_override(session, partner_id, key, channel))


@blp.route(f"{ROUTE}/preview")
class TemplatePreview(MethodView):
    @operator_scope("messages:read")
    @blp.arguments(TemplatePreviewSchema)
    @blp.response(200, RenderedSchema)
    @blp.doc(security=BEARER)
    def post(self, values, key, channel):
        """Render a draft (`subject`, `text`, `html`), else the partner's or the built-in text, against sample data.

        `data` replaces sample variables. Bad syntax or an unknown variable: 422 naming the part.
        """
        if "text" in values:
            parts = TemplateParts(subject=values.get("subject"), text=values["text"], html=values.get("html"))
            template_sources.check_shape(channel, parts)
        else:
            with database().reading() as session:
                template_sources.spec_of(key, channel)
                parts = template_sources.parts_for(session, values.get("partner_id"), key, channel)
        return template_sources.preview(key, channel, parts, values.get("data"))
