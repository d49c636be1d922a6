"""Shared fixture: one store built from data/corpus with the hash embedder, once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from ingest.settings import Settings, load_settings, set_offline_environment

# The suite is an entry point like `budgetqa`: offline models and no telemetry, set once here.
set_offline_environment()

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@dataclass(frozen=True)
class CorpusStore:
    """The settings of the built store and its folder."""

    settings: Settings
    store_dir: Path


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> CorpusStore:
    store_dir = tmp_path_factory.mktemp("corpus_store")
    settings = load_settings(store_dir=store_dir, embedder="hash")
    Ingestor(settings).ingest([CORPUS])
    return CorpusStore(settings=settings, store_dir=store_dir)
