"""Run an own test set (default eval/sets/budgetqa_dev.jsonl, the development split) through the Assistant
and print per-category pass rates and failures.

Usage: .venv/bin/python scripts/eval_assistant.py [--store DIR] [--show N] [--only CATEGORY]
       [--set PATH] [--phrase raw|code|scoped]
Builds a hash-embedder store in DIR first when DIR holds none. `--phrase` is for sets whose cases carry
`department` and `version` keys (catalog_everyday.jsonl): `code` asks "<question>，目录代码是什么？",
`scoped` also names the department and version in the question, `raw` asks the question as written.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from assistant.service import Assistant
from eval.runner import answer_case
from eval.testset import TestCase, load_testsets
from ingest.api import Ingestor, load_settings, set_offline_environment


def phrase(case: TestCase, how: str) -> TestCase:
    """The case with its question phrased for the chat (see the module docstring)."""
    department = str(case.extra.get("department") or "")
    version = str(case.extra.get("version") or "")
    if how == "raw":
        return case
    if how == "code" or not (department or version):
        return replace(case, question=f"{case.question}，目录代码是什么？")
    scope = f"{department}部门" if department else "通用（B类）"
    return replace(case, question=f"{version}目录中，{scope}：{case.question}，代码是什么？")


def main() -> None:
    set_offline_environment()  # offline models, no telemetry, as `budgetqa` does
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default="/tmp/budgetqa-eval-store")
    parser.add_argument("--show", type=int, default=100)
    parser.add_argument("--only", default="")
    parser.add_argument("--set", default="eval/sets/budgetqa_dev.jsonl")
    parser.add_argument("--phrase", choices=("raw", "code", "scoped"), default="raw")
    args = parser.parse_args()
    settings = load_settings(store_dir=args.store, embedder="hash")
    if not (Path(args.store) / "index.sqlite").exists():
        Ingestor(settings).ingest([Path("data/corpus")])
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    cases = [
        phrase(c, args.phrase)
        for c in load_testsets([Path(args.set)])
        if not args.only or c.category == args.only
    ]
    results = [answer_case(c, assistant.ask) for c in cases]
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
