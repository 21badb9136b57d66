"""Reading orders, and an operator's decision on those waiting for approval.

Approving carries the order out then (orders.carry_out), in the same transaction as the
decision: if it can no longer be carried out (the service was stopped meanwhile, the plan is
no longer offered), nothing is written and the operator may reject it instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import activity
from billing.customers import get_customer
from billing.errors import OrderNotFound, OrderNotPending
from billing.order_models import OrderStatus, ProductOrder
from billing.orders import carry_out
from portico.pagination import Page, decode_cursor, encode_cursor

ORDER_APPROVED = "order.approved"  # activity actions
ORDER_REJECTED = "order.rejected"


def get_order(session: Session, order_id: int, *, customer_id: int | None = None, lock: bool = False) -> ProductOrder:
    """The order; with `customer_id`, only if it is that customer's (else as good as absent)."""
    order = session.get(ProductOrder, order_id, with_for_update=lock or None)
    if order is None or (customer_id is not None and order.customer_id != customer_id):
        raise OrderNotFound(f"No order {order_id}.")
    return order


def list_customer_orders(session: Session, customer_id: int, *, limit: int = 50, cursor: str | None = None) -> Page:
    """The customer's orders, newest first."""
    get_customer(session, customer_id)
    query = select(ProductOrder).where(ProductOrder.customer_id == customer_id)
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, "orders", int)
        query = query.where(ProductOrder.id < last_id)
    rows = session.scalars(query.order_by(ProductOrder.id.desc()).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor("orders", items[-1].id) if len(rows) > limit else None)


def list_orders(session: Session, *, status: str | None, limit: int = 50, cursor: str | None = None) -> Page:
    """Every customer's orders, oldest first (the queue operators work through)."""
    query = select(ProductOrder)
    if status is not None:
        query = query.where(ProductOrder.status == status)
    tag = f"queue:{status or ''}"
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, tag, int)
        query = query.where(ProductOrder.id > last_id)
    rows = session.scalars(query.order_by(ProductOrder.id).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor(tag, items[-1].id) if len(rows) > limit else None)


def approve(session: Session, order_id: int, *, now: datetime, actor: str) -> ProductOrder:
    order = _pending(session, order_id)
    carry_out(session, order, now=now, actor=actor)
    return _decided(session, order, OrderStatus.APPROVED, ORDER_APPROVED, reason=None, now=now, actor=actor)


def reject(session: Session, order_id: int, reason: str, *, now: datetime, actor: str) -> ProductOrder:
    order = _pending(session, order_id)
    return _decided(session, order, OrderStatus.REJECTED, ORDER_REJECTED, reason=reason, now=now, actor=actor)


def _pending(session: Session, order_id: int) -> ProductOrder:
    order = get_order(session, order_id, lock=True)
    if order.status != OrderStatus.PENDING:
        raise OrderNotPending(f"Order {order_id} is {order.status}; only a pending order is decided.")
    return order


def _decided(
    session: Session, order: ProductOrder, status: str, action: str, *, reason: str | None, now: datetime, actor: str
) -> ProductOrder:
    order.status = status
    order.decided_by = actor
    order.decided_at = now
    order.reason = reason
    change = {"field": "status", "old": OrderStatus.PENDING, "new": status}
    activity.record(session, order.customer_id, action, [change], actor=actor, at=now, subject=("order", order.id))
    session.flush()
    return order
