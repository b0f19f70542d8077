"""The life of a run in the ``runs`` table: running → completed | failed | interrupted.

A run writes its row when it starts (with the process id and host that run it) and refreshes its
counts after every batch, so ``dealwatch runs`` shows runs in progress, and a run killed outright
(kill -9, power loss) is recognised later: its process is gone, so it was interrupted. Whoever
starts the next run marks such rows, and ``list_runs`` reports them as interrupted meanwhile.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import psutil

from extractors.models import RUN_COLUMNS, Run, RunStatus
from storage.db import DatabaseError, connection, fetch_dicts, open_db, snapshot_path
from storage.writer import naive_utc, to_json


def _now() -> datetime:
    return naive_utc(datetime.now(UTC))


def process_alive(pid: int | None, hostname: str | None, started_at: datetime | None) -> bool:
    """Is the process that wrote a 'running' row still that run? (False when we cannot tell
    for another host: we then trust the row.) A reused pid is told apart by its start time."""
    if hostname and hostname != socket.gethostname():
        return True
    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        created = datetime.fromtimestamp(proc.create_time(), UTC).replace(tzinfo=None)
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    if proc.status() == psutil.STATUS_ZOMBIE:
        return False
    return started_at is None or created <= started_at


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, kind: str, sources: list[str]) -> int:
    """Record a new run as 'running'; first mark runs whose process died as interrupted.

    Returns how many abandoned runs were marked."""
    marked = mark_abandoned(con)
    now = _now()
    con.execute(
        "INSERT OR REPLACE INTO run_store (run_id, started_at, finished_at, sources, summary, status, kind, "
        "pid, hostname, updated_at) VALUES (?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?)",
        [
            run_id,
            now,
            to_json(sources),
            RunStatus.RUNNING.value,
            kind,
            os.getpid(),
            socket.gethostname(),
            now,
        ],
    )
    return marked


def update_run(con: duckdb.DuckDBPyConnection, run_id: str, summary: dict[str, Any]) -> None:
    """Refresh a running run's counts (called after each batch)."""
    con.execute(
        "UPDATE run_store SET summary = ?, updated_at = ? WHERE run_id = ?",
        [to_json(summary), _now(), run_id],
    )


def end_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: RunStatus, summary: dict[str, Any] | None
) -> None:
    """Close a run with its final status and counts (the counts so far, when interrupted)."""
    status = RunStatus(status)
    if status is RunStatus.RUNNING:
        raise ValueError(f"not a final run status: {status}")
    now = _now()
    con.execute(
        "UPDATE run_store SET status = ?, finished_at = ?, updated_at = ?, summary = coalesce(?, summary) "
        "WHERE run_id = ?",
        [status.value, now, now, to_json(summary) if summary is not None else None, run_id],
    )


def mark_interrupted(db: str | Path, run_id: str) -> None:
    """After Ctrl-C/SIGTERM: the run is 'interrupted' even when the signal surfaced as an error
    (it can land inside a DuckDB query, "Query interrupted", or crash a Prefect task run, and the
    flow then recorded 'failed')."""
    with connection(db) as con:
        con.execute(
            "UPDATE run_store SET status = ?, finished_at = coalesce(finished_at, updated_at, started_at) "
            "WHERE run_id = ? AND status IN (?, ?)",
            [RunStatus.INTERRUPTED.value, run_id, RunStatus.RUNNING.value, RunStatus.FAILED.value],
        )


def mark_abandoned(con: duckdb.DuckDBPyConnection) -> int:
    """Mark 'running' rows whose process is gone as interrupted; returns how many."""
    rows = con.execute(
        "SELECT run_id, pid, hostname, started_at FROM run_store WHERE status = ?", [RunStatus.RUNNING.value]
    ).fetchall()
    dead = [run_id for run_id, pid, host, started in rows if not process_alive(pid, host, started)]
    for run_id in dead:
        con.execute(
            "UPDATE run_store SET status = ?, finished_at = coalesce(updated_at, started_at) WHERE run_id = ?",
            [RunStatus.INTERRUPTED.value, run_id],
        )
    return len(dead)


def _open_live_or_snapshot(db: str | Path) -> duckdb.DuckDBPyConnection:
    """The live file shows runs in progress; while a run holds it, the snapshot is the fallback."""
    path = Path(db)
    if not path.exists():
        raise DatabaseError(f"no database at {path}: run `dealwatch ingest` or `dealwatch demo` first")
    try:
        return open_db(path, read_only=True, retry_for=3.0)
    except DatabaseError:
        snap = snapshot_path(path)
        if not snap.exists():
            raise
        return duckdb.connect(str(snap), read_only=True)


def list_runs(db: str | Path, limit: int | None = None) -> list[Run]:
    """Every run, newest first (models.Run: the RUN_COLUMNS). A 'running' row whose process is gone
    is reported as 'interrupted' (the next run will record it so)."""
    con = _open_live_or_snapshot(db)
    try:
        (has_view,) = con.execute(
            "SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'runs' AND NOT internal"
        ).fetchone()
        if not has_view:  # a database from before version 6 that no writer has opened since
            return []
        cols = ", ".join(f'runs."{c}"' for c in RUN_COLUMNS)
        sql = (
            f"SELECT {cols}, s.pid, s.hostname FROM runs JOIN run_store s ON s.run_id = runs.run_id "
            "ORDER BY runs.started_at DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = fetch_dicts(con.execute(sql))
    finally:
        con.close()
    out = []
    for row in rows:
        run = Run(**{c: row[c] for c in RUN_COLUMNS})
        run.status = RunStatus(run.status)
        if run.status is RunStatus.RUNNING and not process_alive(row["pid"], row["hostname"], run.started_at):
            run.status = RunStatus.INTERRUPTED
        out.append(run)
    return out


def get_run(db: str | Path, run_id: str) -> Run | None:
    """One run by id (for the line printed when a run is interrupted), or None."""
    return next((r for r in list_runs(db) if r.run_id == run_id), None)
