"""The end of a run: its snapshot published while its report's template is made ready.

The snapshot's CHECKPOINT (folding the run's last writes into the file, ~0.25 CPU-s at 1,000
articles) runs on DuckDB's threads and leaves the interpreter free, and by then the workers' cores
are idle; the report's Python preparation needs no database: importing Jinja2 and compiling the
page's template (~0.2 CPU-s on a run's first report). So that is done in a thread meanwhile, and
the report is written from the published snapshot as soon as it is there. (Reading the run's
database beside the CHECKPOINT instead waited on it: DuckDB locks a table being checkpointed
against scans.)

This function owns the overlap: a report that fails (its preparation included) is one line for
the run to print, never a failed run; a snapshot that fails fails the run as before, without a
report. Both are done when it returns.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from storage.db import publish_snapshot


def publish_with_report(db_path: str | Path) -> tuple[Path, str]:
    """Publish ``db_path``'s snapshot, then write its report beside it; returns the snapshot and
    one line on the report ("report: <path>" or "report not written: <why>")."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dealwatch-report") as pool:
        ready = pool.submit(_prepare_report)
        snapshot = publish_snapshot(db_path)  # raises once the preparation is done (the pool waits)
    return snapshot, _write_report(db_path, ready)


def _prepare_report() -> None:
    from flows.report import report_template  # Jinja2 and the report's modules: where a run ends

    report_template()


def _write_report(db_path: str | Path, ready: Future) -> str:
    """The report, from the snapshot just published; never raises."""
    try:
        ready.result()
        from flows import report

        return f"report: {report.write_report(db_path, report.report_path(db_path))}"
    except Exception as exc:  # noqa: BLE001 - any report problem is one line, not a failed run
        return f"report not written: {exc}"
