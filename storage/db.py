"""Opening the DuckDB file: short writer connections with retry, migrations, the read-only snapshot.

DuckDB lets one process hold a read-write connection at a time, and a reader in another process
blocks a writer ("Could not set lock on file"). So writers open late and close early and retry
on that error with backoff, and analysts read a snapshot copy published after each run (see
``publish_snapshot``), which the writer never locks.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import duckdb

SCHEMA_VERSION = 5
LOCK_RETRY_SECONDS = 60.0


class DatabaseError(Exception):
    """The database could not be opened or written; the message says why in plain words."""


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "could not set lock" in text or "conflicting lock" in text or "database is locked" in text


def open_db(path: str | Path, *, read_only: bool = False, retry_for: float = LOCK_RETRY_SECONDS):
    """Open the database, retrying while another process holds the lock.

    A read-write open also applies pending migrations, so every writer sees the current schema.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise DatabaseError(f"no database at {path}: run `dealwatch ingest` or `dealwatch demo` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + retry_for
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                raise DatabaseError(f"cannot open {path}: {exc}") from exc
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 2.0)
    if not read_only:
        try:
            migrate(con)
        except Exception:
            con.close()
            raise
    return con


@contextlib.contextmanager
def connection(path: str | Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection: open, yield, close — so locks are held only as long as needed."""
    con = open_db(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply forward migrations in order, then recreate the analyst views. Returns the version."""
    version = current_version(con)
    for number, sql in _migrations():
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, now())", [number])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = number
    views = (resources.files("storage") / "views.sql").read_text(encoding="utf-8")
    con.execute(views)
    return version


def snapshot_path(path: str | Path) -> Path:
    """Where the read-only copy for analysts lives, beside the database."""
    path = Path(path)
    return path.with_name(path.name + ".snapshot")


def publish_snapshot(path: str | Path) -> Path:
    """Copy the database to ``<db>.snapshot`` atomically, for readers that must never block a run.

    The copy is written to a temporary name and renamed over the old snapshot, so a reader holding
    the old one keeps a consistent file and the next reader sees the new one.
    """
    path = Path(path)
    target = snapshot_path(path)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    # Checkpoint so the WAL is folded into the main file before copying.
    with connection(path) as con:
        con.execute("CHECKPOINT")
        shutil.copyfile(path, tmp)
    os.replace(tmp, target)
    return target


def open_for_reading(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection for analyst commands: the snapshot when it is current, else the file.

    The snapshot is used when it is at least as new as the database, so a query never waits for a
    run in progress; without a snapshot we open the database itself read-only (with retry).
    """
    path = Path(path)
    snap = snapshot_path(path)
    if not path.exists() and not snap.exists():
        raise DatabaseError(f"no database at {path}: run `dealwatch ingest` or `dealwatch demo` first")
    if snap.exists() and (not path.exists() or snap.stat().st_mtime >= path.stat().st_mtime - 1):
        return duckdb.connect(str(snap), read_only=True)
    try:
        return open_db(path, read_only=True, retry_for=5.0)
    except DatabaseError:
        if snap.exists():
            return duckdb.connect(str(snap), read_only=True)
        raise
