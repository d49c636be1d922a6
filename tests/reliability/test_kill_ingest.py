"""Kill-at-random: SIGKILL an ingest at named points (BUDGETQA_CRASH_AT), rerun it, and require the
store an uninterrupted run leaves: the same documents, records, catalog entries per version,
vectors (ids and texts), source copies, nothing staged or queued. Both store modes.

Scenarios on one bundled disclosure (the smallest with two catalog versions, its catalog tables cut
to a few departments so that a Chroma server gets a few hundred records per run, not thousands):
- fresh: an empty store ingests the disclosure and a renamed byte copy of it;
- toggle: the stored disclosure is replaced by a changed file of the same name, and back again,
  so every kill during a replacement is tried in both directions on one store.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import CORPUS, YIBAO, ForkRunner, changed_copy, chroma_server, fewer_catalog_departments

pytestmark = pytest.mark.slow

# A new document: its commit windows, and the first and a later batch of its vectors (batches of 50,
# set by ForkRunner; embedded: ~110 vectors, 3 batches; server: every record and catalog entry).
FRESH_POINTS = {
    mode: ["source-staged", "index-commit", "index-committed", "source-placed", "vectors-sent#1", last]
    for mode, last in (("embedded", "vectors-marked#2"), ("server", "vectors-marked#3"))
}
# A replacement (same name, other content): each point tried in both directions.
REPLACE_POINTS = [
    "parsed",
    "source-staged",
    "index-commit",
    "index-committed",
    "source-placed",
    "vectors-deleted",
    "vectors-sent#1",
    "vectors-marked#2",
]
KILLED = {"signal": 9}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """fresh: the disclosure and a renamed byte copy; changed / original: one file each, same name."""
    root = tmp_path_factory.mktemp("kill_inputs")
    small = fewer_catalog_departments(CORPUS / YIBAO, root / "small" / YIBAO)
    fresh = root / "fresh"
    fresh.mkdir()
    shutil.copy(small, fresh / YIBAO)
    shutil.copy(small, fresh / "副本-医保局.txt")
    original = root / "original"
    original.mkdir()
    shutil.copy(small, original / YIBAO)
    changed_copy(small, root / "changed" / YIBAO)
    return {"fresh": fresh, "original": original, "changed": root / "changed"}


@pytest.fixture(scope="module", params=["embedded", "server"])
def mode(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(mode name, Chroma server URL or "")."""
    if request.param == "embedded":
        yield "embedded", ""
        return
    with chroma_server(tmp_path_factory.mktemp("chroma_server")) as url:
        yield "server", url


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkRunner]:
    forks = ForkRunner(tmp_path_factory.mktemp("kill_logs"))
    yield forks
    forks.close()


class Store:
    """One store (folder, and collection on the server) and the runs made into it."""

    def __init__(self, runner: ForkRunner, folder: Path, url: str) -> None:
        self.runner, self.folder, self.url = runner, folder, url
        self.env = {"BUDGETQA_COLLECTION": folder.name.replace("_", "-")}

    def ingest(self, source: Path, crash_at: str = "") -> tuple[dict[str, int], str]:
        argv = ["ingest", str(source), "--store", str(self.folder), "--embedder", "hash"]
        argv += ["--chroma-url", self.url] if self.url else []
        env = {**self.env, "BUDGETQA_CRASH_AT": crash_at} if crash_at else self.env
        return self.runner.cli(argv, env)

    def snapshot(self) -> dict[str, Any]:
        return self.runner.snapshot(self.folder, self.url, self.env["BUDGETQA_COLLECTION"])


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """What differs, briefly: `records: 12 missing, 3 extra`."""
    out = []
    for key, value in want.items():
        if got.get(key) == value:
            continue
        if isinstance(value, list) and isinstance(got.get(key), list):
            have = {repr(v) for v in got[key]}
            need = {repr(v) for v in value}
            out.append(f"{key}: {len(need - have)} missing, {len(have - need)} extra")
        else:
            out.append(f"{key}: {got.get(key)!r} != {value!r}")
    return out


def kill_and_rerun(store: Store, source: Path, point: str, reference: dict[str, Any]) -> list[str]:
    """Kill an ingest of `source` at `point`, rerun it; the problems found (empty: exactly the reference)."""
    ended, log = store.ingest(source, crash_at=point)
    if ended != KILLED:
        return [f"{point}: never reached (ended {ended}): {log[-300:]}"]
    ended, log = store.ingest(source)
    if ended != {"exit": 0}:
        return [f"{point}: the rerun ended {ended}: {log[-500:]}"]
    return [f"{point}: {problem}" for problem in differences(store.snapshot(), reference)]


@pytest.fixture(scope="module")
def references(
    mode: tuple[str, str],
    runner: ForkRunner,
    folders: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, Any]]:
    """The stores uninterrupted runs leave: after the fresh batch, and after the changed file."""
    reference = Store(runner, tmp_path_factory.mktemp("reference"), mode[1])
    assert reference.ingest(folders["fresh"])[0] == {"exit": 0}
    fresh = reference.snapshot()
    assert reference.ingest(folders["changed"])[0] == {"exit": 0}
    changed = reference.snapshot()
    assert reference.ingest(folders["original"])[0] == {"exit": 0}
    assert reference.snapshot() == fresh  # replacing back restores the very same store
    assert len(fresh["documents"]) == 1 and len(changed["documents"]) == 1
    assert fresh["documents"] != changed["documents"] and fresh["catalog"] == changed["catalog"]
    assert list(fresh["sources"]) == [YIBAO] and fresh["queued"] == 0
    assert (
        len(fresh["vectors"]) > 50 and sum(len(v) for v in fresh["catalog"].values()) > 100
    )  # no row, fact or glossary-copy vectors
    return {"fresh": fresh, "changed": changed}


def test_kill_points_per_store_mode_are_twenty_or_more() -> None:
    for mode in ("embedded", "server"):
        assert len(FRESH_POINTS[mode]) + 2 * len(REPLACE_POINTS) >= 20


def test_a_killed_new_document_is_finished_by_the_rerun(
    mode: tuple[str, str],
    runner: ForkRunner,
    folders: dict[str, Path],
    references: dict[str, Any],
    tmp_path: Path,
) -> None:
    problems: list[str] = []
    for number, point in enumerate(FRESH_POINTS[mode[0]]):
        store = Store(runner, tmp_path / f"fresh_{number}", mode[1])
        problems += kill_and_rerun(store, folders["fresh"], point, references["fresh"])
    assert not problems, "\n".join(problems)


def test_a_killed_replacement_leaves_one_version_after_the_rerun(
    mode: tuple[str, str],
    runner: ForkRunner,
    folders: dict[str, Path],
    references: dict[str, Any],
    tmp_path: Path,
) -> None:
    chain = Store(runner, tmp_path / "chain", mode[1])
    assert chain.ingest(folders["original"])[0] == {"exit": 0}
    problems: list[str] = []
    for point in REPLACE_POINTS:
        problems += kill_and_rerun(chain, folders["changed"], point, references["changed"])
        problems += kill_and_rerun(chain, folders["original"], point, references["fresh"])
    assert not problems, "\n".join(problems)
