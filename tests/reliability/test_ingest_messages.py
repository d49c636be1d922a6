"""Truncation and batch messages: a file cut short is named with what it lacks (never a clean ✓),
a UTF-8 file cut inside a character is read with a warning, and a missing path, a symbolic link
loop or an empty folder is one failed item of the batch, named, while the rest goes in."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CORPUS, YIBAO

from ingest.pipeline import Ingestor
from ingest.settings import load_settings
from ui.cli import main

GONGXIN = "2024_柳林县工业和信息化局_部门预算.txt"


def cut(source: Path, out: Path, share: float) -> Path:
    """The first `share` of the file's bytes, as a download or copy cut short leaves it."""
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * share)])
    return out


def test_a_text_cut_at_half_is_warned_about_by_name(tmp_path: Path) -> None:
    half = cut(CORPUS / GONGXIN, tmp_path / "工信局-半截.txt", 0.5)
    summary = Ingestor(load_settings(store_dir=tmp_path / "store", embedder="hash")).ingest([half])
    (result,) = summary.files
    assert result.status == "ingested" and result.quality_status == "warning"
    report = summary.render()
    assert "✓" not in report and "⚠ 工信局-半截.txt" in report
    assert "没有找到第四部分 名词解释" in report
    entries = result.catalog_entries
    assert 0 < entries < 1000 and f"只读出 {entries} 条" in report  # the whole catalog has 1,835


def test_a_utf8_file_cut_inside_a_character_is_read_with_a_warning(tmp_path: Path) -> None:
    data = (CORPUS / YIBAO).read_bytes()
    end = len(data) * 9 // 10
    while data[end] & 0xC0 != 0x80:  # stop inside a multi-byte character, not at its start
        end += 1
    broken = tmp_path / "医保局-截断.txt"
    broken.write_bytes(data[:end])
    summary = Ingestor(load_settings(store_dir=tmp_path / "store", embedder="hash")).ingest([broken])
    (result,) = summary.files
    assert result.status == "ingested", result.error
    assert any("末尾有半个字符" in w for w in result.warnings)
    assert "无法识别文件编码" not in summary.render() and "⚠ 医保局-截断.txt" in summary.render()


def test_bad_paths_are_failed_items_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = tmp_path / "环"
    loop.symlink_to(tmp_path / "环")
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    nested = tmp_path / "有环的文件夹"
    nested.mkdir()
    (nested / "自指").symlink_to(nested / "自指")
    (nested / YIBAO).write_bytes((CORPUS / YIBAO).read_bytes())
    missing = tmp_path / "不存在.txt"
    store = str(tmp_path / "store")
    code = main(
        ["ingest", str(missing), str(loop), str(empty), str(nested), "--store", store, "--embedder", "hash"]
    )
    out = capsys.readouterr().out
    assert code == 1  # some items failed; the disclosure went in
    assert "新导入 1" in out and "失败 4" in out
    assert f"✗ 找不到 {missing}" in out
    assert f"✗ {loop} 是循环的符号链接" in out and f"✗ {nested / '自指'} 是循环的符号链接" in out
    assert f"✗ 文件夹 {empty} 里没有 PDF 或 .txt 文件" in out
