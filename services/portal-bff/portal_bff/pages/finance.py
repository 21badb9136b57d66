"""The Finance pages: invoices with the account summary, one invoice, proformas, payments, and the
financial documents (PDFs) documents keeps."""

from __future__ import annotations

from typing import Any

from portal_bff.pages import Reader, page_of

SUMMARY_FIELDS = ("currency", "billing_type", "balance", "total_due", "unpaid_invoices", "unpaid_proformas", "prepaid")


def invoices_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    billing = reader.upstreams.billing

    def summary() -> dict[str, Any]:
        found = reader.get(billing, "/summary")
        return {name: found[name] for name in SUMMARY_FIELDS if name in found}

    loaders = {"summary": summary, "invoices": lambda: page_of(reader.get(billing, "/invoices", query))}
    return reader.gather(loaders, "billing") | {"payment_methods": reader.config["finance"]["payment_methods"]}


def invoice_page(reader: Reader, invoice_id: int) -> dict[str, Any]:
    billing = reader.upstreams.billing

    def explanation() -> dict[str, Any]:
        return reader.get(billing, f"/invoices/{invoice_id}/explanation")

    loaders = {
        "invoice": lambda: {"item": reader.get_subject(billing, f"/invoices/{invoice_id}", "invoice")},
        "explanation": explanation,
    }
    return reader.gather(loaders, "billing")


def proformas_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    billing = reader.upstreams.billing
    return reader.gather({"proformas": lambda: page_of(reader.get(billing, "/proformas", query))}, "billing")


def payments_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    billing = reader.upstreams.billing
    return reader.gather({"payments": lambda: page_of(reader.get(billing, "/payments", query))}, "billing")


def payment_page(reader: Reader, payment_id: int) -> dict[str, Any]:
    billing = reader.upstreams.billing
    loaders = {"payment": lambda: {"item": reader.get_subject(billing, f"/payments/{payment_id}", "payment")}}
    return reader.gather(loaders, "billing")


def financial_documents_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    documents = reader.upstreams.documents
    loaders = {"documents": lambda: page_of(reader.get(documents, "/financial-documents", query))}
    return reader.gather(loaders, "documents")
