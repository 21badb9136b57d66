"""What ticketing's API accepts and answers (marshmallow; the OpenAPI is generated from these).

Customers see `comment_count` as the number of public comments, and never the SLA fields;
operators see both counts, the due times and whether the ticket is overdue.
"""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ticketing import sla
from ticketing.api.request_context import now
from ticketing.models import BodyFormat, Priority, TaskStatus, TicketStatus
from ticketing.ticket_queries import SORTS

NOT_BLANK = validate.Regexp(r"\S", error="Must not be blank.")
NAME = validate.Length(1, 64)
OPERATOR_NAME = validate.Length(1, 120)
MAX_BODY = 20000


class CustomerSchema(Schema):
    """The public part of the customer replica (never its revision or timestamps)."""

    id = fields.Integer(dump_only=True)
    login = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    partner_id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)


# -- answers -------------------------------------------------------------------------------
class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String(metadata={"description": "The type found in the content."})
    size = fields.Integer()
    sha256 = fields.String()
    created_at = fields.DateTime()


class CommentSchema(Schema):
    id = fields.Integer()
    author_kind = fields.String(metadata={"description": "customer, operator or system."})
    author = fields.String(metadata={"description": "The customer's id, the operator's name, or system."})
    body = fields.String(metadata={"description": "Plain text (show it escaped) or sanitised Markdown."})
    body_format = fields.String()
    created_at = fields.DateTime()
    attachments = fields.List(fields.Nested(AttachmentSchema))


class OperatorCommentSchema(CommentSchema):
    ticket_id = fields.Integer()
    public = fields.Boolean(metadata={"description": "False for an internal note."})


class TicketSchema(Schema):
    """A ticket as its customer sees it: every column the portal may show (seed 002)."""

    id = fields.Integer()
    subject = fields.String()
    priority = fields.String()
    status = fields.String()
    group = fields.String(attribute="group_name", allow_none=True)
    type = fields.String(attribute="ticket_type", allow_none=True)
    assigned_to = fields.String(attribute="assignee", allow_none=True)
    source = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    merged_into = fields.Integer(attribute="merged_into_id", allow_none=True)
    comment_count = fields.Integer(attribute="public_comment_count", metadata={"description": "Public comments."})


class TicketDetailSchema(TicketSchema):
    comments = fields.List(fields.Nested(CommentSchema), metadata={"description": "Public comments, oldest first."})


class TicketPageSchema(Schema):
    items = fields.List(fields.Nested(TicketSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class OperatorTicketSchema(TicketSchema):
    customer_id = fields.Integer()
    comment_count = fields.Integer(metadata={"description": "All comments, internal notes included."})
    public_comment_count = fields.Integer()
    first_response_due_at = fields.DateTime()
    resolution_due_at = fields.DateTime()
    first_responded_at = fields.DateTime(allow_none=True)
    overdue = fields.Method("_overdue", metadata={"type": "boolean"})

    def _overdue(self, ticket) -> bool:
        return sla.is_overdue(ticket, now())


class OperatorTicketDetailSchema(OperatorTicketSchema):
    comments = fields.List(
        fields.Nested(OperatorCommentSchema), metadata={"description": "All comments, oldest first."}
    )


class OperatorTicketPageSchema(Schema):
    items = fields.List(fields.Nested(OperatorTicketSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class TaskSchema(Schema):
    id = fields.Integer(dump_only=True)
    customer_id = fields.Integer()
    ticket_id = fields.Integer(allow_none=True)
    title = fields.String()
    description = fields.String()
    assignee = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    status = fields.String()
    created_by = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    completed_at = fields.DateTime(dump_only=True, allow_none=True)


class TaskPageSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


# -- queries -------------------------------------------------------------------------------
class PageQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=25, validate=validate.Range(1, 200))
    cursor = fields.String(validate=validate.Length(1, 1024), metadata={"description": "`next_cursor` of a page."})


class TicketFilterQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.List(
        fields.String(validate=validate.OneOf(TicketStatus.ALL)), metadata={"description": "Repeat for several."}
    )
    priority = fields.List(
        fields.String(validate=validate.OneOf(Priority.ALL)), metadata={"description": "Repeat for several."}
    )
    created_from = fields.Date(metadata={"description": "Created on or after this day (UTC)."})
    created_to = fields.Date(metadata={"description": "Created on or before this day (UTC)."})
    q = fields.String(
        validate=[validate.Length(1, 200), NOT_BLANK],
        metadata={
            "description": "Words, each matching the start of a word of the subject or of a public comment "
            "(case-insensitive): `rout fail` finds 'Router failing'."
        },
    )
    sort = fields.String(
        load_default="-updated",
        validate=validate.OneOf(SORTS),
        metadata={"description": "id, created, updated or priority; '-' before it descends. Ties go by id."},
    )


class TicketListQuerySchema(TicketFilterQuerySchema, PageQuerySchema):
    pass


class TicketExportQuerySchema(TicketFilterQuerySchema):
    columns = fields.String(
        validate=validate.Length(1, 200),
        metadata={"description": "Comma-separated, in order: id, subject, priority, status, group, type, "
                  "assigned_to, created, updated (all by default)."},
    )  # fmt: skip


class QueueFilterQuerySchema(TicketFilterQuerySchema):
    customer_id = fields.Integer(validate=validate.Range(min=1))
    assignee = fields.String(validate=OPERATOR_NAME)
    unassigned = fields.Boolean(metadata={"description": "Only tickets nobody is assigned to."})
    group = fields.String(validate=NAME)
    type = fields.String(validate=NAME)
    overdue = fields.Boolean(metadata={"description": "Past a due time (first response or resolution), or not."})


class QueueQuerySchema(QueueFilterQuerySchema, PageQuerySchema):
    q = fields.String(
        validate=[validate.Length(1, 200), NOT_BLANK],
        metadata={"description": "Words matching the start of words of the subject or of any comment, notes included."},
    )


class CustomerTicketsQuerySchema(PageQuerySchema):
    state = fields.String(
        load_default="all",
        validate=validate.OneOf(("all", "opened", "closed")),
        metadata={"description": "opened: New, Open, Waiting on customer; closed: Resolved, Closed."},
    )
    sort = fields.String(load_default="-updated", validate=validate.OneOf(SORTS))


class TaskListQuerySchema(PageQuerySchema):
    assignee = fields.String(validate=OPERATOR_NAME)
    customer_id = fields.Integer(validate=validate.Range(min=1))
    ticket_id = fields.Integer(validate=validate.Range(min=1))
    status = fields.List(fields.String(validate=validate.OneOf(TaskStatus.ALL)))


# -- requests ------------------------------------------------------------------------------
class IdempotencyHeaderSchema(Schema):
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        metadata={"description": "Send the same key to retry safely: the first answer is replayed."},
    )


class CommentFormFields(Schema):
    """Multipart form fields; the files come in `attachments` (read by the view from the request's files)."""

    class Meta:
        unknown = RAISE

    attachments = fields.List(Upload(), metadata={"description": "Files; repeat the field for several."})
    body_format = fields.String(load_default=BodyFormat.TEXT, validate=validate.OneOf(BodyFormat.ALL))


class TicketCreateFormSchema(CommentFormFields):
    subject = fields.String(required=True, validate=[validate.Length(1, 200), NOT_BLANK])
    priority = fields.String(load_default=Priority.MEDIUM, validate=validate.OneOf(Priority.ALL))
    message = fields.String(required=True, validate=[validate.Length(1, MAX_BODY), NOT_BLANK])


class OperatorTicketCreateFormSchema(TicketCreateFormSchema):
    customer_id = fields.Integer(required=True, validate=validate.Range(min=1))
    group = fields.String(validate=NAME)
    type = fields.String(validate=NAME)
    assignee = fields.String(validate=OPERATOR_NAME)


class ReplyFormSchema(CommentFormFields):
    body = fields.String(required=True, validate=[validate.Length(1, MAX_BODY), NOT_BLANK])


class OperatorCommentFormSchema(ReplyFormSchema):
    public = fields.Boolean(
        required=True, metadata={"description": "true: a reply the customer sees; false: an internal note."}
    )
    status = fields.String(
        validate=validate.OneOf(TicketStatus.ALL),
        metadata={"description": "The status to leave the ticket in (a public reply opens a New ticket by default)."},
    )


class TicketChangeSchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(validate=validate.OneOf(TicketStatus.ALL))
    priority = fields.String(validate=validate.OneOf(Priority.ALL))
    group = fields.String(allow_none=True, validate=NAME)
    type = fields.String(allow_none=True, validate=NAME)
    assignee = fields.String(allow_none=True, validate=OPERATOR_NAME, metadata={"description": "null unassigns."})

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError("Give at least one field to change.", "_schema")


class MergeSchema(Schema):
    class Meta:
        unknown = RAISE

    into = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1), metadata={"description": "The ticket to keep."}
    )


class TaskFieldsSchema(Schema):
    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=[validate.Length(1, 200), NOT_BLANK])
    description = fields.String(validate=validate.Length(max=MAX_BODY))
    assignee = fields.String(allow_none=True, validate=OPERATOR_NAME)
    due_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(TaskStatus.ALL))


class TaskCreateSchema(TaskFieldsSchema):
    customer_id = fields.Integer(strict=True, validate=validate.Range(min=1))
    ticket_id = fields.Integer(strict=True, validate=validate.Range(min=1))
