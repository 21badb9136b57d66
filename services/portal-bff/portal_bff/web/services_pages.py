"""The Services pages: services and hardware, statistics with server-drawn charts, the live bandwidth
graph, ordering new products and changing plans (with the price preview), and the speedtest."""

from __future__ import annotations

from datetime import date, timedelta

from flask import redirect, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from portal_bff.api.authentication import visitor
from portal_bff.api.context import now
from portal_bff.api.readers import reader
from portal_bff.errors import InvalidFields, NotFound, UpstreamRejected, UpstreamUnavailable
from portal_bff.page_arguments import DayRangeArgsSchema, MinutesArgsSchema, as_params
from portal_bff.page_schemas import (
    CountersPageSchema,
    OffersPageSchema,
    OrderSchema,
    QuoteSchema,
    ServicePageSchema,
    ServicesPageSchema,
    UsagePageSchema,
)
from portal_bff.pages import services as service_models
from portal_bff.pages.services import service_page, services_page, usage_page
from portal_bff.web import charts
from portal_bff.web.guard import page
from portal_bff.web.pages import blueprint, form_key, idempotency_key, query_args, render
from portal_bff.web.visitors import choices

blp = blueprint("web_services", __name__, url_prefix="/services")
DEFAULT_DAYS = 30
LIVE_INTERVALS = (15, 30, 60, 180, 360, 1440)
CHART_KINDS = {"daily": "daily", "voice": "voice_daily"}


def _switch(name: str) -> bool:
    return bool(visitor().config["services"][name])


@blp.get("")
@page(module="services")
def services():
    model = ServicesPageSchema().dump(services_page(reader(), cursor=request.args.get("cursor"), limit=50))
    return render(
        "services/services.html",
        page=model,
        can_order=_switch("allow_order_new_products"),
        can_change=_switch("allow_plan_change"),
    )


def _day_range() -> dict:
    """The statistics' days (`from`, `to`): the last 30 days unless chosen."""
    today = now().date()
    try:
        last = date.fromisoformat(request.args["to"]) if request.args.get("to") else today
        first = (
            date.fromisoformat(request.args["from"]) if request.args.get("from") else last - timedelta(DEFAULT_DAYS - 1)
        )
        return DayRangeArgsSchema().load({"from": first.isoformat(), "to": last.isoformat()})
    except (ValueError, ValidationError):
        return {"first": today - timedelta(DEFAULT_DAYS - 1), "last": today}


def _service(service_id: int) -> dict:
    model = ServicePageSchema().dump(service_page(reader(), service_id))
    return model["service"]


@blp.get("/<int:service_id>/statistics")
@page(module="services")
def statistics(service_id: int):
    limits = CountersPageSchema().dump(service_models.counters_page(reader(), service_id))
    service, counters = limits["service"], limits["counters"]
    span = _day_range()
    params = as_params({"from": span["first"], "to": span["last"]})
    kind = (service.get("item") or {}).get("plan_kind")
    usage = None
    if kind in ("internet", "voice"):
        usage_kind = "daily" if kind == "internet" else "voice_daily"
        usage = UsagePageSchema().dump(usage_page(reader(), service_id, usage_kind, params))["usage"]
    return render(
        "services/statistics.html",
        service=service,
        usage=usage,
        counters=counters,
        span=span,
        chart_kind="daily" if kind == "internet" else "voice",
        params=params,
    )


@blp.get("/<int:service_id>/charts/<any(daily, voice):kind>.svg")
@page(module="services")
def chart(service_id: int, kind: str):
    span = _day_range()
    params = as_params({"from": span["first"], "to": span["last"]})
    usage = UsagePageSchema().dump(usage_page(reader(), service_id, CHART_KINDS[kind], params))["usage"]
    if usage["status"] != "ok":
        raise UpstreamUnavailable("billing")
    theme = choices().theme
    svg = charts.daily_traffic(usage["days"], theme) if kind == "daily" else charts.voice_calls(usage["calls"], theme)
    return charts.svg_response(svg)


@blp.get("/<int:service_id>/live")
@page(module="services")
def live(service_id: int):
    service = _service(service_id)
    minutes = query_args(MinutesArgsSchema())["minutes"]
    return render("services/live.html", service=service, minutes=minutes, intervals=LIVE_INTERVALS)


@blp.get("/<int:service_id>/live.svg")
@page(module="services")
def live_chart(service_id: int):
    minutes = query_args(MinutesArgsSchema())
    usage = UsagePageSchema().dump(usage_page(reader(), service_id, "minutes", minutes))["usage"]
    if usage["status"] != "ok":
        raise UpstreamUnavailable("billing")
    return charts.svg_response(charts.live_bandwidth(usage["minutes"], choices().theme))


@blp.get("/speedtest")
@page(module="services")
def speedtest():
    return render("services/speedtest.html", ip=request.remote_addr)


# -- ordering new products and changing plans ------------------------------------------
def _offers(kind: str | None = None) -> dict:
    return OffersPageSchema().dump(service_models.offers_page(reader(), kind))["offers"]


def _order_form() -> tuple[int, int, date | None]:
    try:
        plan_id = int(request.form.get("plan_id", ""))
        quantity = int(request.form.get("quantity", "1") or 1)
        start = date.fromisoformat(request.form["start_date"]) if request.form.get("start_date") else None
    except (ValueError, KeyError):
        raise InvalidFields({"plan_id": [gettext("Choose a product.")]}) from None
    if not 1 <= quantity <= 100:
        raise InvalidFields({"quantity": [gettext("Order between 1 and 100.")]})
    return plan_id, quantity, start


def _refusal(error: InvalidFields | UpstreamRejected) -> str:
    errors = getattr(error, "errors", None)
    if isinstance(errors, dict):
        for messages in errors.values():
            if isinstance(messages, list) and messages:
                return str(messages[0])
    return str(error)


@blp.get("/order")
@page(module="services")
def order():
    if not _switch("allow_order_new_products"):
        raise NotFound("This part of the portal is not available.")
    return render("services/order.html", offers=_offers(), quote=None, today=now().date())


@blp.post("/order/preview")
@page(module="services")
def order_preview():
    try:
        plan_id, quantity, start = _order_form()
        quote = QuoteSchema().dump(service_models.preview_order(reader(), plan_id, quantity, start))
    except (InvalidFields, UpstreamRejected) as refused:
        return render(
            "services/order.html", status=422, offers=_offers(), quote=None, today=now().date(), error=_refusal(refused)
        )
    form = {"plan_id": plan_id, "quantity": quantity, "start_date": start.isoformat() if start else ""}
    return render("services/order.html", offers=_offers(), quote=quote, form=form, today=now().date(), key=form_key())


@blp.post("/order")
@page(module="services")
def order_confirm():
    try:
        plan_id, quantity, start = _order_form()
        placed = OrderSchema().dump(
            service_models.place_order(reader(), plan_id, quantity, start, key=idempotency_key())
        )
    except (InvalidFields, UpstreamRejected) as refused:
        return render(
            "services/order.html", status=422, offers=_offers(), quote=None, today=now().date(), error=_refusal(refused)
        )
    notice = "order_completed" if placed.get("status") == "completed" else "order_pending"
    return redirect(url_for("web_services.services", notice=notice), code=303)


@blp.get("/<int:service_id>/change-plan")
@page(module="services")
def change_plan(service_id: int):
    if not _switch("allow_plan_change"):
        raise NotFound("This part of the portal is not available.")
    service = _service(service_id)
    kind = (service.get("item") or {}).get("plan_kind")
    return render("services/change_plan.html", service=service, offers=_offers(kind), quote=None)


@blp.post("/<int:service_id>/change-plan/preview")
@page(module="services")
def change_plan_preview(service_id: int):
    service = _service(service_id)
    kind = (service.get("item") or {}).get("plan_kind")
    try:
        plan_id, _quantity, _start = _order_form()
        quote = QuoteSchema().dump(service_models.preview_plan_change(reader(), service_id, plan_id))
    except (InvalidFields, UpstreamRejected) as refused:
        if isinstance(refused, UpstreamRejected) and refused.status == 404:
            raise
        return render(
            "services/change_plan.html",
            status=422,
            service=service,
            offers=_offers(kind),
            quote=None,
            error=_refusal(refused),
        )
    return render(
        "services/change_plan.html", service=service, offers=_offers(kind), quote=quote, plan_id=plan_id, key=form_key()
    )


@blp.post("/<int:service_id>/change-plan")
@page(module="services")
def change_plan_confirm(service_id: int):
    try:
        plan_id, _quantity, _start = _order_form()
        placed = OrderSchema().dump(service_models.change_plan(reader(), service_id, plan_id, key=idempotency_key()))
    except (InvalidFields, UpstreamRejected) as refused:
        if isinstance(refused, UpstreamRejected) and refused.status == 404:
            raise
        service = _service(service_id)
        kind = (service.get("item") or {}).get("plan_kind")
        return render(
            "services/change_plan.html",
            status=422,
            service=service,
            offers=_offers(kind),
            quote=None,
            error=_refusal(refused),
        )
    notice = "order_completed" if placed.get("status") == "completed" else "order_pending"
    return redirect(url_for("web_services.services", notice=notice), code=303)
