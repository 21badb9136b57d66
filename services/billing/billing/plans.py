"""Plans: what customer services are instances of (internet with speeds and CAP/FUP, voice, custom).

A plan's kind is fixed once made; everything else may change. A change reaches new services
only: each customer service keeps the price it was sold at. A plan is offered to the partners
it names (none named: every partner), and `self_service` plans also in the portal's
"Order new products". A plan in use by any service cannot be removed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing.errors import InvalidFields, PlanExists, PlanInUse, PlanNotFound
from billing.models import CustomerService, Partner, Plan, PlanKind, PlanPartner, TrafficLimitType
from portico.pagination import Page, decode_cursor, encode_cursor

# The attributes each kind's settings are stored in, cleared when they do not apply.
INTERNET_COLUMNS = (
    "download_mbps",
    "upload_mbps",
    "limit_type",
    "limit_gb",
    "reduced_download_mbps",
    "reduced_upload_mbps",
)


def get_plan(session: Session, plan_id: int, *, for_update: bool = False) -> Plan:
    plan = session.get(Plan, plan_id, with_for_update=for_update or None)
    if plan is None:
        raise PlanNotFound(f"No plan {plan_id}.")
    return plan


def list_plans(
    session: Session,
    *,
    kind: str | None = None,
    partner_id: int | None = None,
    self_service: bool | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Plans in id order; `partner_id` keeps those offered to that partner."""
    query = select(Plan)
    if kind is not None:
        query = query.where(Plan.kind == kind)
    if self_service is not None:
        query = query.where(Plan.self_service.is_(self_service))
    if partner_id is not None:
        query = query.where(offered_to_partner(partner_id))
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, "plans", int)
        query = query.where(Plan.id > last_id)
    rows = session.scalars(query.order_by(Plan.id).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor("plans", items[-1].id) if len(rows) > limit else None)


def offered_to_partner(partner_id: int):
    """A condition on Plan: it names `partner_id`, or names no partner at all."""
    offers = select(PlanPartner.plan_id).where(PlanPartner.plan_id == Plan.id)
    return or_(~exists(offers), exists(offers.where(PlanPartner.partner_id == partner_id)))


def is_offered_to(plan: Plan, partner_id: int) -> bool:
    return not plan.partner_ids or partner_id in plan.partner_ids


def create_plan(session: Session, values: dict[str, Any], *, now: datetime) -> Plan:
    _check_settings(values["kind"], values.get("internet"), values.get("voice"))
    _check_partners(session, values.get("partner_ids", []))
    plan = Plan(kind=values["kind"], self_service=False, requires_approval=False, created_at=now, updated_at=now)
    _assign(plan, {"partner_ids": []} | values)
    session.add(plan)
    return _flushed(session, plan)


def update_plan(session: Session, plan_id: int, changes: dict[str, Any], *, now: datetime) -> Plan:
    plan = get_plan(session, plan_id, for_update=True)
    internet = changes.get("internet", plan.internet)
    voice = changes.get("voice", plan.voice)
    _check_settings(plan.kind, internet, voice)
    if "partner_ids" in changes:
        _check_partners(session, changes["partner_ids"])
    _assign(plan, changes)
    plan.updated_at = now
    return _flushed(session, plan)


def delete_plan(session: Session, plan_id: int) -> None:
    plan = get_plan(session, plan_id, for_update=True)
    in_use = session.scalar(select(CustomerService.id).where(CustomerService.plan_id == plan_id).limit(1))
    if in_use is not None:
        raise PlanInUse(f"Plan {plan_id} is used by customer services; it cannot be removed.")
    session.delete(plan)
    try:
        session.flush()
    except IntegrityError:  # a service took the plan concurrently
        raise PlanInUse(f"Plan {plan_id} is used by customer services; it cannot be removed.") from None


def _check_settings(kind: str, internet: dict[str, Any] | None, voice: dict[str, Any] | None) -> None:
    """Each kind has its own settings and no other kind's; FUP speeds are below the plan's."""
    errors: dict[str, Any] = {}
    if kind == PlanKind.INTERNET and internet is None:
        errors["internet"] = ["An internet plan needs its speeds."]
    if kind != PlanKind.INTERNET and internet is not None:
        errors["internet"] = ["Only internet plans have speeds and traffic limits."]
    if kind == PlanKind.VOICE and voice is None:
        errors["voice"] = ["A voice plan needs its included minutes and per-minute rate."]
    if kind != PlanKind.VOICE and voice is not None:
        errors["voice"] = ["Only voice plans have minutes and a per-minute rate."]
    limit = (internet or {}).get("limit")
    if kind == PlanKind.INTERNET and internet and limit and (problems := _limit_problems(internet, limit)):
        errors["internet"] = {"limit": problems}
    if errors:
        raise InvalidFields(errors)


def _limit_problems(internet: dict[str, Any], limit: dict[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for direction in ("download", "upload"):
        reduced = limit.get(f"reduced_{direction}_mbps")
        name = f"reduced_{direction}_mbps"
        if limit["type"] == TrafficLimitType.CAP and reduced is not None:
            problems[name] = ["Only a FUP limit reduces the speed."]
        elif limit["type"] == TrafficLimitType.FUP and reduced is None:
            problems[name] = ["A FUP limit needs the reduced speed."]
        elif reduced is not None and reduced >= internet[f"{direction}_mbps"]:
            problems[name] = [f"Must be below the plan's {direction} speed ({internet[f'{direction}_mbps']} Mbps)."]
    return problems


def _check_partners(session: Session, partner_ids: list[int]) -> None:
    known = set(session.scalars(select(Partner.id).where(Partner.id.in_(partner_ids))))
    unknown = [pid for pid in partner_ids if pid not in known]
    if unknown:
        raise InvalidFields({"partner_ids": [f"No partner {pid}." for pid in unknown]})


def _assign(plan: Plan, values: dict[str, Any]) -> None:
    for name in ("name", "price", "self_service", "requires_approval"):
        if name in values:
            setattr(plan, name, values[name])
    if "partner_ids" in values:
        plan.offered_to = [PlanPartner(partner_id=pid) for pid in sorted(set(values["partner_ids"]))]
    if "internet" in values:
        _assign_internet(plan, values["internet"])
    if "voice" in values:
        voice = values["voice"] or {}
        plan.included_minutes = voice.get("included_minutes", 0) if voice else None
        plan.per_minute_rate = voice.get("per_minute_rate")


def _assign_internet(plan: Plan, internet: dict[str, Any] | None) -> None:
    for column in INTERNET_COLUMNS:
        setattr(plan, column, None)
    if internet is None:
        return
    plan.download_mbps, plan.upload_mbps = internet["download_mbps"], internet["upload_mbps"]
    limit = internet.get("limit")
    if limit is not None:
        plan.limit_type, plan.limit_gb = limit["type"], limit["traffic_gb"]
        plan.reduced_download_mbps = limit.get("reduced_download_mbps")
        plan.reduced_upload_mbps = limit.get("reduced_upload_mbps")


def _flushed(session: Session, plan: Plan) -> Plan:
    try:
        session.flush()
    except IntegrityError:  # the name was taken (perhaps concurrently)
        raise PlanExists(f"A plan named {plan.name!r} exists.") from None
    return plan
