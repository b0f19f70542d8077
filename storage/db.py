"""Opening the DuckDB file: short writer connections with retry, migrations, the read-only snapshot.

DuckDB lets one process hold a read-write connection at a time, and a reader in another process
blocks a writer ("Could not set lock on file"). So writers open late and close early and retry
on that error with backoff, and analysts read a snapshot copy published after each run (see
``publish_snapshot``), which the writer never locks.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb

from storage.process_memory import bound_writer

SCHEMA_VERSION = 12
#: A DuckDB connection, as the stages that write through one they are handed name it.
Connection = duckdb.DuckDBPyConnection
LOCK_RETRY_SECONDS = 60.0


class DatabaseError(Exception):
    """The database could not be opened or written; the message says why in plain words."""


@lru_cache(maxsize=1)
def _migrations() -> list[tuple[int, str]]:
    """The package's migrations, read once per process (every read-write open asks)."""
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


def open_db(
    path: str | Path,
    *,
    read_only: bool = False,
    retry_for: float = LOCK_RETRY_SECONDS,
    config: dict | None = None,
):
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
            con = duckdb.connect(str(path), read_only=read_only, config=config or {})
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                raise DatabaseError(f"cannot open {path}: {exc}") from exc
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 2.0)
    if not read_only:
        try:
            bound_writer(con)
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


def fetch_dicts(cur: Connection) -> list[dict]:
    """The rows of an executed query as dicts keyed by column name: readers name what they read."""
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@contextlib.contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """BEGIN … COMMIT on a connection a caller hands down; ROLLBACK when anything raises, so the
    connection stays usable (and a killed run leaves nothing half-written)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        # An interrupted query may have ended the transaction already; the original error (or the
        # KeyboardInterrupt) is what the caller must see, never a failed ROLLBACK.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    try:  # a statement less per open than CREATE TABLE IF NOT EXISTS first (every open asks)
        (version,) = con.execute("SELECT max(version) AS version FROM schema_version").fetchone()
    except duckdb.CatalogException:
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP)")
        return 0
    return int(version) if version is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply forward migrations in order, then the analyst views when they need it. Returns the version."""
    version = current_version(con)
    ran = False
    for number, sql in _migrations():
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, now())", [number])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version, ran = number, True
    apply_views(con, force=ran)
    return version


def apply_views(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """Recreate the analyst views when a migration ran (``force``) or views.sql changed since they
    were last applied (its hash is kept in ``view_state``); True when they were recreated.

    Recreating them on every read-write connection cost a catalog write per connection."""
    views, digest = _views()
    (applied,) = con.execute(
        "SELECT max_by(views_sha256, applied_at) AS views_sha256 FROM view_state"
    ).fetchone()
    if not force and applied == digest:
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(views)
        con.execute("DELETE FROM view_state")
        con.execute("INSERT INTO view_state (views_sha256, applied_at) VALUES (?, now())", [digest])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


@lru_cache(maxsize=1)
def _views() -> tuple[str, str]:
    """views.sql and its hash, read once per process."""
    views = (resources.files("storage") / "views.sql").read_text(encoding="utf-8")
    return views, hashlib.sha256(views.encode()).hexdigest()


def snapshot_path(path: str | Path) -> Path:
    """Where the read-only copy for analysts lives, beside the database."""
    path = Path(path)
    return path.with_name(path.name + ".snapshot")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def remove_stale_snapshot_copies(path: str | Path) -> list[Path]:
    """Delete ``<db>.snapshot.tmp<PID>`` files left by runs that were killed mid-copy.

    A copy whose PID is still alive belongs to a run publishing right now and is left alone.
    """
    target = snapshot_path(path)
    removed = []
    for tmp in target.parent.glob(glob.escape(target.name) + ".tmp*"):
        suffix = tmp.name[len(target.name) + 4 :]
        if suffix.isdigit() and int(suffix) != os.getpid() and _pid_alive(int(suffix)):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def publish_snapshot(path: str | Path) -> Path:
    """Copy the database to ``<db>.snapshot`` atomically, for readers that must never block a run.

    The copy is written to a temporary name and renamed over the old snapshot, so a reader holding
    the old one keeps a consistent file and the next reader sees the new one. A copy that fails
    half-way is removed, and so are copies left by killed runs.
    """
    path = Path(path)
    target = snapshot_path(path)
    remove_stale_snapshot_copies(path)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    try:
        # Checkpoint so the WAL is folded into the main file before copying.
        with connection(path) as con:
            con.execute("CHECKPOINT")
            shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


#: The analyst connection (`dealwatch sql` and every reader): no file or network access beyond
#: the database itself (no ATTACH, COPY TO, read_csv/read_text of paths, INSTALL/LOAD), and a
#: configuration nobody can change back with SET/RESET/PRAGMA.
ANALYST_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def _note(message: str) -> None:
    print(f"dealwatch: note: {message}", file=sys.stderr)


def _open_snapshot(snap: Path, db: Path | None) -> duckdb.DuckDBPyConnection:
    """The snapshot, locked down and checked: a copy newer than the database must have its size
    (else it is torn), and it must hold the views (an empty or foreign file fails here)."""
    if db is not None and db.exists():
        s, d = snap.stat(), db.stat()
        if s.st_mtime > d.st_mtime and s.st_size != d.st_size:
            raise duckdb.IOException(f"{s.st_size:,} bytes against the database's {d.st_size:,}")
    con = duckdb.connect(str(snap), read_only=True, config=ANALYST_CONFIG)
    try:
        con.execute("SELECT * FROM deals LIMIT 0").fetchall()
    except Exception:
        con.close()
        raise
    return con


def open_for_reading(path: str | Path, on_note: Callable[[str], None] = _note) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down connection for analyst commands: the snapshot when it is
    current and readable, else the database file itself.

    The snapshot is used when it is at least as new as the database, so a query never waits for a
    run in progress; without a usable snapshot we open the database itself read-only (with retry).
    An empty, torn or corrupt snapshot is reported once through ``on_note`` and skipped.
    """
    path = Path(path)
    snap = snapshot_path(path)
    if not path.exists() and not snap.exists():
        raise DatabaseError(f"no database at {path}: run `dealwatch ingest` or `dealwatch demo` first")
    broken = False
    if snap.exists() and (not path.exists() or snap.stat().st_mtime >= path.stat().st_mtime - 1):
        try:
            return _open_snapshot(snap, path)
        except duckdb.Error as exc:
            broken = True
            why = str(exc).splitlines()[0]
        if not path.exists():
            raise DatabaseError(f"the snapshot {snap} is unreadable ({why}) and {path} is missing")
        on_note(f"the snapshot {snap} is unreadable ({why}); reading the database itself")
    try:
        return open_db(path, read_only=True, retry_for=5.0, config=ANALYST_CONFIG)
    except DatabaseError:
        if snap.exists() and not broken:  # the database is locked by a run: an older copy will do
            with contextlib.suppress(duckdb.Error):
                return _open_snapshot(snap, None)
        raise


def query_error(exc: Exception) -> str:
    """One line for a failed analyst query; what the read-only guard refused says so."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    refused = isinstance(exc, duckdb.PermissionException) or any(
        marker in first
        for marker in ("configuration has been locked", "read-only mode", "attached in read-only")
    )
    if refused:
        return (
            "refused: queries are read-only (no writes, ATTACH, COPY, file reads, extensions or "
            f"settings): {first}"
        )
    return f"query failed: {first}"
