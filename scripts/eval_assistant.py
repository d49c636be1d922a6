"""Run eval/sets/budgetqa.jsonl through the Assistant and print per-category pass rates and failures.

Usage: .venv/bin/python scripts/eval_assistant.py [--store DIR] [--show N] [--only CATEGORY]
Builds a hash-embedder store in DIR first when DIR holds none.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from pathlib import Path

from assistant.service import Assistant
from eval.runner import answer_case
from eval.testset import load_testsets
from ingest.pipeline import Ingestor
from ingest.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default="/tmp/budgetqa-eval-store")
    parser.add_argument("--show", type=int, default=100)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    settings = load_settings(store_dir=args.store, embedder="hash")
    if not (Path(args.store) / "index.sqlite").exists():
        Ingestor(settings).ingest([Path("data/corpus")])
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    cases = load_testsets([Path("eval/sets/budgetqa.jsonl")])
    results = [answer_case(c, assistant.ask) for c in cases if not args.only or c.category == args.only]
    by_category: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_category[r.category].append(r.passed)
    shown = 0
    for r in results:
        if not r.passed and shown < args.show:
            shown += 1
            print(f"✗ {r.id} {r.question}\n    {'；'.join(r.reasons)}\n    → {r.answer['answer'][:300]}")
    print()
    for category, passed in sorted(by_category.items()):
        print(f"{category:14s} {sum(passed):3d}/{len(passed):3d}  {sum(passed) / len(passed):.1%}")
    total = [p for ps in by_category.values() for p in ps]
    latencies = sorted(r.latency_ms for r in results)
    print(f"{'overall':14s} {sum(total):3d}/{len(total):3d}  {sum(total) / len(total):.1%}")
    print(
        f"latency median {statistics.median(latencies):.1f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
