"""Running the `ingest` and `reprocess` flows for the command line: checks before Prefect
starts, a clean end on Ctrl-C/SIGTERM, the summary, the exit status."""

from __future__ import annotations

import sys
from collections.abc import Callable

from flows.interrupts import run_interruptibly
from storage.db import DatabaseError, connection

EXIT_DB_ERROR = 3


def check_database(db: str) -> str | None:
    """Why the database cannot be opened for writing, or None — found before any flow starts,
    so a bad --db is one line, not Prefect's tracebacks."""
    try:
        with connection(db):
            return None
    except DatabaseError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot open {db}: {exc.strerror or exc}"


def run_flow(kind: str, db: str, verbose: bool = False, **params) -> int:
    """Run flow ``kind`` ('ingest' or 'reprocess') with ``params``; print its summary."""
    problem = check_database(db)
    if problem:
        print(f"dealwatch: database error: {problem}", file=sys.stderr)
        return EXIT_DB_ERROR
    from flows.ingest import new_run_id
    from flows.prefect_env import guard_ephemeral_server
    from flows.summary import render_summary

    guard_ephemeral_server()
    flow = _flow(kind)
    run_id = new_run_id()

    def work() -> int:
        try:
            summary = flow(db_path=db, run_id=run_id, **params)
        except DatabaseError as exc:
            print(f"dealwatch: database error: {exc}", file=sys.stderr)
            return EXIT_DB_ERROR
        print(render_summary(summary), flush=True)
        return summary.exit_code

    return run_interruptibly(work, db, run_id, kind, verbose)


def _flow(kind: str) -> Callable:
    if kind == "reprocess":
        from flows.reprocess import reprocess

        return reprocess
    from flows.ingest import ingest

    return ingest
