"""The run's report rendered on a Dask worker from a copy of the database while the flow checkpoints:
the same page as written here, nothing left beside the database, and the page written here when the
worker cannot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractors.models import RunStatus
from flows import parallel, report_offload
from flows.report_offload import COPY_PREFIX, WorkerReport, copy_database, copy_path
from storage.runs import end_run
from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _page(path: Path) -> str:
    """The page less the minute it was written at (the only thing it stamps with the clock)."""
    return re.sub(r"Written \d{4}-\d\d-\d\d \d\d:\d\d", "Written (when)", path.read_text(encoding="utf-8"))


def _database(tmp_path: Path) -> Path:
    from flows.ingest import ingest

    db = tmp_path / "dw.duckdb"
    ingest([str(FIXTURES / "corpus")], db_path=str(db), quiet=True, run_id="offloaded001")
    return db


def _leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if COPY_PREFIX in p.name)


@pytest.mark.slow
@pytest.mark.integration
def test_a_worker_renders_the_page_from_the_database_as_it_is_before_the_checkpoint(
    tmp_path: Path, monkeypatch
) -> None:
    import flows.report

    db = _database(tmp_path)
    con = duckdb.connect(str(db))  # held, as the flow holds it: no other process can open the file
    try:
        # A change that only the write-ahead log holds when the worker starts (the run's end, in a run).
        end_run(con, "offloaded001", RunStatus.FAILED, None)
        assert db.with_name(db.name + ".wal").stat().st_size > 0
        with parallel.local_cluster(1) as address, parallel.batch_runner(1, address) as runner:
            report = WorkerReport(runner, db)
            report.start(str(db))
            con.execute("CHECKPOINT")  # what publish_snapshot does meanwhile
            con.close()

            def not_here(*_a: object, **_k: object) -> None:
                raise AssertionError("the page was written in this process")

            monkeypatch.setattr(flows.report, "write_report", not_here)
            page = report.finish(str(db))
    finally:
        con.close()
    monkeypatch.undo()
    assert page == flows.report.report_path(db) and _leftovers(db) == []
    header = page.read_text(encoding="utf-8").split("Reflects run", 1)[1].split("(UTC)", 1)[0]
    assert "(failed)" in header, "the worker read what only the log held"
    here = flows.report.write_report(db, tmp_path / "here.html")
    assert _page(page) == _page(here)


@pytest.mark.slow
@pytest.mark.integration
def test_the_page_is_written_here_without_workers_for_a_large_database_or_with_workers_gone(
    tmp_path: Path, monkeypatch
) -> None:
    from flows.report import report_path

    db = _database(tmp_path)
    report_path(db).unlink()
    assert WorkerReport(None, db).finish(str(db)) == report_path(db) and report_path(db).exists()
    with parallel.local_cluster(1) as address, parallel.batch_runner(1, address) as runner:
        report_path(db).unlink()
        monkeypatch.setattr(report_offload, "COPY_MAX_BYTES", 0)  # a database too large to copy
        large = WorkerReport(runner, db)
        large.start(str(db))
        assert _leftovers(db) == [], "no copy of a database above COPY_MAX_BYTES"
        assert large.finish(str(db)) == report_path(db) and report_path(db).exists()
        monkeypatch.undo()
        report_path(db).unlink()
        report = WorkerReport(runner, db)
        runner._dask.close()  # the scheduler unreachable before the page is started
        report.start(str(db))
    assert report.finish(str(db)) == report_path(db) and report_path(db).exists()
    assert "Reflects run" in report_path(db).read_text(encoding="utf-8") and _leftovers(db) == []


def test_copies_left_by_killed_runs_are_removed_and_a_live_runs_copy_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "dw.duckdb"
    duckdb.connect(str(db)).close()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = copy_path(db).with_name(f".{db.name}{COPY_PREFIX}{int(gone.stdout)}")
    live = copy_path(db).with_name(f".{db.name}{COPY_PREFIX}1")  # pid 1 is alive
    for f in (dead, dead.with_name(dead.name + ".wal"), live):
        f.write_bytes(b"x")
    files = copy_database(db)
    assert files == [copy_path(db)] and files[0].read_bytes() == db.read_bytes()
    assert _leftovers(db) == sorted([copy_path(db).name, live.name])
