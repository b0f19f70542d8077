"""The `runs` view and what `dealwatch runs` lists: status as it really is, counts as columns,
and a database from before version 6 (runs as a table) brought forward without losing its runs."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import duckdb

from storage.db import connection
from storage.runs import end_run, list_runs, start_run, update_run


def _v4_database(path: Path) -> None:
    """A database as version 4 left it: a `runs` table, raw documents with their articles."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    folder = resources.files("storage") / "migrations"
    for n in range(1, 5):
        sql = next(e for e in folder.iterdir() if e.name.startswith(f"{n:03d}_")).read_text()
        con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [n])
    con.execute(
        "INSERT INTO runs VALUES ('old', '2026-01-01 10:00', '2026-01-01 10:05', '[]', "
        """'{"new": 3}', 'completed')"""
    )
    con.execute("INSERT INTO raw_documents (raw_id, url) VALUES ('r1', 'u1'), ('r2', 'u2')")
    con.execute(
        "INSERT INTO article_store (article_id, raw_id, status, extractor_version) VALUES ('a1', 'r1', 'ok', 'v')"
    )
    con.close()


def test_a_version_4_database_keeps_its_runs_and_knows_which_documents_were_finished(tmp_path: Path) -> None:
    db = tmp_path / "v4.duckdb"
    _v4_database(db)
    with connection(db) as con:
        assert con.execute("SELECT run_id, status FROM runs").fetchall() == [("old", "completed")]
        done = dict(con.execute("SELECT raw_id, processed_version FROM raw_documents").fetchall())
    assert done == {"r1": "v", "r2": None}, "r2 was stored but never processed: the next run finishes it"


def test_runs_lists_running_finished_and_abandoned_runs_with_counts(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with connection(db) as con:
        start_run(con, "done", "ingest", ["a"])
        update_run(con, "done", {"counts": {"documents": 5, "new": 4, "failed": 1}})
        end_run(con, "done", "completed", None)
        start_run(con, "killed", "ingest", ["a"])
        con.execute("UPDATE run_store SET pid = ? WHERE run_id = 'killed'", [gone.pid])
        start_run(con, "live", "reprocess", [])  # this process: still running
    runs = {r.run_id: r for r in list_runs(db)}
    assert {k: r.status for k, r in runs.items()} == {
        "done": "completed",
        "killed": "interrupted",
        "live": "running",
    }
    assert (runs["done"].documents, runs["done"].new, runs["done"].failed) == (5, 4, 1)
    assert runs["done"].finished_at is not None and runs["live"].finished_at is None
    with connection(db) as con:  # the next run to start records what list_runs could only infer
        start_run(con, "next", "ingest", [])
        assert con.execute("SELECT status FROM runs WHERE run_id = 'killed'").fetchone() == ("interrupted",)
