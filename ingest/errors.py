"""Errors a person can act on: what went wrong, in which file, and what to do."""

from __future__ import annotations

from pathlib import Path


class BudgetQAError(Exception):
    """An expected problem a person can fix (a setting, a file, a server); its message says what to do.

    Every such error of the product derives from this one, so `budgetqa` reports it in one line and
    exits 2, while any other exception is a bug and is reported as one.
    """


class IngestError(BudgetQAError):
    """A file that cannot be ingested. The batch goes on; nothing already stored is touched."""

    def __init__(self, path: Path | str, problem: str, action: str, page: int | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.action = action
        self.page = page
        where = f"{self.path.name}" + (f" 第{page}页" if page else "")
        super().__init__(f"{where}：{problem}。{action}。")
