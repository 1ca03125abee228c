"""Child processes that never outlive their parent (query workers, the validation child).

Not prctl(PR_SET_PDEATHSIG): that fires when the *thread* that started the child ends, and
workers are started from request threads. A watchdog thread notices instead that the parent is
gone (the child is re-parented) and ends the process; pyoxigraph releases the GIL while it
evaluates, so the watchdog runs during a long query too.
"""

from __future__ import annotations

import os
import threading
import time


def die_with_parent(parent_pid: int | None = None, interval: float = 0.5) -> None:
    """End this process (``os._exit``) soon after ``parent_pid`` (default: the current parent) is gone."""
    parent = parent_pid if parent_pid is not None else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="stelsel-parent-watchdog", daemon=True).start()
