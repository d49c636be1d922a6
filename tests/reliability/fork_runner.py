"""A long-lived helper process for the kill tests: imports budgetqa once, then forks one child per
command, so each killed ingest and each rerun costs its own work, not a fresh interpreter start.

Reads one JSON command per line on stdin, answers one JSON line on stdout:
- {"cli": [argv…], "env": {…}, "log": path} runs `ui.cli.main(argv)` in a child with `env` added
  (e.g. BUDGETQA_CRASH_AT), stdout and stderr to `log`; answers {"signal": n} or {"exit": n}.
- {"snapshot": {"store_dir", "chroma_url", "collection"}, "out": path} writes the store's
  snapshot (`tests/reliability/snapshot.py`) as JSON to `out`.
The parent never opens a store: a forked child must not inherit Chroma's threads or caches.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import chromadb  # noqa: F401 - imported once here, before any fork
import snapshot

import ingest.pipeline  # noqa: F401
import ui.cli


def run_child(command: dict[str, object]) -> int:
    if "cli" in command:
        os.environ.update({str(k): str(v) for k, v in dict(command.get("env") or {}).items()})
        log = os.open(str(command["log"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        return ui.cli.main([str(a) for a in list(command["cli"])])  # type: ignore[call-overload]
    target = dict(command["snapshot"])  # type: ignore[call-overload]
    Path(str(command["out"])).write_text(json.dumps(snapshot.take(**target), ensure_ascii=False))
    return 0


def main() -> None:
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                code = run_child(command)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        answer = (
            {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.WEXITSTATUS(status)}
        )
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
