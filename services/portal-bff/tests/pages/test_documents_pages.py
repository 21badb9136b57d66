"""Documents and the financial PDFs through the portal: the customer's visible files, streamed; accepting
a contract, and uploading documents of their own where the portal config allows it."""

import io

UNAVAILABLE = {"status": "unavailable"}
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
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


def contract(seed, customer: dict, title: str = "Service agreement") -> dict:
    return seed.document(customer["id"], title, PDF, kind="contract", requires_acceptance=True)


def held_by_documents(seed, document: dict) -> dict:
    return seed.admin("documents", "GET", f"/admin/v1/documents/{document['id']}").json()


def test_accepting_a_contract_records_the_name_and_the_browsers_address_and_agent(jane, customer, seed):
    agreement = contract(seed, customer)
    [shown] = jane.get("/api/v1/documents?kind=contract").get_json()["documents"]["items"]

    accepted = jane.post(
        f"/api/v1/documents/{agreement['id']}/acceptance",
        json={"accepted_name": "Jane Doe", "sha256": shown["sha256"]},
        headers={"User-Agent": AGENT},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )

    assert accepted.status_code == 201, accepted.get_json()
    assert (accepted.get_json()["document_id"], accepted.get_json()["accepted_name"]) == (agreement["id"], "Jane Doe")
    record = held_by_documents(seed, agreement)["acceptance"]
    assert (record["accepted_name"], record["ip_address"], record["user_agent"]) == ("Jane Doe", "203.0.113.9", AGENT)
    [after] = jane.get("/api/v1/documents?kind=contract").get_json()["documents"]["items"]
    assert after["acceptance"]["accepted_name"] == "Jane Doe"


def test_an_acceptance_without_a_name_or_of_another_file_is_refused(jane, customer, seed, upstreams, problem):
    agreement = contract(seed, customer)
    path = f"/api/v1/documents/{agreement['id']}/acceptance"
    asked = upstreams["documents"].proxy.connections

    assert "accepted_name" in problem(jane.post(path, json={"accepted_name": " ", "sha256": "a" * 64}), 422)["errors"]
    assert "sha256" in problem(jane.post(path, json={"accepted_name": "Jane", "sha256": "nope"}), 422)["errors"]
    assert upstreams["documents"].proxy.connections == asked
    problem(jane.post(path, json={"accepted_name": "Jane Doe", "sha256": "0" * 64}), 409)  # not the file shown
    assert held_by_documents(seed, agreement)["acceptance"] is None


def test_another_customers_contract_cannot_be_accepted(jane, customer, seed, problem):
    theirs = contract(seed, seed.customer("john.roe"), "John's agreement")

    body = {"accepted_name": "Jane Doe", "sha256": theirs["sha256"]}
    problem(jane.post(f"/api/v1/documents/{theirs['id']}/acceptance", json=body), 404)

    assert held_by_documents(seed, theirs)["acceptance"] is None


def test_uploading_a_document_of_ones_own_where_the_config_allows_it(jane, customer, configure):
    configure(customer["partner_id"], {"documents": {"allow_customer_upload": True}})

    uploaded = jane.post(
        "/api/v1/documents",
        data={"title": "My ID", "description": "Front and back", "file": (io.BytesIO(PDF), "id.pdf")},
    )
    page = jane.get("/api/v1/documents").get_json()

    assert uploaded.status_code == 201, uploaded.get_json()
    assert (uploaded.get_json()["title"], uploaded.get_json()["own_upload"]) == ("My ID", True)
    [listed] = page["documents"]["items"]
    assert (listed["id"], listed["filename"], listed["description"]) == (
        uploaded.get_json()["id"],
        "id.pdf",
        "Front and back",
    )
    assert jane.get(f"/api/v1/documents/{listed['id']}/file").data == PDF


def test_an_upload_not_offered_or_without_a_file_is_refused_and_stores_nothing(
    jane, customer, configure, upstreams, problem
):
    refused = jane.post("/api/v1/documents", data={"title": "My ID", "file": (io.BytesIO(PDF), "id.pdf")})
    configure(customer["partner_id"], {"documents": {"allow_customer_upload": True}})
    no_file = jane.post("/api/v1/documents", data={"title": "My ID"})
    wrong_field = jane.post("/api/v1/documents", data={"upload": (io.BytesIO(PDF), "id.pdf")})

    assert "file" in problem(refused, 422)["errors"]
    assert "file" in problem(no_file, 422)["errors"]
    assert "upload" in problem(wrong_field, 422)["errors"]
    assert jane.get("/api/v1/documents").get_json()["documents"]["items"] == []


def test_a_hidden_documents_module_accepts_and_stores_nothing(jane, customer, seed, configure, problem):
    configure(customer["partner_id"], {"documents": {"allow_customer_upload": True}, "menu": {"documents": False}})
    agreement = contract(seed, customer)

    body = {"accepted_name": "Jane Doe", "sha256": agreement["sha256"]}
    problem(jane.post(f"/api/v1/documents/{agreement['id']}/acceptance", json=body), 404)
    problem(jane.post("/api/v1/documents", data={"file": (io.BytesIO(PDF), "id.pdf")}), 404)

    assert held_by_documents(seed, agreement)["acceptance"] is None


def test_a_read_only_impersonation_accepts_and_uploads_nothing(customer, seed, configure, impersonating, problem):
    configure(customer["partner_id"], {"documents": {"allow_customer_upload": True}})
    agreement = contract(seed, customer)
    operator = impersonating(customer)

    body = {"accepted_name": "Jane Doe", "sha256": agreement["sha256"]}
    for refused in (
        operator.post(f"/api/v1/documents/{agreement['id']}/acceptance", json=body),
        operator.post("/api/v1/documents", data={"file": (io.BytesIO(PDF), "id.pdf")}),
    ):
        assert problem(refused, 403)["title"] == "Read-only session"
    assert held_by_documents(seed, agreement)["acceptance"] is None
    assert [d["id"] for d in operator.get("/api/v1/documents").get_json()["documents"]["items"]] == [agreement["id"]]
