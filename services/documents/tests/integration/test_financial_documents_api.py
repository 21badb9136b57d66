"""Customers list, view and download their financial PDFs; nobody else's."""

import pytest


@pytest.fixture
def rendered(handle, invoice_event, payment_event):
    """Customer 7: two invoices and a receipt; customer 8: one invoice."""
    handle(invoice_event(number="2026-1", issued_on="2026-01-01"))
    handle(invoice_event(number="2026-2", issued_on="2026-02-01"))
    handle(payment_event(number="PAY-1", received_on="2026-02-10"))
    handle(invoice_event(number="2026-3", customer_id=8, issued_on="2026-02-01"))


def test_the_customer_lists_their_documents_newest_first_and_pages_through(client, as_customer, rendered):
    def listed(**query):
        response = client.get("/v1/customers/7/financial-documents", query_string=query, headers=as_customer(7))
        assert response.status_code == 200
        return response.get_json()

    assert [(d["kind"], d["number"]) for d in listed()["items"]] == [
        ("receipt", "PAY-1"),
        ("invoice", "2026-2"),
        ("invoice", "2026-1"),
    ]
    assert [d["number"] for d in listed(kind="invoice")["items"]] == ["2026-2", "2026-1"]
    first = listed(limit=2)
    assert [d["number"] for d in listed(limit=2, cursor=first["next_cursor"])["items"]] == ["2026-1"]
    item = listed(kind="receipt")["items"][0]
    assert {k: item[k] for k in ("total", "amount_due", "currency", "issued_on", "due_on", "version", "current")} == {
        "total": "50.00",
        "amount_due": None,
        "currency": "EUR",
        "issued_on": "2026-02-10",
        "due_on": None,
        "version": 1,
        "current": True,
    }


def test_view_inline_and_download_by_number(client, as_customer, rendered, pdf_text):
    base = "/v1/customers/7/financial-documents/invoice/2026-2"

    meta = client.get(base, headers=as_customer(7)).get_json()
    view = client.get(f"{base}/file?disposition=inline", headers=as_customer(7))
    download = client.get(f"{base}/file", headers=as_customer(7))
    by_id = client.get(f"/v1/customers/7/financial-documents/{meta['id']}/file", headers=as_customer(7))

    assert view.status_code == download.status_code == by_id.status_code == 200
    assert view.mimetype == "application/pdf" and view.data.startswith(b"%PDF")
    assert view.headers["Content-Disposition"] == "inline; filename=invoice-2026-2.pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename=invoice-2026-2.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert view.data == download.data == by_id.data
    assert "2026-2" in pdf_text(download.data)
    assert client.get(f"/v1/customers/7/financial-documents/{meta['id']}", headers=as_customer(7)).get_json() == meta


def test_another_customers_token_gets_not_found_for_every_pdf(client, as_customer, rendered, db):
    ids = {
        d["number"]: d["id"]
        for d in client.get("/v1/customers/7/financial-documents?versions=all", headers=as_customer(7)).get_json()[
            "items"
        ]
    }
    urls = ["/v1/customers/7/financial-documents", "/v1/customers/7/financial-documents?kind=invoice"]
    for number, document_id in ids.items():
        kind = "receipt" if number.startswith("PAY") else "invoice"
        urls += [
            f"/v1/customers/7/financial-documents/{document_id}",
            f"/v1/customers/7/financial-documents/{document_id}/file",
            f"/v1/customers/7/financial-documents/{kind}/{number}",
            f"/v1/customers/7/financial-documents/{kind}/{number}/file?disposition=inline",
            # customer 8's own path, customer 7's documents
            f"/v1/customers/8/financial-documents/{document_id}",
            f"/v1/customers/8/financial-documents/{document_id}/file",
            f"/v1/customers/8/financial-documents/{kind}/{number}",
            f"/v1/customers/8/financial-documents/{kind}/{number}/file",
        ]  # fmt: skip

    for url in urls:
        response = client.get(url, headers=as_customer(8))
        assert response.status_code == 404, url
        assert not response.data.startswith(b"%PDF")
    # Customer 8 sees their own only.
    own = client.get("/v1/customers/8/financial-documents", headers=as_customer(8)).get_json()["items"]
    assert [d["number"] for d in own] == ["2026-3"]


def test_operators_read_any_customers_pdfs(client, operator, rendered):
    listed = client.get("/v1/customers/7/financial-documents", headers=operator).get_json()["items"]
    assert len(listed) == 3
    assert client.get("/v1/customers/7/financial-documents/invoice/2026-1/file", headers=operator).status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/v1/customers/7/financial-documents?kind=statement", 422),
        ("/v1/customers/7/financial-documents?limit=0", 422),
        ("/v1/customers/7/financial-documents?limit=201", 422),
        ("/v1/customers/7/financial-documents?cursor=bm90LWEtY3Vyc29y", 422),
        ("/v1/customers/7/financial-documents?versions=some", 422),
        ("/v1/customers/7/financial-documents?unknown=1", 422),
        ("/v1/customers/7/financial-documents/invoice/2026-1?version=0", 422),
        ("/v1/customers/7/financial-documents/invoice/2026-1/file?disposition=evil", 422),
        ("/v1/customers/7/financial-documents/statement/2026-1", 404),
        ("/v1/customers/7/financial-documents/invoice/2026-1?version=9", 404),
        ("/v1/customers/7/financial-documents/invoice/NOPE", 404),
        ("/v1/customers/7/financial-documents/999999", 404),
    ],
)
def test_bad_requests_are_clear_client_errors(client, as_customer, rendered, url, status):
    response = client.get(url, headers=as_customer(7))

    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"


def test_a_cursor_of_another_listing_is_refused(client, as_customer, rendered):
    first = client.get("/v1/customers/7/financial-documents?limit=1", headers=as_customer(7)).get_json()

    response = client.get(
        "/v1/customers/7/financial-documents",
        query_string={"limit": 1, "kind": "invoice", "cursor": first["next_cursor"]},
        headers=as_customer(7),
    )

    assert response.status_code == 422
