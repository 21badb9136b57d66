"""The dashboard page model (GET /api/v1/dashboard)."""

from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.readers import reader
from portal_bff.page_schemas import DashboardPageSchema, ShortcutSchema
from portal_bff.pages import Read
from portal_bff.pages.dashboard import SECTION_PARTS, dashboard_sections, section_values

blp = Blueprint("dashboard", __name__, url_prefix="/api/v1", description="The dashboard")
PAGE = DashboardPageSchema()
SHORTCUTS = ShortcutSchema(many=True)


@blp.route("/dashboard")
class Dashboard(MethodView):
    @signed_in(module="dashboard")
    @blp.response(200, DashboardPageSchema)
    @blp.alt_response(404, description="The dashboard is hidden for this customer.")
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """Balance, payment due, suspension, unpaid invoices, services and CAP/FUP, active tickets,
        messages and news: the sections the partner's portal config shows, read at once.

        A section whose service is down or slow is `{"status": "unavailable"}`; the page still answers 200.
        """
        return Response(dashboard_json(), mimetype="application/json")


def dashboard_json() -> str:
    """The page as DashboardPageSchema and jsonify would write it, from each section's JSON written once.

    A section read from the cache was dumped and written when it was first answered; what
    is left per request is joining them (and the shortcut buttons of the config).
    """
    me = reader()
    shown, reads = dashboard_sections(me)
    members = {section: _section_json(section, reads) for section in shown}
    members["shortcut_buttons"] = _shortcuts_json(me.config["dashboard"]["shortcut_buttons"])
    # The names are the schema's fields: plain identifiers, written as JSON as they are.
    return "{" + ",".join(f'"{name}":{members[name]}' for name in sorted(members)) + "}\n"


def _section_json(section: str, reads: dict[str, Read]) -> str:
    first, *others = [reads[part] for part in SECTION_PARTS[section]]
    if not all(read.available for read in (first, *others)):
        return _json(PAGE.fields[section].schema.dump(section_values(section, reads)))
    # Remembered on the first part's entry, for this combination of the other parts' entries.
    key = ("json", section, *(read.entry.serial for read in others))
    return first.entry.remembered(key, lambda: _json(PAGE.fields[section].schema.dump(section_values(section, reads))))


_SHORTCUTS_WRITTEN: dict[int, tuple[list, str]] = {}


def _shortcuts_json(buttons: list) -> str:
    """The config's buttons as JSON, written once per config the process has (configs are never changed)."""
    kept = _SHORTCUTS_WRITTEN.get(id(buttons))
    if kept is None or kept[0] is not buttons:
        if len(_SHORTCUTS_WRITTEN) > 1000:
            _SHORTCUTS_WRITTEN.clear()
        kept = _SHORTCUTS_WRITTEN[id(buttons)] = (buttons, _json(SHORTCUTS.dump(buttons)))
    return kept[1]


def _json(value) -> str:
    return current_app.json.dumps(value, separators=(",", ":"))
