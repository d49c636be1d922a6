"""The copies of ingested files under `<store>/sources/` (the web page links to them, eval reads them).

A copy is written to `<store>/incoming/` before its document is committed to the index and moved
into `sources/` after: a crash between the two is finished by `recover`, which also drops copies
of documents that never got committed, so `sources/` holds exactly the committed documents' files.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from ingest.crash import crash_point


class SourceFolder:
    """`sources/` and its staging folder `incoming/` in one store."""

    def __init__(self, store_dir: Path) -> None:
        self.folder = store_dir / "sources"
        self.incoming = store_dir / "incoming"

    def stage(self, name: str, data: bytes) -> None:
        """Write the file's bytes to the staging folder, flushed to disk, before the index commit."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        with (self.incoming / name).open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        crash_point("source-staged")

    def place(self, name: str) -> None:
        """Move a staged copy into `sources/` (atomic: readers see the old copy or the new one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        os.replace(self.incoming / name, self.folder / name)
        crash_point("source-placed")

    def remove(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)

    def recover(self, committed: Mapping[str, str]) -> int:
        """Make `sources/` match the committed documents (file name → sha256); returns files fixed.

        A staged copy of a committed document is moved in; any other staged copy, and any copy in
        `sources/` no committed document names, is removed.
        """
        fixed = 0
        for staged in sorted(self.incoming.glob("*")) if self.incoming.is_dir() else []:
            if committed.get(staged.name) == _sha256(staged):
                self.place(staged.name)
            else:
                staged.unlink()
            fixed += 1
        for kept in sorted(self.folder.glob("*")) if self.folder.is_dir() else []:
            if kept.name not in committed:
                kept.unlink()
                fixed += 1
        return fixed


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
