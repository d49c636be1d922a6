"""Document identity from content: a GBK, UTF-16, PDF or renamed copy of an ingested disclosure is
the same document (reported 已存在 or 未变, the first name kept), unless the user asks to replace it;
200 byte-identical copies are 未变 on every run and never parsed again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import CORPUS, YIBAO
from pdf_fixtures import make_disclosure_pdf

import ingest.pipeline
from ingest.pipeline import Ingestor
from ingest.settings import load_settings

TITLE = "柳林县医疗保障局2025年度部门预算"


def ingestor(store: Path, replace: bool = False) -> Ingestor:
    return Ingestor(load_settings(store_dir=store, embedder="hash"), replace_same=replace)


def sources(store: Path) -> list[str]:
    return sorted(p.name for p in (store / "sources").iterdir())


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The disclosure re-encoded, rendered to PDF and renamed, one file each."""
    folder = tmp_path_factory.mktemp("copies")
    text = (CORPUS / YIBAO).read_text(encoding="utf-8")
    out = {
        "gbk": folder / "医保局-gbk.txt",
        "utf16": folder / "医保局-utf16.txt",
        "renamed": folder / "医保局预算（另存）.txt",
        "pdf": folder / "医保局.pdf",
    }
    out["gbk"].write_bytes(text.encode("gb18030"))
    out["utf16"].write_bytes(text.encode("utf-16"))  # with its BOM, as Windows Notepad saves it
    shutil.copy(CORPUS / YIBAO, out["renamed"])
    make_disclosure_pdf(CORPUS / YIBAO, out["pdf"])
    return out


def test_copies_in_other_encodings_formats_and_names_are_the_same_document(
    tmp_path: Path, copies: dict[str, Path]
) -> None:
    bot = ingestor(tmp_path)
    assert [f.status for f in bot.ingest([CORPUS / YIBAO]).files] == ["ingested"]
    order = ["gbk", "utf16", "pdf", "renamed"]
    summary = bot.ingest([copies[name] for name in order])
    assert [f.status for f in summary.files] == ["duplicate", "duplicate", "duplicate", "unchanged"]
    assert {f.same_as for f in summary.files} == {YIBAO}
    report = summary.render()
    assert f"医保局-gbk.txt 已存在（与 {YIBAO} 相同）" in report and "已存在 3，" in report
    assert [(d.title, d.summary.file) for d in bot.index.documents()] == [(TITLE, YIBAO)]
    assert sources(tmp_path) == [YIBAO]
    again = bot.ingest([copies[name] for name in order])
    assert [f.status for f in again.files] == ["unchanged"] * 4  # known copies: not parsed again


def test_replace_asks_for_the_copy_to_take_the_stored_documents_place(
    tmp_path: Path, copies: dict[str, Path]
) -> None:
    ingestor(tmp_path).ingest([CORPUS / YIBAO])
    summary = ingestor(tmp_path, replace=True).ingest([copies["gbk"]])
    assert [f.status for f in summary.files] == ["replaced"]
    documents = ingestor(tmp_path).index.documents()
    assert [(d.title, d.summary.file) for d in documents] == [(TITLE, "医保局-gbk.txt")]
    assert sources(tmp_path) == ["医保局-gbk.txt"]


def test_two_hundred_byte_copies_are_unchanged_and_never_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    data = (CORPUS / YIBAO).read_bytes()
    for number in range(200):
        (folder / f"医保局副本{number:03d}.txt").write_bytes(data)
    bot = ingestor(tmp_path / "store")
    first = bot.ingest([folder])
    assert [f.status for f in first.files].count("unchanged") == 199
    assert first.files[0].status == "ingested" and first.files[0].path.name == "医保局副本000.txt"
    parsed: list[str] = []
    real = ingest.pipeline.parse_document
    monkeypatch.setattr(ingest.pipeline, "parse_document", lambda loaded: parsed.append(1) or real(loaded))
    again = bot.ingest([folder])
    assert "新导入 0，更新 0，未变 200，失败 0" in again.render()
    assert parsed == []
    assert len(bot.index.documents()) == 1 and sources(tmp_path / "store") == ["医保局副本000.txt"]
