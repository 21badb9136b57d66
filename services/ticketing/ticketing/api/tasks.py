"""Operator endpoints for tasks (seed 004: "Create task", "List of tasks")."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from portico.auth import operator_scope
from portico.web import database
from ticketing import tasks
from ticketing.api.request_context import now, operator_author
from ticketing.customers import get_customer
from ticketing.schemas import TaskCreateSchema, TaskFieldsSchema, TaskListQuerySchema, TaskPageSchema, TaskSchema
from ticketing.tasks import TaskFilter

blp = Blueprint("tasks", __name__, url_prefix="/admin/v1", description="Tasks (operators)")
BEARER = [{"bearer": []}]


def _page(page) -> dict:
    return {"items": page.items, "next_cursor": page.next_cursor}


@blp.route("/tasks")
class Tasks(MethodView):
    @operator_scope("tickets:read")
    @blp.arguments(TaskListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, TaskPageSchema)
    @blp.doc(security=BEARER)
    def get(self, query):
        """Tasks, newest first: an assignee's, a customer's or a ticket's, by status."""
        filters = TaskFilter(
            customer_id=query.get("customer_id"),
            ticket_id=query.get("ticket_id"),
            assignee=query.get("assignee"),
            statuses=query.get("status", ()),
        )
        with database().reading() as session:
            return _page(tasks.list_tasks(session, filters, limit=query["limit"], cursor=query.get("cursor")))

    @operator_scope("tickets:write")
    @blp.arguments(TaskCreateSchema)
    @blp.response(201, TaskSchema)
    @blp.doc(security=BEARER)
    def post(self, values):
        """Create a task for a customer, or about a ticket (its customer is the task's); emits ticketing.task.created."""
        with database().transaction() as session:
            return tasks.create_task(session, values, created_by=operator_author().name, now=now())


@blp.route("/tasks/<int:task_id>")
class TaskById(MethodView):
    @operator_scope("tickets:read")
    @blp.response(200, TaskSchema)
    @blp.doc(security=BEARER)
    def get(self, task_id):
        with database().reading() as session:
            return tasks.get_task(session, task_id)

    @operator_scope("tickets:write")
    @blp.arguments(TaskFieldsSchema(partial=True))
    @blp.response(200, TaskSchema)
    @blp.doc(security=BEARER)
    def patch(self, changes, task_id):
        """Change the title, description, assignee, due date or status; emits ticketing.task.updated."""
        with database().transaction() as session:
            return tasks.update_task(session, task_id, changes, now=now())


@blp.route("/customers/<int:customer_id>/tasks")
class CustomerTasks(MethodView):
    @operator_scope("tickets:read")
    @blp.arguments(TaskListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, TaskPageSchema)
    @blp.doc(security=BEARER)
    def get(self, query, customer_id):
        """The customer's tasks, newest first (the customer record's "List of tasks")."""
        filters = TaskFilter(
            customer_id=customer_id,
            ticket_id=query.get("ticket_id"),
            assignee=query.get("assignee"),
            statuses=query.get("status", ()),
        )
        with database().reading() as session:
            get_customer(session, customer_id)
            return _page(tasks.list_tasks(session, filters, limit=query["limit"], cursor=query.get("cursor")))
