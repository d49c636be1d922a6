"""Errors a person can act on: what went wrong, in which file, and what to do."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that cannot be ingested. The batch goes on; nothing already stored is touched."""

    def __init__(self, path: Path | str, problem: str, action: str, page: int | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.action = action
        self.page = page
        where = f"{self.path.name}" + (f" 第{page}页" if page else "")
        super().__init__(f"{where}：{problem}。{action}。")
