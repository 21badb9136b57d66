"""Operators' tasks about a customer, and maybe one of their tickets (seed 004 "Create task").

A task is Open, In progress or Done, in any order (a done task may be reopened). Creating or
changing one emits `ticketing.task.created` / `ticketing.task.updated` with its snapshot.
Tasks are for operators: no customer endpoint shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portico.pagination import Page, decode_cursor, encode_cursor
from ticketing import events
from ticketing.customers import get_customer
from ticketing.errors import CustomerNotFound, InvalidFields, TaskNotFound, TicketNotFound
from ticketing.models import Task, TaskStatus, Ticket

EDITABLE = ("title", "description", "assignee", "due_date", "status")


def snapshot(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "customer_id": task.customer_id,
        "ticket_id": task.ticket_id,
        "title": task.title,
        "description": task.description,
        "assignee": task.assignee,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "status": task.status,
        "created_by": task.created_by,
        "created_at": task.created_at.isoformat(),
        "updated_at": task.updated_at.isoformat(),
        "completed_at": events.timestamp(task.completed_at),
    }


def get_task(session: Session, task_id: int, *, for_update: bool = False) -> Task:
    task = session.get(Task, task_id, with_for_update=for_update or None)
    if task is None:
        raise TaskNotFound(f"No task {task_id}.")
    return task


def _owner(session: Session, customer_id: int | None, ticket_id: int | None) -> int:
    """The task's customer: the one given, or the ticket's (which must agree)."""
    if ticket_id is not None:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise InvalidFields({"ticket_id": [f"No ticket {ticket_id}."]})
        if customer_id is not None and customer_id != ticket.customer_id:
            raise InvalidFields({"ticket_id": [f"Ticket {ticket_id} is not customer {customer_id}'s."]})
        return ticket.customer_id
    if customer_id is None:
        raise InvalidFields({"customer_id": ["Give the customer, or the ticket the task is about."]})
    try:
        get_customer(session, customer_id)
    except CustomerNotFound:
        raise InvalidFields({"customer_id": [f"No customer {customer_id}."]}) from None
    return customer_id


def create_task(session: Session, values: dict[str, Any], *, created_by: str, now: datetime) -> Task:
    task = Task(
        customer_id=_owner(session, values.get("customer_id"), values.get("ticket_id")),
        ticket_id=values.get("ticket_id"),
        title=values["title"],
        description=values.get("description", ""),
        assignee=values.get("assignee"),
        due_date=values.get("due_date"),
        status=values.get("status", TaskStatus.OPEN),
        created_by=created_by,
        created_at=now,
        updated_at=now,
        completed_at=now if values.get("status") == TaskStatus.DONE else None,
    )
    session.add(task)
    session.flush()
    events.publish(session, events.TASK_CREATED, snapshot(task), aggregate_type="task", aggregate_id=task.id)
    return task


def update_task(session: Session, task_id: int, changes: dict[str, Any], *, now: datetime) -> Task:
    task = get_task(session, task_id, for_update=True)
    changed = sorted(name for name in EDITABLE if name in changes and changes[name] != getattr(task, name))
    if not changed:
        return task
    old_status = task.status
    for name in changed:
        setattr(task, name, changes[name])
    if task.status != old_status:
        task.completed_at = now if task.status == TaskStatus.DONE else None
    task.updated_at = now
    session.flush()
    data = snapshot(task) | {"changed": changed}
    events.publish(session, events.TASK_UPDATED, data, aggregate_type="task", aggregate_id=task.id)
    return task


@dataclass(frozen=True)
class TaskFilter:
    customer_id: int | None = None
    ticket_id: int | None = None
    assignee: str | None = None
    statuses: Sequence[str] = ()


def list_tasks(session: Session, filters: TaskFilter, *, limit: int, cursor: str | None) -> Page:
    """Tasks matching `filters`, newest first."""
    query = select(Task)
    if filters.customer_id is not None:
        query = query.where(Task.customer_id == filters.customer_id)
    if filters.ticket_id is not None:
        if session.get(Ticket, filters.ticket_id) is None:
            raise TicketNotFound(f"No ticket {filters.ticket_id}.")
        query = query.where(Task.ticket_id == filters.ticket_id)
    if filters.assignee is not None:
        query = query.where(Task.assignee == filters.assignee)
    if filters.statuses:
        query = query.where(Task.status.in_(filters.statuses))
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, "tasks", int)
        query = query.where(Task.id < last_id)
    rows = session.scalars(query.order_by(Task.id.desc()).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor("tasks", items[-1].id) if len(rows) > limit else None)
