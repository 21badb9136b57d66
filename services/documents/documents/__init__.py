"""Portico documents: customers' documents and contracts, and the PDFs of invoices and receipts."""

SERVICE = "documents"
