"""A blob stays while any row refers to it; orphans left by rolled-back transactions are swept."""

import pytest

from documents.blobs import purge_if_unreferenced, purge_orphans, store_blob
from documents.storage import sha256_of


def test_a_blob_stored_by_a_rolled_back_transaction_is_swept_and_referenced_ones_stay(
    db, storage, replicated, upload, files, stored_blobs
):
    replicated(customer_id=7)
    kept = upload(7, files["pdf"], "kept.pdf").get_json()["sha256"]
    orphan = b"%PDF-1.4 never referenced"
    with pytest.raises(RuntimeError), db.transaction() as session:
        store_blob(session, storage, sha256_of(orphan), orphan)
        raise RuntimeError("the insert failed")
    assert sorted(stored_blobs()) == sorted([kept, sha256_of(orphan)])

    assert purge_orphans(db, storage) == 1

    assert stored_blobs() == [kept]
    assert purge_if_unreferenced(db, storage, kept) is False


def test_the_command_purges_orphans(settings, storage, stored_blobs, monkeypatch, capsys):
    from documents import cli

    orphan = b"%PDF-1.4 orphan"
    storage.put(sha256_of(orphan), orphan)
    monkeypatch.setenv("DOCUMENTS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DOCUMENTS_BLOB_DIR", settings.get("blob_dir"))

    assert cli.main(["purge-orphan-blobs"]) == 0

    assert stored_blobs() == []
    assert "removed 1 unreferenced blob(s)" in capsys.readouterr().out
