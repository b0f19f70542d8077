"""The writer's DuckDB settings and the flow process's allocators (storage/process_memory.py):
a large write still lands whole, analysts' reads keep the defaults, freed memory goes back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import open_db, open_for_reading, publish_snapshot
from storage.process_memory import bound_batch
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


def test_a_batch_connection_runs_on_one_thread_and_the_next_instance_has_them_all(tmp_path: Path) -> None:
    """A batch's one-thread setting holds for its own instance only: the connection opened after
    it closes (the reconcile's, publish's) gets DuckDB's threads back."""
    db = tmp_path / "w.duckdb"
    con = open_db(db)
    try:
        bound_batch(con)
        assert _setting(con, "threads") == 1
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range(1000)")
    finally:
        con.close()
    con = open_db(db)
    try:
        assert _setting(con, "threads") > 1 or (os.cpu_count() or 1) == 1
        assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 1000
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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_release_freed_gives_back_memory_freed_between_live_objects() -> None:
    """What the flow's process keeps after a batch: freed blocks between objects still alive,
    which glibc keeps unless trimmed. In a fresh process: ~90 MB of 8 KB blocks, nine in ten freed
    (~75 MB comes back with the trim, none without it)."""
    code = (
        "from storage.process_memory import release_freed\n"
        "def rss():\n"
        "    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) // 1024\n"
        "blocks = [bytearray(8000) for _ in range(12000)]\n"
        "kept = blocks[::10]\n"
        "del blocks\n"
        "before = rss(); release_freed(); release_freed()\n"
        "print(before - rss(), len(kept))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    freed_mb, kept = map(int, out.stdout.split())
    assert kept == 1200
    assert freed_mb > 40


def test_a_run_freezes_the_heap_only_while_it_runs() -> None:
    """What a run's start holds is left out of full collections during the run and given back
    after: garbage made of it meanwhile is collected once the run is over (``serve`` runs many)."""
    import gc
    import weakref

    from storage.process_memory import frozen_heap

    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle alive when the run starts
    gone = weakref.ref(a)
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        del a, b
        gc.collect()
        assert gone() is not None  # frozen: a full pass does not walk it
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_a_worker_reuses_large_blocks_instead_of_mapping_each_anew() -> None:
    """A Dask nanny starts its workers with MALLOC_TRIM_THRESHOLD_ set, which pins glibc's mmap
    threshold at 128 KiB: every larger block (parse + extract make many of 256-512 KiB) was then
    mapped and its pages faulted in anew each time. After worker_allocator such a block comes from
    the heap and its pages are reused. In a fresh process with the nanny's setting, 200 blocks of
    400 KB, each freed behind a small one still alive (as in a busy heap)."""
    code = (
        "import resource\n"
        "from storage.process_memory import worker_allocator\n"
        "def faults():\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "keep = []\n"
        "def churn():\n"
        "    before = faults()\n"
        "    for _ in range(200):\n"
        "        block = bytearray(400_000)\n"
        "        keep.append(bytearray(2000))\n"
        "        del block\n"
        "    return faults() - before\n"
        "plain = churn()\n"
        "worker_allocator()\n"
        "churn()\n"
        "print(plain, churn())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    env["MALLOC_TRIM_THRESHOLD_"] = "65536"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    plain, tuned = map(int, out.stdout.split())
    assert plain > 200 * 90, "each block mapped and faulted in: ~98 pages of 4 KiB"
    assert tuned < plain // 10, (plain, tuned)
