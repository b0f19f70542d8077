"""The end of a run: its snapshot published and its report written side by side.

Both only read the finished database (the run's end is recorded before), and neither needs the
other: the snapshot's CHECKPOINT runs on DuckDB's own threads (folding the run's last writes into
the file, ~0.25 CPU-s at 1,000 articles) while the report renders in Python (~0.2 CPU-s), and by
then the workers' cores are idle. So the report reads the run's database through its own
connection in one thread while the snapshot is made in the caller's, instead of reading the
snapshot after it (the same rows: nothing writes in between). DuckDB lets a CHECKPOINT run
beside a reader of the same database.

This function owns the overlap; a report that fails is one line for the run to print, never a
failed run, and a snapshot that fails fails the run as before. Both are done when it returns.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from storage.db import connection, publish_snapshot


def publish_with_report(db_path: str | Path) -> tuple[Path, str]:
    """Publish ``db_path``'s snapshot while its report is written beside it; returns the snapshot
    and one line on the report ("report: <path>" or "report not written: <why>")."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dealwatch-report") as pool:
        written = pool.submit(_write_report, db_path)
        snapshot = publish_snapshot(db_path)  # raises after the report is done (the pool waits)
    return snapshot, written.result()


def _write_report(db_path: str | Path) -> str:
    """The report, read through a connection of its own to the run's database; never raises."""
    try:
        from flows import report  # jinja2 and the templates: only where a run ends

        with connection(db_path) as con:
            return f"report: {report.write_report(db_path, report.report_path(db_path), con)}"
    except Exception as exc:  # noqa: BLE001 - any report problem is one line, not a failed run
        return f"report not written: {exc}"
