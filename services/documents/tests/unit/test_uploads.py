"""Upload rules: a file is taken only if non-empty, small enough, of an allowed type by content, plainly named."""

import io
import zipfile

import pytest
from PIL import Image

from documents.errors import UploadRefused, UploadTooLarge
from documents.storage import sha256_of
from documents.uploads import checked_filename, inspect_upload

LIMIT = 1024 * 1024
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_taken_with_its_type_found_from_content_and_its_hash():
    upload = inspect_upload(PDF_BYTES, "Contract 2026.PDF", max_bytes=LIMIT)

    assert (upload.content_type, upload.filename, upload.size) == (
        "application/pdf",
        "Contract 2026.PDF",
        len(PDF_BYTES),
    )
    assert upload.sha256 == sha256_of(PDF_BYTES)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (png_bytes(), "scan.png", "image/png"),
        (docx_bytes(), "terms.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (PDF_BYTES, "Ünïcödé — Vertrag.pdf", "application/pdf"),
    ],
)
def test_allowed_types_are_recognised_by_content(data, name, content_type):
    assert inspect_upload(data, name, max_bytes=LIMIT).content_type == content_type


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="empty"):
        inspect_upload(b"", "empty.pdf", max_bytes=LIMIT)


def test_a_file_over_the_limit_is_refused_as_too_large():
    with pytest.raises(UploadTooLarge):
        inspect_upload(PDF_BYTES + b"x" * 100, "big.pdf", max_bytes=len(PDF_BYTES))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "invoice.pdf"),  # HTML dressed as a PDF
        (b"MZ\x90\x00" + b"\x00" * 200, "setup.pdf"),  # a Windows program
        (b"#!/bin/sh\nrm -rf /\n", "notes.txt"),  # no type at all
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png"),
    ],
)
def test_content_not_of_an_allowed_type_is_refused_whatever_the_name(data, name):
    with pytest.raises(UploadRefused, match="not of an allowed type"):
        inspect_upload(data, name, max_bytes=LIMIT)


@pytest.mark.parametrize("name", ["scan.pdf", "scan", "scan.png.exe"])
def test_a_name_that_disguises_the_content_is_refused(name):
    with pytest.raises(UploadRefused, match="does not match"):
        inspect_upload(png_bytes(), name, max_bytes=LIMIT)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "/etc/passwd.pdf",
        "sub/dir.pdf",
        "..",
        ".hidden.pdf",
        "evil\x00.pdf",
        "line\nbreak.pdf",
        "rtl\u202egnp.pdf",
        " padded.pdf ",
        "",
        None,
        "a" * 252 + ".pdf",
    ],
)
def test_path_like_or_odd_names_are_refused_not_cleaned(name):
    with pytest.raises(UploadRefused):
        checked_filename(name)
