"""Ending a run cleanly on Ctrl-C or SIGTERM: within seconds, one line, exit status 130.

What a run stores is safe at any moment (see storage.raw: a document is finished only once it is
extracted and stored), so an interrupt need not wait for anything: the run's row is marked
'interrupted', the user is told what was stored and that running the command again finishes
the rest, and Prefect's own error lines about the interrupted flow stay hidden (``--verbose``
shows them). If cleaning up takes longer than ``DEADLINE`` seconds, or a second signal comes,
the process ends at once; its temporary Prefect server follows it (flows.orphan_guard).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from extractors.models import Run

EXIT_INTERRUPTED = 130
DEADLINE = 4.0
PAUSE_ENV = "DEALWATCH_PAUSE_AFTER"


def pause_point(stage: str) -> None:
    """Holds the run for a minute after ``stage`` when DEALWATCH_PAUSE_AFTER names it, so a test
    (or someone reproducing a report) can interrupt a run at that exact point rather than racing
    a stage that takes milliseconds; does nothing otherwise."""
    if os.environ.get(PAUSE_ENV) == stage:
        time.sleep(60.0)


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


class InterruptGuard:
    """While active, SIGINT and SIGTERM raise KeyboardInterrupt in the main thread (once),
    silence Prefect's loggers, and arm a deadline after which the process exits 130 whatever it
    is doing. ``said`` records that the final line was printed, so it is printed once."""

    def __init__(self, verbose: bool = False) -> None:
        self.verbose = verbose
        self.fired = threading.Event()
        self.said = threading.Event()
        self._previous: dict[int, Any] = {}

    def say(self, line: str) -> None:
        if not self.said.is_set():
            self.said.set()
            _say(line)

    def give_up(self) -> None:
        self.say("dealwatch: interrupted; run the same command again to finish what was left")
        os._exit(EXIT_INTERRUPTED)

    def _handler(self, signum: int, frame: Any) -> None:
        if self.fired.is_set():
            self.give_up()
        self.fired.set()
        if not self.verbose:
            logging.disable(logging.CRITICAL)
        timer = threading.Timer(DEADLINE, self.give_up)
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    def __enter__(self) -> InterruptGuard:
        self._previous = {s: signal.signal(s, self._handler) for s in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc: object) -> None:
        for s, h in self._previous.items():
            signal.signal(s, h)


def interrupted_line(run: Run | None, kind: str) -> str:
    """The one line printed when a run is interrupted: what was stored, and that a rerun finishes it."""
    again = "run `dealwatch reprocess` again" if kind == "reprocess" else "run the same command again"
    if not run:
        return f"dealwatch: interrupted; what was stored is kept, {again} to finish the rest"
    return (
        f"dealwatch: interrupted; run {run.run_id} had finished {run.documents or 0} document(s) "
        f"({run.new or 0} new) and keeps everything it stored; {again} to finish the rest"
    )


def run_interruptibly(work: Callable[[], int], db: str, run_id: str, kind: str, verbose: bool) -> int:
    """Run ``work`` (a flow call returning an exit status); on Ctrl-C/SIGTERM print one line and
    end the process with status 130."""
    with InterruptGuard(verbose) as guard:
        try:
            return work()
        except KeyboardInterrupt:
            pass
        except Exception:
            # The signal can land inside a DuckDB query, which turns it into "Query interrupted"
            # (a RuntimeError) or into a crashed flow run: after a signal, that is the interrupt.
            if not guard.fired.is_set():
                raise
        from storage.runs import get_run, mark_interrupted

        run = None
        with contextlib.suppress(Exception):
            mark_interrupted(db, run_id)
            run = get_run(db, run_id)
        guard.say(interrupted_line(run, kind))
        from flows.prefect_env import kill_ephemeral_server

        kill_ephemeral_server()
        # Prefect's exit handlers drain its log and event workers against an API that is gone
        # (seconds of waiting, for nothing the user needs): everything of ours is stored, so leave.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(EXIT_INTERRUPTED)
