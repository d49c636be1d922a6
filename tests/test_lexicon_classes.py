"""The lexicons stay vocabulary of classes, never fitted to one document or one test question.

Every entry of EVERYDAY and ENGLISH carries a comment naming its class; no entry names a region, a
department or a project of the bundled documents; no entry copies a long phrase from an eval question.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from assistant import lexicon
from ingest.stores.index import StructuredIndex

ROOT = Path(__file__).resolve().parents[1]
SOURCE = (ROOT / "assistant" / "lexicon.py").read_text(encoding="utf-8")
SETS = [*sorted((ROOT / "eval" / "sets").glob("*.jsonl"))]
COPIED = 7  # characters of a question's wording an entry may not repeat verbatim


def _entry_lines(name: str) -> list[tuple[str, str]]:
    """(the entry's first line, the line before it) for each entry of the list `name` in lexicon.py."""
    block = SOURCE[SOURCE.index(f"{name}: list") :]
    block = block[: block.index("\n]\n")]
    lines = block.splitlines()[1:]
    return [(line, lines[i - 1] if i else "") for i, line in enumerate(lines) if re.match(r"^    \(", line)]


def _literal_runs(pattern: str, length: int) -> list[str]:
    return re.findall(rf"[\u4e00-\u9fff]{{{length},}}", pattern)


def test_every_entry_names_its_class() -> None:
    for name in ("EVERYDAY", "ENGLISH"):
        entries = _entry_lines(name)
        assert len(entries) == len(getattr(lexicon, name))
        unnamed = [line for line, before in entries if "class" not in line and "class" not in before]
        assert unnamed == [], f"{name} entries without a `# class:` comment: {unnamed}"


def test_no_entry_names_a_body_or_a_project_of_the_bundled_documents(corpus_store: Any) -> None:
    index = StructuredIndex(corpus_store.store_dir)
    names: set[str] = set()
    for doc in index.documents():
        department = re.sub(r"\[.*?\]", "", doc.department)
        names |= {department, department[:2]}  # 柳林县工业和信息化局 and its region 柳林
        names |= {
            r.label for table in ("表十二", "表十三") for r in index.rows(doc_id=doc.doc_id, table=table)
        }
    patterns = [p for p, _ in lexicon.EVERYDAY + lexicon.UNDISCLOSED]
    for pattern in patterns:
        for run in _literal_runs(pattern, 2):
            named = [n for n in names if run == n or (len(run) >= 6 and run in n)]
            assert named == [], f"lexicon pattern {pattern!r} names {named}"


def test_no_entry_copies_the_wording_of_an_eval_question() -> None:
    questions = [
        json.loads(line).get("question", "")
        for path in SETS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(questions) > 300
    for pattern, _ in lexicon.EVERYDAY + lexicon.UNDISCLOSED:
        for run in _literal_runs(pattern, COPIED):
            copied = [q for q in questions if run in q]
            assert copied == [], f"lexicon pattern {pattern!r} repeats the words of {copied[:2]}"
