"""Where files live: content-addressed blobs named by their SHA-256, behind a small interface.

The same bytes are stored once however many documents hold them. Names are the hash
alone (checked to be 64 hex digits), so nothing a user sends ever becomes part of a path.
Which blobs are still referenced is the database's business (`blobs.py`), not the store's.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import BinaryIO, Protocol

from portico.settings import Settings, var_dir

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobMissing(Exception):
    """A blob the database refers to is not in the store."""


class BlobStorage(Protocol):
    def put(self, sha256: str, data: bytes) -> None:
        """Store `data` under its hash; storing the same bytes again does nothing."""

    def open(self, sha256: str) -> BinaryIO:
        """The blob for reading (raises BlobMissing)."""

    def read(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def remove(self, sha256: str) -> None:
        """Forget the blob; only ever called once no row refers to it (see blobs.py)."""


def _checked(sha256: str) -> str:
    if not SHA256.match(sha256):
        raise ValueError("not a SHA-256 in hex")
    return sha256


class FilesystemStorage:
    """Blobs as files `<root>/ab/cd/<sha256>`, written to a temporary name and renamed into place."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        digest = _checked(sha256)
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, sha256: str, data: bytes) -> None:
        if sha256_of(data) != sha256:
            raise ValueError("the data does not have this hash")
        path = self.path_of(sha256)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.parent / f".{sha256}.{uuid.uuid4().hex}.partial"
        try:
            with open(partial, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            # Atomic: a reader sees the whole blob or none; two writers of the same bytes both win.
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path_of(sha256), "rb")  # the caller closes it (it is streamed)
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def read(self, sha256: str) -> bytes:
        with self.open(sha256) as file:
            return file.read()

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def remove(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)

    def __iter__(self):
        """Every stored blob's hash (for sweeping orphans)."""
        for path in self.root.glob("*/*/*"):
            if SHA256.match(path.name):
                yield path.name


def storage_for(settings: Settings) -> FilesystemStorage:
    """The service's blob store: `DOCUMENTS_BLOB_DIR`, by default `<var>/documents/blobs`."""
    return FilesystemStorage(Path(settings.get("blob_dir") or var_dir() / "documents" / "blobs"))
