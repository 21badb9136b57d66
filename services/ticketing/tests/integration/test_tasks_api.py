"""Operators' tasks about a customer or one of their tickets, listed per customer and per assignee."""

from __future__ import annotations

from ticketing.models import Task


def test_a_task_about_a_ticket_belongs_to_the_tickets_customer(client, open_ticket, operator, outbox_events):
    ticket = open_ticket(8)

    response = client.post(
        "/admin/v1/tasks",
        json={"ticket_id": ticket["id"], "title": "Send a technician", "assignee": "carol", "due_date": "2026-03-05"},
        headers=operator,
    )

    assert response.status_code == 201
    task = response.get_json()
    assert (task["customer_id"], task["ticket_id"], task["status"], task["created_by"]) == (
        8,
        ticket["id"],
        "open",
        "admin",
    )
    [created] = outbox_events("ticketing.task.created")
    assert created["data"]["id"] == task["id"]
    assert created["data"]["due_date"] == "2026-03-05"


def test_tasks_change_and_are_listed_per_customer_and_per_assignee(client, customers, operator, outbox_events, clock):
    def create(**body):
        response = client.post("/admin/v1/tasks", json=body, headers=operator)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    a = create(customer_id=7, title="Call back", assignee="carol")
    b = create(customer_id=7, title="Check invoice", assignee="dave")
    c = create(customer_id=8, title="Move router", assignee="carol")
    clock.advance(hours=1)

    done = client.patch(f"/admin/v1/tasks/{a}", json={"status": "done"}, headers=operator).get_json()

    assert (done["status"], done["completed_at"]) == ("done", "2026-03-02T10:00:00+00:00")
    [updated] = outbox_events("ticketing.task.updated")
    assert updated["data"]["changed"] == ["status"]

    def ids(url: str) -> list[int]:
        response = client.get(url, headers=operator)
        assert response.status_code == 200, response.get_json()
        return [t["id"] for t in response.get_json()["items"]]

    assert ids("/admin/v1/customers/7/tasks") == [b, a]
    assert ids("/admin/v1/tasks?assignee=carol") == [c, a]
    assert ids("/admin/v1/tasks?assignee=carol&status=open&status=in_progress") == [c]
    assert ids("/admin/v1/tasks?limit=1") == [c]
    reopened = client.patch(f"/admin/v1/tasks/{a}", json={"status": "in_progress"}, headers=operator).get_json()
    assert reopened["completed_at"] is None


def test_bad_tasks_are_refused_and_nothing_is_written(client, customers, open_ticket, operator, count_rows):
    ticket = open_ticket(7)
    for body in [
        {"title": "No customer"},
        {"customer_id": 99, "title": "Unknown customer"},
        {"customer_id": 8, "ticket_id": ticket["id"], "title": "Ticket of another customer"},
        {"customer_id": 7, "ticket_id": 999, "title": "Unknown ticket"},
        {"customer_id": 7, "title": ""},
        {"customer_id": 7, "title": "Bad status", "status": "blocked"},
        {"customer_id": 7, "title": "Bad date", "due_date": "soon"},
        {"customer_id": "7", "title": "Id as text"},
    ]:
        response = client.post("/admin/v1/tasks", json=body, headers=operator)
        assert response.status_code == 422, body
    assert count_rows(Task) == 0
    assert client.patch("/admin/v1/tasks/5", json={"status": "done"}, headers=operator).status_code == 404
    assert client.get("/admin/v1/customers/99/tasks", headers=operator).status_code == 404
