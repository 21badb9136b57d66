"""The Documents page: Documents | Contracts tabs, view and download, accepting a contract, uploading
where the portal config allows it; another customer's document refused."""

import io
import re

PDF = b"%PDF-1.4 a contract"


def test_tabs_view_download_and_accepting_a_contract(jane, customer, seed):
    guide = seed.document(customer["id"], "Welcome guide", PDF)
    contract = seed.document(customer["id"], "Service agreement", PDF, kind="contract", requires_acceptance=True)

    documents = jane.text("/documents")
    contracts = jane.text("/documents?kind=contract")
    view = jane.get(f"/documents/{guide['id']}/file?disposition=inline")
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', contracts).group(1)
    accepted = jane.post(
        f"/documents/{contract['id']}/accept", {"accepted_name": "Jane Doe", "agree": "yes", "sha256": sha}
    )
    after = jane.text("/documents?kind=contract")

    assert "Welcome guide" in documents and "Service agreement" not in documents
    assert "Service agreement" in contracts and "Awaiting your acceptance" in contracts
    assert view.data == PDF and view.headers["Content-Disposition"].startswith("inline")
    assert accepted.headers["Location"] == "/documents?kind=contract&notice=contract_accepted"
    assert "Accepted" in after and "Jane Doe" in after and "Accept the contract" not in after


def test_accepting_needs_the_name_and_the_tick(jane, customer, seed):
    contract = seed.document(customer["id"], "Service agreement", PDF, kind="contract", requires_acceptance=True)
    jane.get("/documents?kind=contract")

    refused = jane.post(f"/documents/{contract['id']}/accept", {"accepted_name": "Jane Doe", "sha256": "0" * 64})

    assert refused.status_code == 422 and "tick the box" in refused.get_data(as_text=True)


def test_uploading_only_where_the_config_allows(jane, customer, configure):
    jane.get("/documents")
    assert "Upload a document" not in jane.text("/documents")
    refused = jane.post("/documents/upload", {"file": (io.BytesIO(PDF), "id.pdf")}, content_type="multipart/form-data")
    configure(customer["partner_id"], {"documents": {"allow_customer_upload": True}})

    uploaded = jane.post(
        "/documents/upload", {"title": "My ID", "file": (io.BytesIO(PDF), "id.pdf")}, content_type="multipart/form-data"
    )
    page = jane.text("/documents")

    assert refused.status_code == 422
    assert uploaded.headers["Location"] == "/documents?notice=document_uploaded"
    assert "My ID" in page and "Your upload" in page


def test_another_customers_document_is_refused(jane, seed):
    other = seed.customer("someone.else", status="active", emails=["else@example.com"])
    theirs = seed.document(other["id"], "Their contract", PDF)

    assert jane.get(f"/documents/{theirs['id']}/file").status_code == 404
