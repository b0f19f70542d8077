"""Where a run's heavy work goes: this process, or Dask workers through Prefect's DaskTaskRunner.

The split: fetching stays in the flow's own process, and parse + gate + extract (about two
thirds of a run's CPU) go to workers in chunks. Fetching waits on the network and on per-host
delays, not on a core, so one process keeps up with many hosts — and because only that process
talks to the web, per-host delays and robots.txt hold across all workers with no coordination.
One writer (the flow) stores the chunks' results into DuckDB in the order of the sources, so the
database is the same with 1 or N workers. On a scheduler named by address, the workers (idle until
the first chunk) also parse the run's feeds while the flow fetches (BatchRunner.offload).

``workers <= 1`` and no address: chunks run in this process as plain Prefect tasks (tests, small
runs). Otherwise chunks are plain Dask tasks submitted through the client of prefect-dask's
DaskTaskRunner, on a LocalCluster of ``workers`` single-threaded processes made and closed here,
or on the scheduler at ``dask_address`` (``tcp://HOST:PORT``, also read from
DEALWATCH_DASK_ADDRESS) that someone else runs.

Why not one Prefect task run per chunk on that runner (the first design): each such task run cost ~0.2 CPU-s of orchestration spread over the flow's process, the worker's task engine
and Prefect's API server (measured: 16 one-page chunks on 2 workers, 3.29 CPU-s vs 0.16 CPU-s as
plain Dask tasks), ~10% of a 125-document chunk's work, and every worker imported Prefect. The
flow, its fetch and writer stages stay Prefect tasks; the chunks' timings and worker names
join the run's metrics and summary as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.batch_work import WorkDone, parse_and_extract, parse_and_extract_on_worker, warm_worker
from flows.source_formats import warm_feeds
from storage.process_memory import worker_allocator
from storage.raw_document import RawDocument

#: Documents per worker task (~2 CPU-s of work). Smaller chunks start both workers on the first
#: (half) batch and even out the end of a run (250: one worker idled for most of a chunk). Fixed,
#: not derived from the worker count, so every worker count extracts exactly the same chunks.
WORK_CHUNK = 125
#: The run's last batch is cut into chunks that shrink toward its end (guided self-scheduling):
#: each is a TAIL_SHARE-th of what is left of the batch, at least TAIL_MIN documents, at most
#: WORK_CHUNK. A worker that finishes early then takes a small chunk instead of idling while
#: another ends a 125-document one (measured: the two workers of a 1,000-article run ended ~2 s
#: apart with two 125-document chunks last). Depends on the batch alone, not the worker count.
#: TAIL_MIN was 16: a document costs 3 ms or 100 ms (a page the gate rejects, or a deal read by
#: spaCy), so a last chunk of 16-26 could still take 0.7 s while the other worker idled (ends
#: 0.65-0.82 s apart in 2 of 9 quiet runs at 1,000 articles); at 4 they ended 0-0.12 s apart in
#: 5 of 5. Each extra chunk costs a task (~4 ms in one process, less on a worker).
TAIL_SHARE = 4
TAIL_MIN = 4
#: Chunks' worth of documents below which a run stays in this process (500 documents: a
#: cluster's start and warm-up cost more than such a run).
SMALL_RUN_CHUNKS = 4
#: Chunks in flight per worker: one running, one queued, so a worker never waits on the writer.
AHEAD_PER_WORKER = 2
#: Bodies above this many bytes are parsed in this process: Dask warns about a task graph of
#: ~10 MB, and the time to send such a body is not worth saving.
OFFLOAD_MAX_BYTES = 4_000_000
#: Seconds to wait for a scheduler named by --dask-address before saying it cannot be reached.
CONNECT_TIMEOUT = 20


class DaskUnavailable(Exception):
    """The Dask scheduler named by the user cannot be reached (one clear line for the CLI)."""


class Parcel:
    """Documents handed to a task as one opaque value: Prefect walks dataclasses and lists in task
    parameters looking for futures (~0.25 s per 1,000 articles), but not inside a plain object."""

    __slots__ = ("docs",)

    def __init__(self, docs: list[RawDocument]) -> None:
        self.docs = docs

    def __getstate__(self) -> list[RawDocument]:
        return self.docs

    def __setstate__(self, docs: list[RawDocument]) -> None:
        self.docs = docs


@task(name="parse-and-extract", cache_policy=NO_CACHE, retries=0)
def work_task(parcel: Parcel) -> WorkDone:
    return parse_and_extract(parcel.docs)


@dataclass
class Early:
    """A chunk sent to a worker before its batch was stored (flows.head_start)."""

    docs: list[RawDocument]
    handle: Any


@dataclass
class _Done:
    """An in-process chunk: already computed when submitted."""

    value: WorkDone

    def result(self) -> WorkDone:
        return self.value


class BatchRunner:
    """Submits chunks of documents to parse + extract; ``result()`` on what it returns waits for one."""

    def __init__(self, dask_client: Any = None, workers: int = 1, start_s: float = 0.0) -> None:
        self._dask = dask_client
        self.workers = max(1, workers)
        self.start_seconds = start_s  # connecting (and starting a local cluster, warming its workers)

    @property
    def distributed(self) -> bool:
        return self._dask is not None

    @property
    def in_flight_limit(self) -> int:
        """Chunks the flow may have submitted and not yet written (0: write each at once)."""
        return AHEAD_PER_WORKER * self.workers if self._dask is not None else 0

    async def offload(self, func: Any, *args: Any) -> Any:
        """``func(*args)`` on a worker, awaited without blocking this process's event loop: the
        run's feeds are parsed on the workers, idle before the first chunk, while this process
        fetches (flows.sources Offload). Here when there are no workers or the body is large,
        and again here when it fails there: a lost worker must not lose a source (``func``'s own
        error is raised here once more, the same)."""
        size = sum(len(a) for a in args if isinstance(a, bytes))
        if self._dask is None or size > OFFLOAD_MAX_BYTES:
            return func(*args)
        try:
            future = self._dask.submit(func, *args, pure=False)
            return await asyncio.get_running_loop().run_in_executor(None, future.result)
        except Exception:  # noqa: BLE001 - whatever went wrong there, here decides
            return func(*args)

    def submit(
        self, docs: list[RawDocument], last: bool = False, early: list[Early] | None = None
    ) -> list[Any]:
        """One handle per chunk (chunk_sizes), in order; ``last``: the run's last batch. ``early``:
        chunks sent ahead (send_ahead) in order; each is kept where it is exactly the chunk made
        here, and from the first that is not, the rest are cancelled (flows.head_start)."""
        chunks, start = [], 0
        for size in chunk_sizes(len(docs), last):
            chunks.append(docs[start : start + size])
            start += size
        if self._dask is None:
            return [_Done(work_task(Parcel(c))) for c in chunks]
        ahead = list(early or [])
        kept = 0
        while kept < min(len(ahead), len(chunks)) and ahead[kept].docs == chunks[kept]:
            kept += 1
        for sent in ahead[kept:]:
            sent.handle.cancel()
        # pure=False: two chunks of equal documents (a refetch) are still two tasks.
        return [e.handle for e in ahead[:kept]] + [self._send(c) for c in chunks[kept:]]

    def send_ahead(self, docs: list[RawDocument]) -> Early:
        """``docs`` to a worker now, before their batch is stored (``submit``'s ``early``)."""
        chunk = list(docs)
        return Early(chunk, self._send(chunk))

    def _send(self, docs: list[RawDocument]) -> Any:
        assert self._dask is not None
        return self._dask.submit(parse_and_extract_on_worker, docs, pure=False)


def chunk_sizes(n: int, last: bool = False) -> list[int]:
    """Sizes of the chunks ``n`` documents are cut into: WORK_CHUNK each, or for the run's last
    batch shrinking ones (TAIL_SHARE). The same with 1 or N workers, so both extract the same chunks."""
    sizes: list[int] = []
    left = n
    while left > 0:
        size = -(-left // TAIL_SHARE) if last else WORK_CHUNK
        size = min(left, WORK_CHUNK, max(size, TAIL_MIN))
        if left - size < TAIL_MIN:  # no sliver of a chunk at the very end
            size = min(left, WORK_CHUNK)
        sizes.append(size)
        left -= size
    return sizes


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C, so ``finally`` blocks close the cluster and no worker
    process outlives the command. A handler someone else installed is left in charge."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if callable(previous):
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask's start/stop chatter (INFO lines, a worker's heartbeat failing while the cluster shuts
    down) is not news for a user; errors still show. Workers started here inherit the setting."""
    logger = logging.getLogger("distributed")
    level = logger.level
    env = os.environ.get("DASK_LOGGING__DISTRIBUTED")
    logger.setLevel(logging.ERROR)
    os.environ["DASK_LOGGING__DISTRIBUTED"] = "error"
    try:
        yield
    finally:
        logger.setLevel(level)
        if env is None:
            os.environ.pop("DASK_LOGGING__DISTRIBUTED", None)
        else:
            os.environ["DASK_LOGGING__DISTRIBUTED"] = env


#: Dask's housekeeping intervals for the clusters made here. Defaults (a 20 ms event-loop tick, a
#: 500 ms system monitor, a 100 ms memory monitor, a 10 ms profiler) feed the dashboard, which
#: these clusters do not start; they cost an idle 2-worker cluster 1.29 CPU-s per 15 s, a tenth of
#: a core, and 0.16 s with these (measured on the 2-core machine).
LEAN_DASK = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,
}


@contextlib.contextmanager
def _lean_dask() -> Iterator[None]:
    """LEAN_DASK for this process and, through the environment, for the worker processes it
    starts (each reads its configuration when it imports Dask)."""
    import dask

    env = {"DASK_" + k.upper().replace(".", "__").replace("-", "_"): str(v) for k, v in LEAN_DASK.items()}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with dask.config.set(LEAN_DASK):
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def batch_runner(
    workers: int = 1, dask_address: str | None = None, documents: int | None = None
) -> Iterator[BatchRunner]:
    """A BatchRunner for this flow run; a LocalCluster made here is closed on the way out, whatever
    ends the run (an error, Ctrl-C, SIGTERM).

    A run of fewer than SMALL_RUN_CHUNKS chunks' ``documents`` stays in this process: starting worker processes
    and loading spaCy in each costs more than such a run (a scheduled run that finds a few new items).
    """
    small = documents is not None and documents < SMALL_RUN_CHUNKS * WORK_CHUNK
    if not dask_address and (workers <= 1 or small):
        yield BatchRunner()
        return
    t0 = time.perf_counter()
    with contextlib.ExitStack() as stack:
        address = dask_address or stack.enter_context(local_cluster(workers))
        client = stack.enter_context(_client(address))
        warmed = _warm(client)
        yield BatchRunner(client, len(warmed) or workers, time.perf_counter() - t0)


@contextlib.contextmanager
def _client(address: str) -> Iterator[Any]:
    """The Dask client of prefect-dask's DaskTaskRunner on the scheduler at ``address``;
    DaskUnavailable when it cannot be reached. Chunks go through it as plain functions: the
    runner's client makes a Prefect ``Task`` a task run (~0.2 CPU-s of orchestration each) and
    anything else a plain Dask task, which is what a 125-document chunk should cost."""
    from prefect_dask import DaskTaskRunner

    with DaskTaskRunner(address=address, client_kwargs={"timeout": CONNECT_TIMEOUT}) as runner:
        try:
            client = runner.client
        except (OSError, TimeoutError) as exc:
            raise DaskUnavailable(f"cannot use the Dask scheduler at {address}: {exc}") from None
        yield client


def warm_workers(address: str) -> dict[str, str]:
    """Load spaCy (and feedparser: BatchRunner.offload) on every worker of the scheduler at
    ``address`` (a no-op where it is loaded)."""
    with _client(address) as client:
        return _warm(client)


def _warm(client: Any) -> dict[str, str]:
    """feedparser (BatchRunner.offload) and spaCy loaded on every worker of ``client``'s scheduler,
    a cluster made here or one someone else runs, its allocator set for the chunks first
    (worker_allocator); worker address -> its process id."""
    client.run(worker_allocator)
    client.run(warm_feeds)
    return client.run(warm_worker)


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[str]:
    """A LocalCluster of ``workers`` single-threaded processes on this machine; yields its scheduler
    address and closes it on the way out (an error, Ctrl-C or SIGTERM included)."""
    from distributed import LocalCluster

    with _terminate_as_interrupt(), _quiet_dask(), _lean_dask():
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        try:
            warm_workers(cluster.scheduler_address)
            yield cluster.scheduler_address
        finally:
            cluster.close()
