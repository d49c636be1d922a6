"""The other-province question set (eval/sets/other_province.jsonl) against the PDFs it was written from.

The PDFs are not bundled: the set declares their folder and sha256 (`corpus`), and these tests read them
from /work/shared/corpus_other when present (skipped otherwise). Every expected figure that is not
computed must be printed on the page its `source` names, in 万元 or as the 元 figure it rounds from."""

from __future__ import annotations

import hashlib
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pdfplumber
import pytest

from eval.testset import load_sources, load_testset, missing_documents

SET = Path(__file__).resolve().parents[1] / "eval" / "sets" / "other_province.jsonl"
OTHER = Path("/work/shared/corpus_other")
COMPUTED = {"derived"}  # expected figures the calculator produces from printed ones
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_CENT = Decimal("0.01")

needs_pdfs = pytest.mark.skipif(not OTHER.is_dir(), reason="/work/shared/corpus_other is not on this machine")


def test_set_shape_and_declared_source() -> None:
    cases = load_testset(SET)
    (source,) = load_sources([SET])
    assert len(cases) == 40 and len({c.id for c in cases}) == 40
    assert len(source.files) == 4
    for name in source.files:  # ten questions per document
        assert sum(1 for c in cases if c.doc == (name,)) == 10, name
    assert {c.category for c in cases} >= {"multi_part", "derived", "superlative", "list", "unanswerable"}
    assert missing_documents([source], set()).count("budgetqa ingest ../shared/corpus_other") == 1
    assert missing_documents([source], set(source.files.values())) == ""


def _page_numbers(text: str) -> set[Decimal]:
    """Every number printed on a page, as printed (元 or 万元) and as 元 → 万元 rounded to cents."""
    out: set[Decimal] = set()
    for raw in _NUMBER.findall(text):
        value = Decimal(raw.replace(",", ""))
        out.add(value)
        out.add((value / 10000).quantize(_CENT, rounding=ROUND_HALF_UP))
    return out


@needs_pdfs
def test_declared_files_are_the_pdfs_on_this_machine() -> None:
    (source,) = load_sources([SET])
    for name, sha in source.files.items():
        assert hashlib.sha256((OTHER / name).read_bytes()).hexdigest() == sha, name


@needs_pdfs
def test_every_printed_figure_is_on_its_cited_page() -> None:
    pages: dict[tuple[str, int], str] = {}
    checked = 0
    for case in load_testset(SET):
        if case.category in COMPUTED or not case.figures:
            continue
        printed: set[Decimal] = set()
        for ref in str(case.extra["source"]).split("; "):
            name, page = ref.rsplit(":p", 1)
            key = (name, int(page))
            if key not in pages:
                with pdfplumber.open(OTHER / name) as pdf:
                    pages[key] = pdf.pages[key[1] - 1].extract_text() or ""
            printed |= _page_numbers(pages[key])
        for figure in case.figures:
            assert Decimal(figure) in printed, f"{case.id}: {figure} not on {case.extra['source']}"
            checked += 1
    assert checked >= 40


def test_eval_stops_before_asking_when_the_declared_documents_are_not_ingested(capsys) -> None:  # type: ignore[no-untyped-def]
    from eval.runner import eval_command

    asked: list[str] = []

    def answer(question: str, **_: object) -> object:
        asked.append(question)
        raise AssertionError("no question may be asked")

    code = eval_command([SET], answer, None, None, None, None, held_sha256={"someothersha"})  # type: ignore[arg-type]
    assert code == 2 and not asked
    assert "budgetqa ingest ../shared/corpus_other" in capsys.readouterr().err


@pytest.mark.slow
@needs_pdfs
def test_the_set_runs_against_a_store_ingested_from_the_declared_folder(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`budgetqa ingest` of the folder, then `budgetqa eval` of the set with strict scoring: ≥ 90%."""
    import json

    from ui.cli import main

    store = ["--store", str(tmp_path / "store"), "--embedder", "hash"]
    assert main(["ingest", str(OTHER), *store]) == 0
    capsys.readouterr()
    assert main(["docs", "--json", *store]) == 0
    summaries = json.loads(capsys.readouterr().out)
    assert [s["template"] for s in summaries] == ["national9"] * 4
    code = main(["eval", str(SET), *store, "--out", str(tmp_path / "report"), "--min-score", "0.9"])
    out = capsys.readouterr().out
    assert code == 0, out
