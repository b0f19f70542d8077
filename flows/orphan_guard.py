"""Run a Python module as a child process that dies with its parent.

``python -m flows.orphan_guard PARENT_PID MODULE ARGS...`` runs ``python -m MODULE ARGS...`` in
this process, plus a watchdog thread: when PARENT_PID stops being our parent (it exited, was
killed with SIGKILL, crashed), the child stops itself — first with SIGTERM (a clean shutdown),
then for good. Prefect's temporary API server and the local ``prefect server`` that ``serve``
starts run under it, so no ~200 MB server outlives the dealwatch process that started it.
(PR_SET_PDEATHSIG would fire when the *thread* that spawned the child ends, and Prefect spawns
the server from whichever thread first needs an API client, so a watchdog is the safe choice.)
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
import time

POLL_SECONDS = 0.5
GRACE_SECONDS = 5.0


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit("usage: python -m flows.orphan_guard PARENT_PID MODULE [ARGS...]")
    parent, module = int(sys.argv[1]), sys.argv[2]
    if os.getppid() != parent:  # the parent died before we got here
        sys.exit(1)
    threading.Thread(target=_watch, args=(parent,), name="orphan-guard", daemon=True).start()
    sys.argv = [module, *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def guarded_command(args: list[str]) -> list[str]:
    """``[python, -m, MODULE, ...]`` → the same command under this guard, for this process."""
    if len(args) >= 3 and args[1] == "-m":
        return [args[0], "-m", "flows.orphan_guard", str(os.getpid()), *args[2:]]
    return args


if __name__ == "__main__":
    main()
