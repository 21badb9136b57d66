"""Uploads are checked by content before anything is stored; downloads go only to who may see them."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from ticketing.models import Attachment, Comment, Ticket


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def test_several_files_are_stored_under_generated_names_with_their_hashes(
    open_ticket, upload, samples, db, stored_files
):
    files = [
        upload(samples["pdf"], "speedtest.pdf"),
        upload(samples["png"], "lights.png"),
        upload(samples["csv"], "outages.csv"),
        upload(office_file("word/document.xml"), "letter.docx"),
        upload(office_file("xl/workbook.xml"), "usage.xlsx"),
    ]

    ticket = open_ticket(7, files=files)

    shown = ticket["comments"][0]["attachments"]
    assert [(a["filename"], a["content_type"]) for a in shown] == [
        ("speedtest.pdf", "application/pdf"),
        ("lights.png", "image/png"),
        ("outages.csv", "text/csv"),
        ("letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("usage.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]
    assert shown[0]["sha256"] == hashlib.sha256(samples["pdf"]).hexdigest()
    assert shown[0]["size"] == len(samples["pdf"])
    on_disk = stored_files()
    assert len(on_disk) == 5
    assert not any(name in str(path) for path in on_disk for name in ("speedtest", "lights", "outages"))
    with db.reading() as session:
        assert session.query(Attachment).filter_by(ticket_id=ticket["id"]).count() == 5


def test_download_is_an_attachment_that_is_never_sniffed(client, open_ticket, upload, samples, as_customer, operator):
    ticket = open_ticket(7, files=[upload(samples["pdf"], "Speed test (März).pdf")])
    attachment = ticket["comments"][0]["attachments"][0]

    for url, headers in (
        (f"/v1/customers/7/tickets/{ticket['id']}/attachments/{attachment['id']}", as_customer(7)),
        (f"/admin/v1/tickets/{ticket['id']}/attachments/{attachment['id']}", operator),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert response.data == samples["pdf"]
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "filename*=UTF-8''Speed%20test%20%28M%C3%A4rz%29.pdf" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_reply_carries_files_too(client, open_ticket, upload, samples, as_customer):
    ticket = open_ticket(7)

    response = client.post(
        f"/v1/customers/7/tickets/{ticket['id']}/comments",
        data={
            "body": "Logs attached",
            "attachments": [upload(samples["txt"], "ping.txt"), upload(samples["png"], "a.png")],
        },
        headers=as_customer(7),
        content_type="multipart/form-data",
    )

    assert response.status_code == 201
    assert [a["filename"] for a in response.get_json()["attachments"]] == ["ping.txt", "a.png"]


ABUSE = {
    "too large": (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "big.pdf", 413),  # 10 MiB is the limit
    "empty": (b"", "empty.pdf", 422),
    "executable named pdf": (b"MZ\x90\x00\x03" + b"\x00" * 200, "invoice.pdf", 415),
    "png named pdf": (None, "invoice.pdf", 415),
    "html named png": (b"<html><script>alert(1)</script></html>", "photo.png", 415),
    "zip that is no office file": (None, "report.docx", 415),
    "binary junk as text": (b"\x00\x01\x02\xff\xfe" * 20, "notes.txt", 415),
    "path with slashes": (b"hello", "../../etc/passwd.txt", 422),
    "windows path": (b"hello", "C:\\temp\\notes.txt", 422),
    "dot file": (b"hello", ".htaccess.txt", 422),
    "no name": (b"hello", "", 422),
    "control character": (b"hello", "notes\x1b.txt", 422),
    "right-to-left override": (b"hello", "invoice\u202etxt.exe", 422),
}


@pytest.mark.parametrize("case", ABUSE, ids=list(ABUSE))
def test_abusive_uploads_are_refused_and_nothing_is_stored(
    case, client, as_customer, customers, upload, samples, count_rows, stored_files, outbox_events, settings
):
    data, name, status = ABUSE[case]
    if case == "png named pdf":
        data = samples["png"]
    if case == "zip that is no office file":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("payload.sh", "rm -rf /")
        data = buffer.getvalue()
    good = upload(samples["pdf"], "fine.pdf")  # sent first: refused with the rest

    response = client.post(
        "/v1/customers/7/tickets",
        data={"subject": "Files", "message": "See attached", "attachments": [good, upload(data, name)]},
        headers=as_customer(7) | {"Idempotency-Key": f"abuse-{case.replace(' ', '-')}"},
        content_type="multipart/form-data",
    )

    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]
    assert count_rows(Ticket) == count_rows(Comment) == count_rows(Attachment) == 0
    assert stored_files() == []
    assert outbox_events() == []


@pytest.fixture
def small_limit_settings(settings):
    settings.extra["TICKETING_MAX_ATTACHMENT_BYTES"] = "1000"
    settings.extra["TICKETING_MAX_ATTACHMENTS"] = "2"
    return settings


def test_the_size_and_count_limits_are_settings(
    small_limit_settings, clock, customers, upload, samples, customer_event
):
    from portico.auth import customer_token
    from ticketing.app import create_app

    app = create_app(small_limit_settings, clock=clock)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {customer_token(small_limit_settings.jwt_secret, 7)}"}
    try:

        def send(*files):
            return client.post(
                "/v1/customers/7/tickets",
                data={"subject": "Files", "message": "x", "attachments": list(files)},
                headers=headers,
                content_type="multipart/form-data",
            )

        assert send(upload(b"a" * 1001, "big.txt")).status_code == 413
        assert send(*[upload(samples["txt"], f"n{i}.txt") for i in range(3)]).status_code == 422
        assert send(upload(b"a" * 1000, "ok.txt"), upload(samples["txt"], "ok2.txt")).status_code == 201
    finally:
        app.extensions["portico.db"].dispose()


def test_a_file_field_of_another_name_is_refused(client, as_customer, customers, upload, samples, count_rows):
    response = client.post(
        "/v1/customers/7/tickets",
        data={"subject": "Files", "message": "x", "file": upload(samples["pdf"], "a.pdf")},
        headers=as_customer(7),
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    assert count_rows(Ticket) == 0


def test_a_database_failure_after_writing_files_removes_them(
    app, client, as_customer, customers, upload, samples, stored_files, monkeypatch
):
    from ticketing import events

    def broken_publish(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(events, "publish", broken_publish)
    response = client.post(
        "/v1/customers/7/tickets",
        data={"subject": "Files", "message": "x", "attachments": [upload(samples["pdf"], "a.pdf")]},
        headers=as_customer(7),
        content_type="multipart/form-data",
    )

    assert response.status_code == 500
    assert stored_files() == []
