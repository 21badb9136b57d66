"""The customer's ticket list, shaped by hand for speed, answers exactly what TicketSchema documents."""

from __future__ import annotations

import json

from sqlalchemy import select

from ticketing.models import Ticket
from ticketing.schemas import TicketSchema


def test_each_listed_ticket_is_what_the_documented_schema_dumps(
    client, open_ticket, as_customer, operator, operator_comment, db, clock
):
    plain = open_ticket(7, subject="Internet is down")
    clock.advance(minutes=5)
    worked = open_ticket(7, subject="Invoice is wrong", priority="low")
    client.patch(
        f"/admin/v1/tickets/{worked['id']}",
        json={"assignee": "alice", "group": "billing", "type": "question", "status": "open"},
        headers=operator,
    )
    operator_comment(worked["id"], "Fixed, sorry.", public=True, status="resolved")
    operator_comment(worked["id"], "Refund booked.", public=False)
    clock.advance(minutes=5)
    closed = open_ticket(7, subject="Slow evenings")
    assert client.post(f"/v1/customers/7/tickets/{closed['id']}/close", headers=as_customer(7)).status_code == 200
    clock.advance(minutes=5)
    duplicate = open_ticket(7, subject="Internet is still down")
    merge = client.post(f"/admin/v1/tickets/{duplicate['id']}/merge", json={"into": plain["id"]}, headers=operator)
    assert merge.status_code == 200, merge.get_json()

    response = client.get("/v1/customers/7/tickets?sort=id", headers=as_customer(7))

    assert response.status_code == 200 and response.mimetype == "application/json"
    with db.reading() as session:
        tickets = session.scalars(select(Ticket).order_by(Ticket.id)).all()
        documented = [TicketSchema().dump(ticket) for ticket in tickets]
    listed = response.get_json()["items"]
    assert listed == documented
    assert [list(item) for item in listed] == [list(item) for item in documented]  # the same keys, in order
    shown = {item["id"]: item for item in listed}
    assert shown[worked["id"]]["comment_count"] == 2  # the internal note is not counted
    assert (shown[worked["id"]]["assigned_to"], shown[worked["id"]]["resolved_at"]) == (
        "alice", "2026-03-02T09:05:00+00:00",
    )  # fmt: skip
    assert shown[closed["id"]]["closed_at"] == "2026-03-02T09:10:00+00:00"
    assert shown[duplicate["id"]]["merged_into"] == plain["id"]
    assert json.loads(response.get_data())["next_cursor"] is None
