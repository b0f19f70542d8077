"""The run's report rendered on an idle Dask worker while the flow makes the snapshot.

At the end of a run on workers, the flow's process checkpointed and copied the database
(publish_snapshot) and then rendered the report (write_report), one after the other, with the
workers idle: ~0.5 s of a 1,000-article run's ~11 s, one core unused. The report only reads, so it
need not wait for the checkpoint: between two commits the database's main file and its write-ahead
log are what a crash would leave, and DuckDB opening a copy of the two read-only replays the log in
memory. The flow copies them (~0.02 s for 1,000 articles, beside ~0.25 s of checkpoint), a worker
renders the page from the copy while the flow checkpoints, and the flow then waits for the page.
Where it cannot (no workers, a worker lost, the copy failing), the page is written here, as before.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
from pathlib import Path
from typing import Any

from storage.db import pid_alive

#: The copy's name beside the database, then the process id of the run that made it.
COPY_PREFIX = ".report-source-"
#: Databases (main file and log) above this many bytes have their report written in the flow's
#: process, as before. The worker holds DuckDB, Jinja2 and the report's own memory beside the flow's
#: checkpoint (at 1,000 articles +86 MB at its peak), and replays the log in memory: at 10,000 articles
#: (~120 MB) that summed peak was 1,059 MB against ~985 with the page written here, over the 1 GB
#: bound, for ~0.3 s of a ~100 s run. 1,000 articles are ~20 MB, 2,000 ~35 MB.
COPY_MAX_BYTES = 64_000_000


def copy_path(db_path: str | Path) -> Path:
    """Where this process copies the database for its report: beside it, hidden, with its pid."""
    db = Path(db_path)
    return db.with_name(f".{db.name}{COPY_PREFIX}{os.getpid()}")


def copy_database(db_path: str | Path) -> list[Path]:
    """The database's main file and write-ahead log copied as they are (between commits: no write
    may be in flight), the copies' paths, the main file's first. Copies left by killed runs go."""
    remove_stale_copies(db_path)
    db, copy = Path(db_path), copy_path(db_path)
    files = [copy]
    try:
        shutil.copyfile(db, copy)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
            files.append(copy.with_name(copy.name + ".wal"))
    except BaseException:
        remove(files + [copy.with_name(copy.name + ".wal")])
        raise
    return files


def _size(db_path: str | Path) -> int:
    """The bytes of the database's main file and log (what a copy takes, what a worker replays)."""
    db = Path(db_path)
    return sum(f.stat().st_size for f in (db, db.with_name(db.name + ".wal")) if f.exists())


def remove(files: list[Path]) -> None:
    for f in files:
        with contextlib.suppress(OSError):
            f.unlink(missing_ok=True)


def remove_stale_copies(db_path: str | Path) -> None:
    """Copies (and their logs) whose run is no longer alive: a run killed before removing its own."""
    db = Path(db_path)
    prefix = f".{db.name}{COPY_PREFIX}"
    for f in db.parent.glob(glob.escape(prefix) + "*"):
        pid = f.name[len(prefix) :].removesuffix(".wal")
        if pid.isdigit() and (int(pid) == os.getpid() or not pid_alive(int(pid))):
            with contextlib.suppress(OSError):
                f.unlink()


class WorkerReport:
    """The run's report on one worker: warmed (Jinja2 and the report's imports, its template
    compiled: ~0.25 s in a fresh process) while the flow stores the last chunks and reconciles,
    started from a copy of the database while the flow makes the snapshot, waited for after it.
    Without workers, for a database above COPY_MAX_BYTES, or when anything fails there, ``finish``
    writes the page here, as before."""

    def __init__(self, runner: Any, db_path: str | Path) -> None:
        distributed = runner is not None and runner.distributed
        self._runner = runner if distributed and _size(db_path) <= COPY_MAX_BYTES else None
        self._worker: str | None = None
        self._warm: Any = None  # held: Dask forgets a task whose future is dropped
        self._handle: Any = None
        self._files: list[Path] = []
        if self._runner is None:
            return
        with contextlib.suppress(Exception):  # no worker to warm: the report starts cold or here
            self._worker = self._runner.idle_worker()
            self._warm = self._runner.start(_warm_on_worker, on=self._worker)

    def start(self, db_path: str) -> None:
        """The page of ``db_path`` as it is now (no write in flight) started on the warmed worker."""
        if self._runner is None:
            return
        from flows.report import report_path, write_report_from

        try:
            self._files = copy_database(db_path)
            out = str(report_path(db_path))
            self._handle = self._runner.start(
                write_report_from, str(self._files[0]), db_path, out, on=self._worker
            )
        except Exception:  # noqa: BLE001 - no copy or no worker to take it: the page is written here
            self.cancel()

    def finish(self, db_path: str) -> Path:
        """The page the worker wrote, once it has; written here instead when it was not started
        there or failed there (a lost worker must not lose the page). The copy is removed either way."""
        from flows.report import report_path, write_report

        try:
            if self._handle is not None:
                with contextlib.suppress(Exception):  # whatever went wrong there, here decides
                    return Path(self._handle.result())
            return write_report(db_path, report_path(db_path))
        finally:
            self.cancel()

    def cancel(self) -> None:
        """The copy removed and the worker's tasks let go (a page it still writes is complete, the
        database's at the copy)."""
        remove(self._files)
        self._files, self._handle, self._warm = [], None, None


def _warm_on_worker() -> None:
    """flows.report.warm_report, imported there only: the flow's process never loads Jinja2 for a
    report a worker writes."""
    from flows.report import warm_report

    warm_report()


def _write_on_worker(copy: str, db_path: str) -> str:
    """flows.report.write_report_from ``copy`` to the report's place beside ``db_path``."""
    from flows.report import report_path, write_report_from

    return write_report_from(copy, db_path, str(report_path(db_path)))
