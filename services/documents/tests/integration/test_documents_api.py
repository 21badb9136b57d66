"""Operators add, change, hide and delete documents; customers see only their own visible ones."""

import io

from sqlalchemy import select

from documents.models import Document
from documents.storage import sha256_of

PUBLISHED = "documents.document.published"


def categories(client, operator) -> dict[str, int]:
    return {c["name"]: c["id"] for c in client.get("/admin/v1/document-categories", headers=operator).get_json()}


def add_category(client, operator, name="Agreement") -> int:
    return client.post("/admin/v1/document-categories", json={"name": name}, headers=operator).get_json()["id"]


def test_operator_uploads_a_contract_stored_once_by_content_and_published(
    client, operator, replicated, upload, files, stored_blobs, outbox_events
):
    replicated(customer_id=7)
    agreement = add_category(client, operator)

    response = upload(
        7,
        files["pdf"],
        "Service agreement.pdf",
        title="Service agreement",
        description="Terms for 2026",
        kind="contract",
        category_id=agreement,
        requires_acceptance=True,
    )

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    digest = sha256_of(files["pdf"])
    assert {k: body[k] for k in ("customer_id", "kind", "category", "title", "description", "filename")} == {
        "customer_id": 7,
        "kind": "contract",
        "category": "Agreement",
        "title": "Service agreement",
        "description": "Terms for 2026",
        "filename": "Service agreement.pdf",
    }
    assert (body["content_type"], body["size"], body["sha256"], body["visible"]) == (
        "application/pdf",
        len(files["pdf"]),
        digest,
        True,
    )
    assert (body["requires_acceptance"], body["acceptance"], body["created_by"]) == (True, None, "admin")
    assert stored_blobs() == [digest]
    [event] = outbox_events(PUBLISHED)
    assert event["data"] | {"published_at": None} == {
        "document_id": body["id"],
        "customer_id": 7,
        "kind": "contract",
        "category": "Agreement",
        "title": "Service agreement",
        "filename": "Service agreement.pdf",
        "content_type": "application/pdf",
        "size": len(files["pdf"]),
        "sha256": digest,
        "requires_acceptance": True,
        "created_by": "admin",
        "published_at": None,
    }

    # The same bytes again (another customer, another name): one blob.
    replicated(customer_id=8)
    assert upload(8, files["pdf"], "copy.pdf").status_code == 201
    assert stored_blobs() == [digest]


def test_customer_lists_documents_and_contracts_apart_newest_first(client, replicated, upload, files, as_customer):
    replicated(customer_id=7)
    first = upload(7, files["pdf"], "a.pdf", title="Certificate").get_json()["id"]
    contract = upload(7, files["png"], "b.png", title="Agreement", kind="contract").get_json()["id"]
    second = upload(7, files["docx"], "c.docx", title="Letter").get_json()["id"]

    def listed(kind=None, **params):
        query = {"kind": kind, **params} if kind else params
        response = client.get("/v1/customers/7/documents", query_string=query, headers=as_customer(7))
        assert response.status_code == 200
        return response.get_json()

    assert [d["id"] for d in listed("document")["items"]] == [second, first]
    assert [d["id"] for d in listed("contract")["items"]] == [contract]
    page = listed(limit=2)
    assert [d["id"] for d in page["items"]] == [second, contract]
    assert [d["id"] for d in listed(limit=2, cursor=page["next_cursor"])["items"]] == [first]
    assert "visible" not in page["items"][0] and "created_by" not in page["items"][0]
    assert page["items"][0]["own_upload"] is False


def test_download_and_inline_view_carry_safe_headers(client, replicated, upload, files, as_customer):
    replicated(customer_id=7)
    pdf = upload(7, files["pdf"], "Vertrag Nr. 5 \u2013 München.pdf").get_json()
    docx = upload(7, files["docx"], "terms.docx").get_json()
    url = f"/v1/customers/7/documents/{pdf['id']}/file"

    download = client.get(url, headers=as_customer(7))
    inline = client.get(url, query_string={"disposition": "inline"}, headers=as_customer(7))
    docx_inline = client.get(
        f"/v1/customers/7/documents/{docx['id']}/file", query_string={"disposition": "inline"}, headers=as_customer(7)
    )

    assert download.status_code == 200
    assert download.data == files["pdf"]
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''Vertrag%20Nr.%205%20%E2%80%93%20M%C3%BCnchen.pdf" in download.headers["Content-Disposition"]
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "private, no-cache"
    assert download.headers["ETag"] == f'"{pdf["sha256"]}"'
    assert inline.headers["Content-Disposition"].startswith("inline;")
    # What a browser cannot safely show is always downloaded.
    assert docx_inline.headers["Content-Disposition"].startswith("attachment;")
    # Unchanged: the ETag (the hash) answers 304.
    again = client.get(url, headers={**as_customer(7), "If-None-Match": download.headers["ETag"]})
    assert again.status_code == 304


def test_hidden_documents_never_reach_the_customer(client, operator, replicated, upload, files, as_customer):
    replicated(customer_id=7)
    hidden = upload(7, files["pdf"], "draft.pdf", visible=False).get_json()
    shown = upload(7, files["png"], "shown.png").get_json()
    urls = [
        f"/v1/customers/7/documents/{hidden['id']}",
        f"/v1/customers/7/documents/{hidden['id']}/file",
        f"/v1/customers/7/documents/{hidden['id']}/file?disposition=inline",
    ]

    listed = client.get("/v1/customers/7/documents", headers=as_customer(7)).get_json()
    assert [d["id"] for d in listed["items"]] == [shown["id"]]
    for url in urls:
        response = client.get(url, headers=as_customer(7))
        assert response.status_code == 404, url
        assert files["pdf"] not in response.data
    # Hiding a visible one takes it away too; the operator still sees both.
    assert (
        client.patch(f"/admin/v1/documents/{shown['id']}", json={"visible": False}, headers=operator).status_code == 200
    )
    assert client.get("/v1/customers/7/documents", headers=as_customer(7)).get_json()["items"] == []
    assert client.get(f"/v1/customers/7/documents/{shown['id']}/file", headers=as_customer(7)).status_code == 404
    admin = client.get("/admin/v1/customers/7/documents", headers=operator).get_json()
    assert sorted(d["id"] for d in admin["items"]) == sorted([hidden["id"], shown["id"]])
    assert client.get(f"/admin/v1/documents/{hidden['id']}/file", headers=operator).data == files["pdf"]
    only_hidden = client.get("/admin/v1/customers/7/documents?visible=false", headers=operator).get_json()
    assert len(only_hidden["items"]) == 2


def test_another_customers_token_gets_not_found_for_every_document_endpoint(
    client, replicated, upload, files, as_customer
):
    replicated(customer_id=7)
    replicated(customer_id=8, login="other")
    document = upload(7, files["pdf"], "mine.pdf", kind="contract", requires_acceptance=True).get_json()
    requests = [
        ("get", "/v1/customers/7/documents", {}),
        ("get", f"/v1/customers/7/documents/{document['id']}", {}),
        ("get", f"/v1/customers/7/documents/{document['id']}/file", {}),
        ("get", f"/v1/customers/7/documents/{document['id']}/file?disposition=inline", {}),
        ("post", f"/v1/customers/7/documents/{document['id']}/acceptance", {"json": {"accepted_name": "X", "sha256": document["sha256"]}}),
        ("post", "/v1/customers/7/documents", {"data": {"file": (io.BytesIO(files["pdf"]), "x.pdf")}}),
        # Customer 8's own path with customer 7's document id.
        ("get", f"/v1/customers/8/documents/{document['id']}", {}),
        ("get", f"/v1/customers/8/documents/{document['id']}/file", {}),
        ("post", f"/v1/customers/8/documents/{document['id']}/acceptance", {"json": {"accepted_name": "X", "sha256": document["sha256"]}}),
    ]  # fmt: skip

    for method, url, kwargs in requests:
        response = getattr(client, method)(url, headers=as_customer(8), **kwargs)
        assert response.status_code == 404, (method, url, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert b"mine.pdf" not in response.data and files["pdf"] not in response.data


def test_customers_cannot_use_the_operator_api(client, replicated, upload, files, as_customer):
    replicated(customer_id=7)
    document = upload(7, files["pdf"], "a.pdf").get_json()

    for method, url in [
        ("get", "/admin/v1/customers/7/documents"),
        ("get", f"/admin/v1/documents/{document['id']}"),
        ("get", f"/admin/v1/documents/{document['id']}/file"),
        ("patch", f"/admin/v1/documents/{document['id']}"),
        ("delete", f"/admin/v1/documents/{document['id']}"),
        ("get", "/admin/v1/document-categories"),
    ]:
        assert getattr(client, method)(url, headers=as_customer(7), json={}).status_code == 403, url


def test_editing_metadata_and_showing_a_hidden_document_publishes_it(
    client, operator, replicated, upload, files, outbox_events, as_customer
):
    replicated(customer_id=7)
    certificate = add_category(client, operator, "Certificate")
    document = upload(7, files["pdf"], "draft.pdf", visible=False).get_json()
    assert outbox_events(PUBLISHED) == []

    changed = client.patch(
        f"/admin/v1/documents/{document['id']}",
        json={"title": "Certificate of installation", "category_id": certificate, "description": "Signed"},
        headers=operator,
    )
    assert changed.status_code == 200
    assert (changed.get_json()["title"], changed.get_json()["category"]) == (
        "Certificate of installation",
        "Certificate",
    )
    assert outbox_events(PUBLISHED) == []

    shown = client.patch(f"/admin/v1/documents/{document['id']}", json={"visible": True}, headers=operator)
    assert shown.get_json()["visible"] is True
    [event] = outbox_events(PUBLISHED)
    assert (event["data"]["document_id"], event["data"]["title"]) == (document["id"], "Certificate of installation")
    # Already visible: saying so again publishes nothing more.
    client.patch(f"/admin/v1/documents/{document['id']}", json={"visible": True}, headers=operator)
    assert len(outbox_events(PUBLISHED)) == 1
    assert client.get(f"/v1/customers/7/documents/{document['id']}", headers=as_customer(7)).status_code == 200


def test_bad_changes_are_refused_and_change_nothing(client, operator, replicated, upload, files, db):
    replicated(customer_id=7)
    document = upload(7, files["pdf"], "a.pdf", title="Original").get_json()

    for changes in [
        {"title": ""},
        {"title": "x" * 201},
        {"visible": "yes"},
        {"kind": "invoice"},
        {"category_id": 999},
        {"category_id": "1"},
        {"requires_acceptance": True},  # a plain document cannot ask for acceptance
        {"unknown": 1},
        {"title": "New", "category_id": 999},  # all or nothing
    ]:
        response = client.patch(f"/admin/v1/documents/{document['id']}", json=changes, headers=operator)
        assert response.status_code in (400, 422), changes
        assert response.mimetype == "application/problem+json"

    with db.reading() as session:
        row = session.scalars(select(Document)).one()
    assert (row.title, row.kind, row.visible, row.category_id, row.requires_acceptance) == (
        "Original",
        "document",
        True,
        None,
        False,
    )
    assert client.patch("/admin/v1/documents/999", json={"title": "x"}, headers=operator).status_code == 404


def test_deleting_removes_the_row_and_the_file_once_nothing_refers_to_it(
    client, operator, replicated, upload, files, stored_blobs, count_rows
):
    replicated(customer_id=7)
    first = upload(7, files["pdf"], "a.pdf").get_json()
    second = upload(7, files["pdf"], "b.pdf").get_json()
    other = upload(7, files["png"], "c.png").get_json()

    assert client.delete(f"/admin/v1/documents/{first['id']}", headers=operator).status_code == 204
    assert sorted(stored_blobs()) == sorted([first["sha256"], other["sha256"]])  # still held by the second
    assert client.delete(f"/admin/v1/documents/{second['id']}", headers=operator).status_code == 204
    assert stored_blobs() == [other["sha256"]]
    assert count_rows(Document) == 1
    assert client.delete(f"/admin/v1/documents/{second['id']}", headers=operator).status_code == 404


def test_an_upload_for_an_unknown_customer_is_not_found_and_stores_nothing(upload, files, nothing_stored):
    response = upload(12345, files["pdf"], "a.pdf")

    assert response.status_code == 404
    assert nothing_stored()
