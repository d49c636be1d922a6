"""Department resolution among many same-named offices (财政局 of many counties): a region in the question
must be the document's region; a bare kind with several candidates is said to be ambiguous, not guessed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.understanding import understand
from ingest.parsing.departments import make_department
from ingest.pipeline import Ingestor
from ingest.records import Record
from ingest.settings import load_settings
from ingest.stores.index import DocumentHit
from ingest.summary import DocumentSummary

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
# Region names chosen to be hard: one character apart (正田/正乐), one a prefix of another's (安平/安平川
# is not used: names inside names are a separate problem), cities and counties.
REGIONS = ["正田县", "正乐县", "正安市", "华顺县", "乐顺区"]


def _doc(department: str, year: int = 2026) -> DocumentHit:
    made = make_department(department)
    summary = DocumentSummary(region=made.region, aliases=made.aliases)
    record = Record(
        id=department, doc_id=department, kind="document", text=department, metadata={}, payload={}
    )
    return DocumentHit(record, department, f"{department}{year}年度部门预算", department, year, summary)


@pytest.fixture(scope="module")
def offices() -> list[DocumentHit]:
    return [_doc(f"{region}财政局") for region in REGIONS] + [_doc("正田县医疗保障局")]


@pytest.mark.parametrize(
    ("question", "department"),
    [
        ("正田县财政局2026年三公经费是多少？", "正田县财政局"),  # full name: never 正乐县 (one character off)
        ("正乐县财政局的机关运行经费是多少", "正乐县财政局"),
        ("正田财政局的机关运行经费是多少", "正田县财政局"),  # the region without 县
        ("乐顺财政局三公经费", "乐顺区财政局"),  # 乐顺 is also inside 正乐/华顺: the written region decides
        ("华顺县财政局和正安市财政局谁的三公经费高", "华顺县财政局"),
        ("正田县医保局2026年一般公共预算支出", "正田县医疗保障局"),
        ("医保局的三公经费是多少", "正田县医疗保障局"),  # one 医保局 held: no region needed
    ],
)
def test_the_named_region_decides(question: str, department: str, offices: list[DocumentHit]) -> None:
    query = understand(question, offices)
    assert query.docs and query.docs[0].department == department
    assert query.ambiguous_departments == []
    if "和" not in question:
        assert [d.department for d in query.docs] == [department]


def test_two_named_regions_give_both(offices: list[DocumentHit]) -> None:
    query = understand("华顺县财政局和正安市财政局谁的三公经费高", offices)
    assert [d.department for d in query.docs] == ["华顺县财政局", "正安市财政局"]


def test_a_bare_kind_among_many_is_ambiguous(offices: list[DocumentHit]) -> None:
    query = understand("财政局2026年三公经费是多少？", offices)
    assert query.docs == []
    assert sorted(query.ambiguous_departments) == sorted(f"{r}财政局" for r in REGIONS)
    assert query.unknown_department is None


def test_another_region_is_not_a_held_office(offices: list[DocumentHit]) -> None:
    query = understand("太原市财政局三公经费是多少", offices)
    assert query.docs == [] and query.unknown_department == "太原市财政局"


def _moved(text: str, old: str, new: str) -> str:
    return text.replace(old, new).replace(old[:-1], new[:-1])


@pytest.mark.slow  # ingests five copies of the bundled 财政局 document
def test_answers_cite_the_named_countys_office(tmp_path: Path) -> None:
    source = next(CORPUS.glob("*财政局*.txt"))
    text = source.read_text(encoding="utf-8")
    old = re.match(r"^(.+?[市县区])", source.name.split("_")[1])
    assert old is not None
    folder = tmp_path / "corpus"
    folder.mkdir()
    for region in REGIONS:
        (folder / f"2026_{region}财政局_部门预算.txt").write_text(_moved(text, old.group(1), region), "utf-8")
    settings = load_settings(store_dir=tmp_path / "store", embedder="hash")
    Ingestor(settings).ingest([folder])
    assistant = Assistant.from_settings(settings)
    titles = {d.title: d.department for d in assistant.index.documents()}
    for region in REGIONS:
        for question in (f"{region}财政局2026年三公经费是多少？", f"{region[:-1]}财政局的机关运行经费是多少"):
            answer = assistant.ask(question)
            assert not answer.refused, question
            assert {titles[c.doc] for c in answer.citations} == {f"{region}财政局"}, question
    ambiguous = assistant.ask("财政局2026年三公经费是多少？")
    assert ambiguous.refused and "请写明是哪个地区" in ambiguous.answer
    assert ambiguous.citations == []
