"""Where attachment bytes live: a small interface, and the filesystem under `var/` by default.

Files are stored under generated keys (random hex), never under a name from the user, so no
user input ever reaches a path. Writes made while a request is handled are staged: should
the request fail after writing (a refused file later in the batch, a database error), the
files it wrote are removed again.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

KEY = re.compile(r"^[0-9a-f]{32}$")


def new_key() -> str:
    return secrets.token_hex(16)


class AttachmentStorage(Protocol):
    def write(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


class FileSystemStorage:
    """Files under `root`, fanned out by the key's first two characters."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not KEY.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key[:2] / key

    def write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class StagedWrites:
    """Writes through `storage`, remembering the keys so that they can be undone."""

    def __init__(self, storage: AttachmentStorage):
        self.storage = storage
        self.keys: list[str] = []

    def write(self, data: bytes) -> str:
        key = new_key()
        self.keys.append(key)
        self.storage.write(key, data)
        return key

    def undo(self) -> None:
        for key in self.keys:
            self.storage.delete(key)
        self.keys.clear()


@contextmanager
def staged(storage: AttachmentStorage) -> Iterator[StagedWrites]:
    """Files written in the block are removed if the block fails (wrap the transaction in it)."""
    writes = StagedWrites(storage)
    try:
        yield writes
    except BaseException:
        writes.undo()
        raise
