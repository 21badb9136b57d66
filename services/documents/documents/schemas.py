"""What the documents service's API accepts and answers (marshmallow; the OpenAPI is generated from these)."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from documents.models import DocumentKind, FinancialKind
from documents.uploads import INLINE_TYPES

SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="Not a SHA-256 (64 lower-case hex digits).")
MAX_PAGE = 200


class StrictBoolean(fields.Boolean):
    """A JSON boolean only (marshmallow would take "yes", "on" or 1 for true)."""

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class FilePart(Upload):
    """A file part of a multipart form (a text field of the same name is not a file)."""

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ValidationError("Send the file as a file part of a multipart/form-data body.")
        return value


class CustomerSchema(Schema):
    """The public part of the customer replica (never its revision or timestamps)."""

    id = fields.Integer(dump_only=True)
    login = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    partner_id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)


# -- categories ---------------------------------------------------------------------------
class CategorySchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(
        required=True,
        validate=[validate.Length(1, 80), validate.Regexp(r"\S", error="The name may not be blank.")],
    )
    created_at = fields.DateTime(dump_only=True)


# -- documents ----------------------------------------------------------------------------
class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_PAGE))
    cursor = fields.String(validate=validate.Length(1, 512))


class DocumentListQuerySchema(PageQuerySchema):
    kind = fields.String(
        validate=validate.OneOf(DocumentKind.ALL),
        metadata={"description": "The portal's two sections: `document` or `contract` (both when absent)."},
    )


class AdminDocumentListQuerySchema(DocumentListQuerySchema):
    visible = fields.Boolean(metadata={"description": "Only visible (true) or only hidden (false) documents."})


class FileQuerySchema(Schema):
    disposition = fields.String(
        load_default="attachment",
        validate=validate.OneOf(("attachment", "inline")),
        metadata={
            "description": "`attachment` downloads; `inline` shows it in the browser "
            f"(only for {', '.join(sorted(INLINE_TYPES))}; anything else is always an attachment)."
        },
    )


class CustomerUploadSchema(Schema):
    file = FilePart(required=True, metadata={"description": "The file (PDF, image or office document)."})
    title = fields.String(validate=validate.Length(1, 200), metadata={"description": "The file name if not given."})
    description = fields.String(load_default="", validate=validate.Length(max=2000))


class DocumentUploadSchema(CustomerUploadSchema):
    kind = fields.String(load_default=DocumentKind.DOCUMENT, validate=validate.OneOf(DocumentKind.ALL))
    category_id = fields.Integer(validate=validate.Range(min=1))
    visible = fields.Boolean(load_default=True, metadata={"description": "Shown to the customer (default true)."})
    requires_acceptance = fields.Boolean(
        load_default=False, metadata={"description": "The customer is asked to accept it (contracts only)."}
    )


class DocumentChangesSchema(Schema):
    title = fields.String(validate=validate.Length(1, 200))
    description = fields.String(validate=validate.Length(max=2000))
    kind = fields.String(validate=validate.OneOf(DocumentKind.ALL))
    category_id = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1))
    visible = StrictBoolean(metadata={"description": "false hides it from the customer; true shows it (published)."})
    requires_acceptance = StrictBoolean()


class CustomerAcceptanceSchema(Schema):
    """A customer's acceptance as the customer sees it."""

    id = fields.Integer(dump_only=True)
    document_id = fields.Integer(dump_only=True)
    accepted_name = fields.String(dump_only=True)
    accepted_at = fields.DateTime(dump_only=True)
    sha256 = fields.String(dump_only=True)


class AcceptanceRecordSchema(CustomerAcceptanceSchema):
    """The full, immutable record operators see."""

    customer_id = fields.Integer(dump_only=True)
    ip_address = fields.String(dump_only=True)
    user_agent = fields.String(dump_only=True)


class AcceptContractSchema(Schema):
    accepted_name = fields.String(
        required=True,
        validate=validate.Length(1, 200),
        metadata={"description": "The name the customer typed to accept."},
    )
    sha256 = fields.String(
        required=True,
        validate=SHA256,
        metadata={"description": "The `sha256` of the document the customer was shown: the exact file accepted."},
    )


class DocumentSchema(Schema):
    """A document or contract as its customer sees it."""

    id = fields.Integer(dump_only=True)
    customer_id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    category_id = fields.Integer(dump_only=True, allow_none=True)
    category = fields.Function(lambda d: d.category.name if d.category is not None else None, dump_only=True)
    title = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    filename = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    sha256 = fields.String(dump_only=True)
    requires_acceptance = fields.Boolean(dump_only=True)
    acceptance = fields.Nested(CustomerAcceptanceSchema, dump_only=True, allow_none=True)
    own_upload = fields.Function(lambda d: d.created_by.startswith("customer:"), dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class AdminDocumentSchema(DocumentSchema):
    visible = fields.Boolean(dump_only=True)
    acceptance = fields.Nested(AcceptanceRecordSchema, dump_only=True, allow_none=True)
    created_by = fields.String(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class DocumentPageSchema(Schema):
    items = fields.List(fields.Nested(DocumentSchema), dump_only=True)
    next_cursor = fields.String(dump_only=True, allow_none=True)


class AdminDocumentPageSchema(Schema):
    items = fields.List(fields.Nested(AdminDocumentSchema), dump_only=True)
    next_cursor = fields.String(dump_only=True, allow_none=True)


# -- financial documents ------------------------------------------------------------------
class FinancialListQuerySchema(PageQuerySchema):
    kind = fields.String(validate=validate.OneOf(FinancialKind.ALL))
    versions = fields.String(
        load_default="current",
        validate=validate.OneOf(("current", "all")),
        metadata={"description": "`current`: the newest version of each document; `all`: older versions too."},
    )


class VersionQuerySchema(Schema):
    version = fields.Integer(validate=validate.Range(min=1), metadata={"description": "The current one if absent."})


class VersionedFileQuerySchema(FileQuerySchema, VersionQuerySchema):
    pass


class FinancialDocumentSchema(Schema):
    id = fields.Integer(dump_only=True)
    customer_id = fields.Integer(dump_only=True)
    partner_id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"description": "invoice, credit_note, proforma or receipt."})
    number = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
    current = fields.Boolean(dump_only=True, metadata={"description": "Whether this is the newest version."})
    currency = fields.String(dump_only=True)
    total = fields.String(dump_only=True, metadata={"description": 'As billing issued it ("12.50").'})
    amount_due = fields.String(dump_only=True, allow_none=True)
    issued_on = fields.Date(dump_only=True)
    due_on = fields.Date(dump_only=True, allow_none=True)
    filename = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    sha256 = fields.String(dump_only=True)
    rendered_at = fields.DateTime(dump_only=True)


class FinancialDocumentPageSchema(Schema):
    items = fields.List(fields.Nested(FinancialDocumentSchema), dump_only=True)
    next_cursor = fields.String(dump_only=True, allow_none=True)


# -- branding and templates ---------------------------------------------------------------
class BrandingSchema(Schema):
    partner_id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    address = fields.String(
        load_default="", validate=validate.Length(max=1000), metadata={"description": "Lines separated by newlines."}
    )
    tax_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    bank_details = fields.String(
        load_default="",
        validate=validate.Length(max=1000),
        metadata={"description": "Bank name, IBAN, BIC ...: lines separated by newlines."},
    )
    payment_instructions = fields.String(load_default="", validate=validate.Length(max=2000))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    website = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    has_logo = fields.Function(lambda b: b.logo_sha256 is not None, dump_only=True)
    logo_content_type = fields.String(dump_only=True, allow_none=True)
    updated_by = fields.String(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class LogoUploadSchema(Schema):
    file = FilePart(required=True, metadata={"description": "A PNG or JPEG image."})


class TemplateSchema(Schema):
    partner_id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"description": "invoice (also credit notes, proformas) or receipt."})
    source = fields.String(required=True, validate=validate.Length(1, 200_000))
    custom = fields.Boolean(dump_only=True, metadata={"description": "false: the built-in template is in use."})
    updated_by = fields.String(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)


class TemplatePreviewSchema(Schema):
    source = fields.String(
        validate=validate.Length(1, 200_000),
        metadata={"description": "A template to try; the partner's current one if absent."},
    )
