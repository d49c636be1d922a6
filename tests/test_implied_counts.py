"""The count of one kind a disclosure leaves out, implied by its stated total and other kinds.

The bundled disclosures state every kind of project, so each test ingests a copy of one with the asked
kind's clause taken out, and pins the subtraction the answer shows and the sentence it cites.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.service import Assistant
from ingest.pipeline import Ingestor
from ingest.settings import load_settings

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _without(tmp_path: Path, name: str, *cuts: str) -> Assistant:
    """An assistant over one bundled disclosure with each text in `cuts` removed (each must be there)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    for cut in cuts:
        assert cut in text
        text = text.replace(cut, "")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    settings = load_settings(store_dir=tmp_path / "store", embedder="hash")
    Ingestor(settings).ingest([folder])
    return Assistant.from_settings(settings)


# Both listings of the kind in 孝义市财政局's text (项目绩效目标 and 公开项目绩效目标).
_XIAOYI_KIND = ("；特定目标类项目0个，涉及金额0万元", "；特定目标类项目0个，涉及项目金额0万元")


def _expressions(answer: Any) -> list[str]:
    return [c.expression for c in answer.calculations]


def test_a_kind_left_out_is_the_total_less_the_kinds_stated(tmp_path: Path) -> None:
    assistant = _without(
        tmp_path,
        "2024_晋城市信访局_部门预算.txt",
        "；特定目标类项目1个，涉及\n\n金额8,620.78万元",
        "；特定目标类项目1个，涉及项目金额8,620.78万元",
    )
    answer = assistant.ask("晋城市信访局纳入绩效目标管理的二级项目里，特定目标类的有几个？")
    assert not answer.refused
    assert "5 − 4 = 1" in _expressions(answer)
    assert "特定目标类为1个" in answer.answer and "其他运转类项目4个" in answer.answer


def test_a_kind_left_out_of_a_total_its_other_kind_fills_is_an_implied_zero(tmp_path: Path) -> None:
    assistant = _without(tmp_path, "2026_孝义市财政局_部门预算.txt", *_XIAOYI_KIND)
    answer = assistant.ask("孝义财政局纳入绩效目标管理的项目中，特定目标类项目有多少个？")
    assert "28 − 28 = 0" in _expressions(answer)
    assert "特定目标类为0个" in answer.answer


@pytest.mark.parametrize("kind", ["其他运转类"])
def test_a_kind_the_text_states_is_quoted_not_implied(tmp_path: Path, kind: str) -> None:
    assistant = _without(tmp_path, "2026_孝义市财政局_部门预算.txt", *_XIAOYI_KIND)
    answer = assistant.ask(f"孝义财政局纳入绩效目标管理的项目中，{kind}项目有几个？")
    assert not answer.calculations and "其他运转类项目28个" in answer.answer
