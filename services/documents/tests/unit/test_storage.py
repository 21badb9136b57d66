"""The blob store: content-addressed, the same bytes stored once, names that are hashes only."""

import pytest

from documents.storage import BlobMissing, FilesystemStorage, sha256_of


def test_the_same_bytes_are_stored_once_under_their_hash(tmp_path):
    storage = FilesystemStorage(tmp_path)
    data = b"%PDF-1.4 same bytes"
    digest = sha256_of(data)

    storage.put(digest, data)
    storage.put(digest, data)

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [f"{digest[:2]}/{digest[2:4]}/{digest}"]
    assert storage.read(digest) == data
    assert list(storage) == [digest]


def test_bytes_that_do_not_have_the_hash_are_refused(tmp_path):
    storage = FilesystemStorage(tmp_path)

    with pytest.raises(ValueError, match="hash"):
        storage.put(sha256_of(b"one"), b"other")
    assert not any(tmp_path.rglob("*"))


@pytest.mark.parametrize("name", ["../../etc/passwd", "A" * 64, "0" * 63, ""])
def test_only_a_hash_can_name_a_blob(tmp_path, name):
    with pytest.raises(ValueError):
        FilesystemStorage(tmp_path).path_of(name)


def test_a_missing_or_removed_blob_is_reported(tmp_path):
    storage = FilesystemStorage(tmp_path)
    digest = sha256_of(b"x")
    storage.put(digest, b"x")
    storage.remove(digest)
    storage.remove(digest)

    assert not storage.exists(digest)
    with pytest.raises(BlobMissing):
        storage.open(digest)
