"""How the flow's process keeps its native memory down: its Python objects are ~30-45 MB at
most (tracemalloc, 2,500 articles), yet its RSS grew ~260 -> ~525 MB over a 4,000-article run.
The rest is memory that native allocators kept after use: DuckDB's (its threads, its allocator
flushing only after tasks that peaked over 128 MB), Arrow's (mimalloc, which keeps freed pages
for reuse; every bulk write builds Arrow tables) and glibc's (one arena per thread that ever
contended, up to 8 per core). Measured at 4,000 articles, 2 workers, the flow's process peak:
526 MB as it was; Arrow on the system allocator 491; glibc capped to 2 arenas 494; those two
with the DuckDB settings below (one thread and a 128 MB memory_limit, both since dropped) 458 (bench/RESULTS.md, mem9). None of it changes a result.
A Dask worker's allocator is set here too (worker_allocator): for CPU, with memory near Dask's.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import sys
from collections.abc import Iterator

#: Settings of every read-write DuckDB connection (the single writer): the allocator flushed after
#: any task that peaked over 8 MB instead of 128 MB. Not one thread: the reconcile's and publish's
#: queries run on DuckDB's threads, and the one 10,000-article run with it read them slower (full
#: reconcile 2.94 s, publish 2.2 s; 2.52 and 2.0 without it, 1.85 and 1.4 before mem9: not conclusive).
#: No memory_limit: DuckDB fails a write whose uncommitted rows exceed it (tested: 48 MB of rows
#: under a 16 MB limit, "failed to pin block"), and a batch of large pages could; the buffer pool
#: held only ~15 MB anyway (duckdb_memory() after a full reconcile of 4,000 articles).
WRITER_SETTINGS = {"allocator_flush_threshold": "8MB"}
#: Settings of a batch's writer connection while the run still has batches to fetch: one DuckDB
#: thread, so its inserts and the checkpoint at its close build one thread's state at a time. Not
#: on the last batch's connection, which the reconcile and publish read through (their queries
#: ran slower on one thread, mem9). 10,000 articles, 2 workers: the
#: flow process peak 598 -> 576 and 589 -> 574 MB, with workers 1,002 -> 981 and 1,001 -> 981, the
#: run as fast (mem12, two loaded pairs side by side).
BATCH_SETTINGS = {"threads": "1"}
#: glibc's mallopt parameter for the most arenas (malloc.h's M_ARENA_MAX) and the cap set here.
_M_ARENA_MAX = -8
ARENAS = 2
#: glibc's mallopt parameter for the size from which an allocation gets its own mapping
#: (malloc.h's M_MMAP_THRESHOLD), and the size set on Dask workers (worker_allocator).
_M_MMAP_THRESHOLD = -3
WORKER_MMAP_THRESHOLD = 4 * 1024 * 1024


def bound_writer(con) -> None:
    """Apply WRITER_SETTINGS to a read-write connection (they hold for its whole database
    instance in this process, so every connection to the file shares them)."""
    _apply(con, WRITER_SETTINGS)


def bound_batch(con) -> None:
    """Apply BATCH_SETTINGS to a batch's own connection (they hold for its database instance,
    which closes with the batch)."""
    _apply(con, BATCH_SETTINGS)


def _apply(con, settings: dict[str, str]) -> None:
    for name, value in settings.items():
        con.execute(f"SET {name} = '{value}'")


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library, looked up once per process: ``find_library`` runs ``ldconfig -p`` in a
    subprocess (~4 ms), and release_freed is called after every batch."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def release_freed() -> None:
    """Hand glibc's free pages back to the system (malloc_trim) after a batch's connection has
    closed: at 4,000 articles the flow's peak 487 -> 469 MB (its floor between batches ~7 MB
    lower). Only a saving: where glibc is not the allocator, nothing happens."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            _libc().malloc_trim(0)


def lean_allocators() -> None:
    """Arrow on the system allocator, glibc's arenas capped: once per process, before a run's
    writes; where either is unavailable (another libc, another Arrow build) nothing changes."""
    with contextlib.suppress(Exception):
        import pyarrow as pa

        if pa.default_memory_pool().backend_name != "system":
            pa.set_memory_pool(pa.system_memory_pool())
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            _libc().mallopt(_M_ARENA_MAX, ARENAS)


def worker_allocator() -> None:
    """On a Dask worker, before its first chunk: allocations under WORKER_MMAP_THRESHOLD come from
    the heap, not a mapping of their own. A nanny starts its workers with MALLOC_TRIM_THRESHOLD_
    set (Dask's default, 65536, so that they hand freed memory back at once), which also fixes
    glibc's mmap threshold at 128 KiB: each of parse + extract's many 256-512 KiB arrays was then
    mapped, faulted in page by page and unmapped. Parse + gate + extract of 1,000 bench pages in
    one process: 14.5-15.0 CPU-s so, 13.5-13.8 with this (13.5-13.7 with glibc's defaults), and
    the 2-worker runs' work cost 8-11% more than the 1-worker run's, done in the flow's process
    with glibc's defaults. Memory stays near Dask's: RSS over the chunks mean 177 MB, 90th
    percentile 189-190, against 172 and 185 with the 128 KiB threshold and 178 and 194-195 with
    glibc's defaults (with release_freed after each chunk: parse_and_extract_on_worker)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            _libc().mallopt(_M_MMAP_THRESHOLD, WORKER_MMAP_THRESHOLD)


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Python's collector leaves the objects alive when a run starts (Prefect's, Dask's,
    the flow's modules: ~380k) out of its full passes until the run ends. Each full pass walked them all: one
    fell in the run's tail at 1,000 articles, 0.18 CPU-s on the critical path, with the workers idle
    (gc.callbacks, lead, round 12). Unfrozen after the run, so a long-lived process (``serve``)
    collects whatever of them died meanwhile; nothing is lost, a full pass is only cheaper."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
