"""Files are judged by their content; names only have to be plain and agree with it."""

from __future__ import annotations

import io
import zipfile

import pytest

from ticketing.attachments import DOCX, Upload, check_upload, check_uploads, safe_filename, sniff
from ticketing.errors import EmptyFile, FileTooLarge, FileTypeNotAllowed, TooManyFiles, UnsafeFileName

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
GIF = b"GIF89a" + b"\x00" * 20


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "application/pdf"),
        (JPEG, "image/jpeg"),
        (GIF, "image/gif"),
        ("Grüße\tund\r\nmehr\n".encode(), "text/plain"),
        (b"\xef\xbb\xbfwith a BOM", "text/plain"),
        (b"MZ\x90\x00" + b"\x00" * 60, None),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, None),
        (b"text with a \x00 NUL", None),
        (b"\xff\xfe not utf-8", None),
    ],
)
def test_sniffing_by_content(data, expected):
    assert sniff(data) == expected


def test_office_files_are_told_by_their_parts():
    assert sniff(docx()) == DOCX
    assert check_upload(Upload("Letter.DOCX", docx()), max_bytes=10_000).content_type == DOCX


def test_the_extension_must_agree_with_the_content():
    assert check_upload(Upload("photo.jpeg", JPEG), max_bytes=100).content_type == "image/jpeg"
    assert check_upload(Upload("data.csv", b"a,b\n1,2\n"), max_bytes=100).content_type == "text/csv"
    with pytest.raises(FileTypeNotAllowed):
        check_upload(Upload("photo.pdf", JPEG), max_bytes=100)
    with pytest.raises(FileTypeNotAllowed):
        check_upload(Upload("notes", b"plain"), max_bytes=100)


@pytest.mark.parametrize(
    "name", ["../x.txt", "a/b.txt", "a\\b.txt", "C:x.txt", ".env", "~x.txt", "a\u202egnp.txt", "bell\x07.txt", "", " "]
)
def test_path_like_or_strange_names_are_refused(name):
    with pytest.raises(UnsafeFileName):
        safe_filename(name)


def test_plain_names_are_kept_as_given():
    assert safe_filename("Speed test (März) 2.pdf") == "Speed test (März) 2.pdf"


def test_size_emptiness_and_count():
    with pytest.raises(EmptyFile):
        check_upload(Upload("a.txt", b""), max_bytes=10)
    with pytest.raises(FileTooLarge):
        check_upload(Upload("a.txt", b"x" * 11), max_bytes=10)
    assert check_upload(Upload("a.txt", b"x" * 10), max_bytes=10).size == 10
    with pytest.raises(TooManyFiles):
        check_uploads([Upload("a.txt", b"x")] * 3, max_bytes=10, max_count=2)
