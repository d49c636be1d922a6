"""Which records get a vector: a paragraph that only repeats a 名词解释 entry does not."""

from __future__ import annotations

from ingest.records import Record
from ingest.to_records import embedded, repeats_glossary

ENTRIES = [("三公经费", "指用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。")]


def _paragraph(quote: str) -> Record:
    return Record(
        id=quote[:8],
        doc_id="d",
        kind="paragraph",
        text=f"某局2025年度部门预算 第四部分 名词解释：{quote}",
        metadata={},
        payload={"heading_path": ["第四部分 名词解释"], "quote": quote},
    )


def test_an_entry_printed_as_a_paragraph_repeats_the_glossary() -> None:
    assert repeats_glossary(_paragraph("三、“三公”经费：" + ENTRIES[0][1]), ENTRIES)
    assert repeats_glossary(_paragraph(ENTRIES[0][1]), ENTRIES)  # a definition continued on its own line


def test_a_paragraph_saying_more_than_the_entry_keeps_its_vector() -> None:
    longer = "2025年“三公”经费预算4.23万元，比上年减少0.02万元。三公经费" + ENTRIES[0][1]
    assert not repeats_glossary(_paragraph(longer), ENTRIES)
    assert not repeats_glossary(_paragraph("三、机关运行经费：指行政单位的公用经费支出。"), ENTRIES)


def test_embedded_keeps_the_glossary_record_and_drops_its_copy() -> None:
    glossary = Record(
        id="g",
        doc_id="d",
        kind="glossary",
        text="名词解释 三公经费：" + ENTRIES[0][1],
        metadata={},
        payload={"term": "“三公”经费", "definition": ENTRIES[0][1]},
    )
    copy = _paragraph("三、“三公”经费：" + ENTRIES[0][1])
    other = _paragraph("本部门共有公务用车2辆。")
    assert [r.id for r in embedded([glossary, copy, other])] == ["g", other.id]
