"""Documents and the financial PDFs through the portal: the customer's visible files, streamed."""

UNAVAILABLE = {"status": "unavailable"}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_the_documents_page_lists_visible_documents_only(jane, customer, seed):
    seed.document(customer["id"], "Agreement", PDF)
    seed.document(customer["id"], "Contract 2026", PDF, kind="contract")
    seed.document(customer["id"], "Internal survey", PDF, visible=False)

    every = jane.get("/api/v1/documents").get_json()
    contracts = jane.get("/api/v1/documents?kind=contract").get_json()

    assert sorted(d["title"] for d in every["documents"]["items"]) == ["Agreement", "Contract 2026"]
    assert [d["title"] for d in contracts["documents"]["items"]] == ["Contract 2026"]
    assert not {"customer_id", "category_id", "visible"} & set(every["documents"]["items"][0])


def test_a_document_downloads_and_shows_inline(jane, customer, seed):
    document = seed.document(customer["id"], "Agreement", PDF)

    download = jane.get(f"/api/v1/documents/{document['id']}/file")
    inline = jane.get(f"/api/v1/documents/{document['id']}/file?disposition=inline")

    assert download.status_code == inline.status_code == 200
    assert download.data == inline.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert inline.headers["Content-Disposition"].startswith("inline")
    assert download.headers["Cache-Control"] == "private, no-store"


def test_hidden_and_other_customers_documents_are_not_found(jane, customer, seed, problem):
    hidden = seed.document(customer["id"], "Internal", PDF, visible=False)
    other = seed.customer("john.roe")
    theirs = seed.document(other["id"], "John's", PDF)

    problem(jane.get(f"/api/v1/documents/{hidden['id']}/file"), 404)
    problem(jane.get(f"/api/v1/documents/{theirs['id']}/file"), 404)


def test_the_invoice_pdf_comes_from_documents(jane, customer, seed, problem):
    seed.invoice_pdf(customer["id"], customer["partner_id"], "INV-2026-0001")

    listed = jane.get("/api/v1/finance/documents?kind=invoice").get_json()
    pdf = jane.get("/api/v1/finance/documents/invoice/INV-2026-0001/pdf?disposition=inline")

    [item] = listed["documents"]["items"]
    assert (item["kind"], item["number"]) == ("invoice", "INV-2026-0001")
    assert not {"customer_id", "partner_id", "sha256"} & set(item)
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"
    problem(jane.get("/api/v1/finance/documents/invoice/INV-9999/pdf"), 404)


def test_documents_down(jane, customer, upstreams, problem):
    upstreams["documents"].proxy.down()

    assert jane.get("/api/v1/documents").get_json() == {"documents": UNAVAILABLE}
    assert jane.get("/api/v1/finance/documents").get_json() == {"documents": UNAVAILABLE}
    problem(jane.get("/api/v1/documents/1/file"), 503)
