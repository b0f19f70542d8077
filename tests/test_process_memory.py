"""The writer's DuckDB settings and the flow process's allocators (storage/process_memory.py):
one writer thread, a large write still lands whole, analysts' reads keep the defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage.db import open_db, open_for_reading, publish_snapshot
from storage.writer import append_rows


def _setting(con, name: str) -> str:
    return con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def test_a_writer_connection_is_bounded(tmp_path: Path) -> None:
    con = open_db(tmp_path / "w.duckdb")
    try:
        assert _setting(con, "allocator_flush_threshold") == "8MB"
        assert _setting(con, "threads") > 1 or (os.cpu_count() or 1) == 1  # its queries keep their threads
    finally:
        con.close()


def test_a_large_write_through_the_writer_settings_is_stored_whole(tmp_path: Path) -> None:
    """~48 MB of rows in one write, as a batch of large pages would be: a memory_limit in the
    writer's settings would fail it (DuckDB cannot spill uncommitted rows past its limit)."""
    db = tmp_path / "big.duckdb"
    con = open_db(db)
    try:
        con.execute("CREATE TABLE blobs (id INTEGER, body VARCHAR)")
        rows = [{"id": i, "body": f"{i:08d}" * 1000} for i in range(6000)]
        assert append_rows(con, "blobs", rows) == 6000
        got = con.execute("SELECT count(*), sum(length(body)), max(id) FROM blobs").fetchone()
    finally:
        con.close()
    assert got == (6000, 6000 * 8000, 5999)


def test_analysts_read_with_the_default_settings(tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    open_db(db).close()
    publish_snapshot(db)
    con = open_for_reading(db)
    try:
        assert _setting(con, "threads") > 1 or (os.cpu_count() or 1) == 1
    finally:
        con.close()


def test_lean_allocators_put_arrow_on_the_system_allocator() -> None:
    """In a fresh process, as the flow's process starts; calling it twice is harmless."""
    code = (
        "import pyarrow as pa\n"
        "from storage.process_memory import lean_allocators\n"
        "lean_allocators(); lean_allocators()\n"
        "t = pa.Table.from_pylist([{'a': 'x' * 100}] * 1000)\n"
        "print(pa.default_memory_pool().backend_name, t.num_rows)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["system", "1000"]
