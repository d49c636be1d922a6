"""The marker an ingest keeps in the store folder while it runs (`ingest.running`, holding its pid).

Left behind by a killed run, it tells the next ingest to put that run's leftovers right; while its
process lives, it tells readers that the index is about to change again (each committed document
changes it), so structures built from the whole index now would be stale at once.
"""

from __future__ import annotations

import os
from pathlib import Path

RUNNING = "ingest.running"


def alive(pid: str) -> bool:
    """Whether the ingest that wrote this pid is still running (this process's own pid is not)."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ingest_running(store_dir: Path) -> bool:
    """Whether another process is ingesting into `store_dir` right now."""
    try:
        return alive((Path(store_dir) / RUNNING).read_text().strip())
    except OSError:
        return False
