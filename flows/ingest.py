"""The Prefect flow ``ingest``: fetch → parse → dedupe → extract → store → reconcile → publish.

Tasks are coarse — one per stage, extraction per batch of articles — because a Prefect task costs
milliseconds of orchestration while an article costs microseconds to parse: one task per article
would spend more time in Prefect than in the work. Tasks call plain functions in flows.stages.
Batches are passed ``quote``d: Prefect otherwise walks every argument looking for futures, which
cost ~0.25 s per task for 1,000 articles.
"""

from __future__ import annotations

import collections
import contextlib
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from extractors.models import RunStatus
from extractors.pipeline import EXTRACTOR_VERSION, extract_articles
from flows import stages
from flows.checkpoints import checkpoint_while_working, kept_open
from flows.head_start import HeadStart, both
from flows.interrupts import pause_point
from flows.parallel import BatchRunner, batch_runner
from flows.progress import RunProgress
from flows.run_context import RunContext
from flows.source_types import Offload
from flows.sources import load_sources_file
from flows.summary import RunSummary, render_summary
from storage.db import Connection, connection, publish_snapshot, snapshot_path
from storage.process_memory import bound_batch, frozen_heap, lean_allocators, release_freed
from storage.raw import load_raw, pending_raw
from storage.reconcile_db import reconcile_database
from storage.runs import end_run, start_run, update_run

EXTRACT_BATCH = 200
#: Documents fetched, parsed and extracted together; bounds the memory a run holds.
INGEST_BATCH = 500

Progress = RunProgress


@task(name="plan-sources", cache_policy=NO_CACHE, retries=0)
def plan_task(
    specs: list, ctx: RunContext, db_path: str, refetch: bool, item_limit: int, offload: Offload | None = None
) -> stages.Plan:
    return stages.plan_sources(specs, ctx, db_path, refetch=refetch, item_limit=item_limit, offload=offload)


@task(name="collect-batch", cache_policy=NO_CACHE, retries=0)
def collect_task(plan: stages.Plan, items: list, ctx: RunContext, first: bool, on_done) -> stages.Collected:
    return stages.collect_batch(plan, items, ctx, first=first, on_done=on_done)


@task(name="store-raw", cache_policy=NO_CACHE)
def store_raw_task(con: Connection, run_id: str, collected: stages.Collected, refetch: bool):
    return stages.store_raw(con, run_id, collected, EXTRACTOR_VERSION, refetch=refetch)


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(docs):
    return stages.parse_docs(docs)


@task(name="dedupe-and-store-articles", cache_policy=NO_CACHE)
def store_articles_task(con: Connection, parsed, dedupe: stages.RunDedupe, keys_of=None):
    return stages.store_articles(con, parsed, dedupe, version=EXTRACTOR_VERSION, keys_of=keys_of)


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_task(articles):
    return extract_articles(articles)


@task(name="store-extraction", cache_policy=NO_CACHE)
def store_extraction_task(con: Connection, results, raw_ids: list[str]):
    return stages.store_extraction(con, results, EXTRACTOR_VERSION, raw_ids)


@task(name="reconcile", cache_policy=NO_CACHE)
def reconcile_task(db_path: str):
    t0, cpu0 = time.perf_counter(), time.process_time()
    with connection(db_path) as con:
        stats = reconcile_database(con)
    # the reconcile itself, without the task's bookkeeping (the benchmark's F, bench/measure.py)
    stats.seconds, stats.cpu_seconds = time.perf_counter() - t0, time.process_time() - cpu0
    # "updated" means a value changed, not merely that the deal was seen again.
    return stats, stats.new_ids, stats.changed


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(db_path: str, summary: RunSummary) -> str:
    with connection(db_path) as con:
        end_run(con, summary.run_id, RunStatus.COMPLETED, summary.to_dict())
    snapshot = str(publish_snapshot(db_path))
    create_markdown_artifact(
        key="dealwatch-run-summary",
        markdown="```\n" + render_summary(summary) + "\n```",
        description=f"dealwatch run {summary.run_id}",
    )
    return snapshot


def batch_size(name: str, default: int) -> int:
    """A batch size, overridable by DEALWATCH_<NAME>_BATCH (small batches make a run's stages
    visible one by one, which the interruption tests rely on)."""
    value = os.environ.get(f"DEALWATCH_{name}_BATCH", "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def extract_and_store(
    con: Connection, stored: stages.Stored, summary: RunSummary, progress: Progress
) -> None:
    articles = stored.to_extract
    size = batch_size("EXTRACT", EXTRACT_BATCH)
    progress.expect("extract", len(articles), more=True)
    for i, batch in enumerate(stages.batched(articles, size)):
        results = extract_task(quote(batch))
        mentions, _ = store_extraction_task(quote(con), quote(results), stored.raw_ids_of(batch))
        summary.deal_articles += sum(1 for r in results if r.is_deal_relevant)
        summary.mentions += mentions
        progress.advance("extract", len(batch))
        progress(f"extracted {min((i + 1) * size, len(articles))}/{len(articles)} articles")


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def source_names(specs: list) -> list[str]:
    return [s if isinstance(s, str) else (s.name or s.url) for s in specs]


@flow(name="ingest", log_prints=False)
def ingest(
    sources: list[str] | None = None,
    db_path: str = "dealwatch.duckdb",
    sources_file: str | None = None,
    allow_private: bool = False,
    refetch: bool = False,
    policy_overrides: dict[str, Any] | None = None,
    quiet: bool = False,
    max_items_per_source: int = 1000,
    run_id: str | None = None,
    announce: bool = False,
    workers: int = 1,
    dask_address: str | None = None,
    context: RunContext | None = None,
) -> RunSummary:
    """Ingest SOURCES (and/or the entries of sources_file) into db_path and reconcile every deal.

    Parameters stay JSON-friendly so the same flow can be served on a schedule;
    ``policy_overrides`` sets FetchPolicy fields (e.g. ``{"per_host_delay": 0}`` for a local site).
    ``run_id`` lets a caller name the run, to read its row in `runs` if it is interrupted;
    ``announce`` prints the run's start, end and summary with times (scheduled runs).
    ``workers`` > 1 parses and extracts on a local Dask cluster of that many processes, and
    ``dask_address`` on an existing one (flows.parallel); the results are the same.
    ``context``: the run's state (flows.run_context) when the caller made it, e.g. with its own
    HTTP transport; otherwise a fresh one from ``allow_private`` and ``policy_overrides``.
    """
    lean_allocators()  # the flow's process writes and publishes: see storage/process_memory.py
    specs: list = list(sources or [])
    if sources_file:
        specs += load_sources_file(Path(sources_file))
    progress = RunProgress(quiet)
    ctx = context or RunContext.for_run(allow_private, policy_overrides)
    summary = new_summary(ctx, run_id, source_names(specs), db_path)
    run = tracked_run(db_path, ctx, summary, "ingest", announce)
    with (
        run,
        frozen_heap(),
        contextlib.closing(progress),
        contextlib.ExitStack() as held,
    ):  # held: fetch_and_process
        planned = planned_runner(
            specs, ctx, db_path, refetch, max_items_per_source, progress, workers, dask_address
        )
        with planned as (plan, runner):
            fetch_and_process(plan, ctx, summary, progress, refetch, runner, held)
        finish_leftovers(db_path, ctx, summary, progress)
        return finish_run(db_path, ctx, summary, progress)


@contextlib.contextmanager
def planned_runner(
    specs: list,
    ctx: RunContext,
    db_path: str,
    refetch: bool,
    item_limit: int,
    progress: Progress,
    workers: int,
    dask_address: str | None,
) -> Iterator[tuple[stages.Plan, BatchRunner]]:
    """The run's plan and the runner for its documents. A scheduler named by ``dask_address`` is
    connected to first, so its workers, idle until the first chunk, parse the feeds
    (BatchRunner.offload) while this process fetches; a local cluster starts only once the plan
    says the run is not small (batch_runner)."""
    with contextlib.ExitStack() as stack:
        runner = stack.enter_context(batch_runner(workers, dask_address)) if dask_address else None
        offload = runner.offload if runner is not None else None
        with ctx.metrics.stage("fetch"):
            progress(f"reading {len(specs)} source(s)")
            plan = plan_task(quote(specs), quote(ctx), db_path, refetch, item_limit, quote(offload))
        if plan.pending:
            progress(f"{len(plan.pending)} document(s) stored by an interrupted run will be finished")
        if runner is None:
            documents = len(plan.expanded.items)
            runner = stack.enter_context(batch_runner(workers, dask_address, documents=documents))
        ctx.metrics.add_seconds("start workers", runner.start_seconds)
        yield plan, runner


def new_summary(ctx: RunContext, run_id: str | None, sources: list[str], db_path: str) -> RunSummary:
    """The run's summary, started now by the run's clock; its stage seconds and work counts are
    the run's metrics (the same dicts), so what the metrics measure is what the summary reports."""
    return RunSummary(
        run_id=run_id or new_run_id(),
        started_at=ctx.clock(),
        sources=sources,
        db_path=db_path,
        stage_seconds=ctx.metrics.stage_seconds,
        work_counts=ctx.metrics.work_counts,
    )


def fetch_and_process(
    plan: stages.Plan,
    ctx: RunContext,
    summary: RunSummary,
    progress: Progress,
    refetch: bool,
    runner: BatchRunner,
    held: contextlib.ExitStack | None = None,
) -> None:
    """Fetch → store one batch at a time, so memory stays flat however many articles the sources
    name; parse + extract go to the runner (flows.parallel) while this process fetches the next
    batch, and the single writer stores each batch's results in order. The run's row in `runs` is
    refreshed after each batch. Each batch opens one database connection, after its fetch (no
    lock is held while waiting on the network), for all of its writes.

    ``held``: from the last batch on, a connection is kept open there until the caller closes it,
    so the last batch's writes, the reconcile's and the run's end reach the file in one checkpoint
    (at the snapshot) instead of one per connection closed (measured: 0.26 s for the last batch's
    close alone, at 1,000 articles, on the run's critical path: no chunk is left to overlap it);
    with workers, most of that checkpoint is done while they run the last batch
    (checkpoint_while_working).
    The first batch's full chunks go to the workers while it is fetched (flows.head_start)."""
    db_path = plan.db_path
    items = plan.expanded.items
    batches = ingest_batches(items, batch_size("INGEST", INGEST_BATCH))
    dedupe = stages.RunDedupe()
    seen = 0
    pending: collections.deque[Submitted] = collections.deque()
    progress.expect("fetch", len(items))
    for n, batch in enumerate(batches):
        last = n == len(batches) - 1
        head = HeadStart(runner, plan, batch) if n == 0 and not last else None
        with ctx.metrics.stage("fetch"):
            advance = both(lambda _r: progress.advance("fetch"), head and head.on_done)
            collected = collect_task(quote(plan), quote(batch), quote(ctx), n == 0, quote(advance))
            summary.problems += collected.problems
            summary.failed += collected.failed
            summary.fetched += len(collected.docs)
            summary.resumed += sum(1 for d in collected.docs if d.resumed)
        with connection(db_path) as con:
            if not last:
                bound_batch(con)
            elif held is not None:
                held.enter_context(kept_open(db_path))
            with ctx.metrics.stage("store"):
                to_parse, unchanged, failed = store_raw_task(
                    quote(con), summary.run_id, quote(collected), refetch
                )
                summary.unchanged += unchanged
                summary.failed += failed
            seen += len(batch)
            progress.advance("fetch", to=seen)
            progress(f"stored {seen}/{len(items)} document(s); {len(to_parse)} of this batch to process")
            pause_point("store")
            early = head.early if head else None
            pending.append(Submitted(to_parse, runner.submit(to_parse, last=last, early=early)))
            if last and runner.distributed:  # the workers hold the last batch: write, then fold the log
                while len(pending) > 1:
                    write_submitted(con, ctx, pending.popleft(), summary, progress, dedupe)
                checkpoint_while_working(con, ctx)
            while pending and sum(len(p.handles) for p in pending) > runner.in_flight_limit:
                write_submitted(con, ctx, pending.popleft(), summary, progress, dedupe)
            progress(
                f"batch {n + 1}/{len(batches)}: fetched {summary.fetched} document(s), "
                f"{len(summary.failed)} failed, {summary.unchanged} unchanged since the last run"
            )
            save_progress(con, summary)
            # Freed memory handed back before the close's checkpoint, the flow's peak at 10,000
            # articles (579 -> 564 MB): it stacks on whatever the batch left unreturned.
            release_freed()
        del collected, to_parse
        release_freed()  # the batch's bodies and its connection's buffers are gone by now
        pause_point("batch")  # before the next batch's fetch
    with connection(db_path) as con:
        while pending:
            write_submitted(con, ctx, pending.popleft(), summary, progress, dedupe)
        save_progress(con, summary)


def ingest_batches(items: list, size: int) -> list[list]:
    """Batches of ``size`` items, the first only half as long: the workers start on it while
    the next batch is fetched, instead of waiting for a whole batch (the same batches with 1 or
    N workers, so dedupe sees the same order). Smaller first batches (an eighth, doubling) did
    not start the workers sooner (start11, measured)."""
    first = max(1, size // 2)
    return [items[:first], *stages.batched(items[first:], size)] if items else [[]]


def finish_leftovers(db_path: str, ctx: RunContext, summary: RunSummary, progress: Progress) -> None:
    """Documents an interrupted run stored but never processed, which this run's sources no
    longer name (a feed moved on): processed from their stored bytes, so none is lost."""
    with connection(db_path) as con:
        pending = list(pending_raw(con).values())
    if not pending:
        return
    progress(f"finishing {len(pending)} document(s) stored by an interrupted run")
    dedupe = stages.RunDedupe()
    for ids in stages.batched(pending, INGEST_BATCH):
        with connection(db_path) as con:  # the batch's one connection
            docs = load_raw(con, ids)
            summary.fetched += len(docs)
            summary.resumed += len(docs)
            with ctx.metrics.stage("parse"):
                parsed = parse_task(quote(docs))
            process_batch(con, ctx, parsed, summary, progress, dedupe)
            save_progress(con, summary)


def save_progress(con: Connection, summary: RunSummary) -> None:
    update_run(con, summary.run_id, summary.to_dict())


def announce_line(summary: RunSummary, what: str, now: datetime) -> None:
    """A timestamped line on stdout (scheduled runs print when each run starts and ends)."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    print(f"[{stamp}] run {summary.run_id} {what}", flush=True)


@contextlib.contextmanager
def tracked_run(
    db_path: str, ctx: RunContext, summary: RunSummary, kind: str, announce: bool = False
) -> Iterator[None]:
    """The run's row in `runs`: 'running' from the start, then how it ended. An interrupt
    (Ctrl-C, SIGTERM) records 'interrupted' with the counts so far; an error records 'failed'.
    With ``announce``, the start, the end and the summary are printed with times."""
    with connection(db_path) as con:
        start_run(con, summary.run_id, kind, summary.sources)
    if announce:
        announce_line(summary, f"started: {kind} of {len(summary.sources)} source(s)", ctx.clock())
    try:
        yield
    except BaseException as exc:
        status = RunStatus.FAILED if isinstance(exc, Exception) else RunStatus.INTERRUPTED
        summary.finished_at = ctx.clock()
        with contextlib.suppress(Exception), connection(db_path) as con:
            end_run(con, summary.run_id, status, summary.to_dict())
        if announce:
            reason = f": {str(exc).splitlines()[0]}" if str(exc) else ""
            announce_line(summary, f"{status}{reason}", ctx.clock())
        raise
    if announce:
        now = ctx.clock()
        announce_line(summary, f"completed in {(now - summary.started_at).total_seconds():.1f}s", now)
        print(render_summary(summary), flush=True)


def process_batch(
    con: Connection,
    ctx: RunContext,
    parsed,
    summary: RunSummary,
    progress: Progress,
    dedupe: stages.RunDedupe,
    results: list | None = None,
    keys_of: list | None = None,
) -> None:
    """dedupe → extract → store for one batch of parsed documents (shared with `reprocess`).

    ``results``: the extraction of the batch's ok articles when a worker already made it; only
    those of articles the dedupe step kept for extraction are stored, as when extracting here;
    ``keys_of``: the articles' dedupe keys when the worker computed them too.
    """
    with ctx.metrics.stage("dedupe"):
        stored = store_articles_task(quote(con), quote(parsed), quote(dedupe), quote(keys_of))
        summary.new += stored.new
        summary.changed += stored.changed
        summary.unchanged += stored.unchanged
        summary.duplicates += stored.duplicates
        summary.skipped += stored.skipped
        summary.failed += stored.failed
    if results is None:
        with ctx.metrics.stage("extract"):
            extract_and_store(con, stored, summary, progress)
        return
    with ctx.metrics.stage("store extraction"):
        store_extracted(con, stored, results, summary, progress)


def write_submitted(
    con: Connection,
    ctx: RunContext,
    sub: Submitted,
    summary: RunSummary,
    progress: Progress,
    dedupe: stages.RunDedupe,
) -> None:
    """The single writer: wait for one batch's chunks, then dedupe and store them in order. The
    workers' own timings and counters join the run's metrics."""
    with ctx.metrics.stage("wait for workers"):
        done = [h.result() for h in sub.handles]
    articles = [a for d in done for a in d.articles]
    results = [r for d in done for r in d.results if r is not None]
    keys_of = [k for d in done for k in d.keys]
    for d in done:
        for key, seconds in d.seconds.items():
            ctx.metrics.add_seconds(key, seconds)
        ctx.metrics.add_counts(d.counts)
        ctx.metrics.add_seconds("work cpu", d.cpu_seconds)
        summary.workers = sorted({*summary.workers, d.worker})
    parsed = list(zip(sub.docs, articles, strict=True))
    process_batch(con, ctx, parsed, summary, progress, dedupe, results, keys_of)


def store_extracted(
    con: Connection, stored: stages.Stored, results: list, summary: RunSummary, progress: Progress
) -> None:
    """Store the workers' results for the articles the dedupe step kept, and mark their raw
    documents processed (stored.raw_ids_of). One write (one Prefect task, one transaction) for
    the whole batch unless DEALWATCH_EXTRACT_BATCH says otherwise: the results are in memory
    already, and each task run cost ~36 ms of CPU in Prefect's API server (measured, 50 no-op
    tasks) beside ~4 ms here; EXTRACT_BATCH bounds what extracting in this process holds."""
    keep = {a.article_id: a for a in stored.to_extract}
    kept = [r for r in results if r.article_id in keep]
    progress.expect("extract", len(kept), more=True)
    done = 0
    for batch in stages.batched(kept, batch_size("EXTRACT", max(1, len(kept)))):
        raw_ids = stored.raw_ids_of([keep[r.article_id] for r in batch])
        mentions, _ = store_extraction_task(quote(con), quote(batch), raw_ids)
        summary.deal_articles += sum(1 for r in batch if r.is_deal_relevant)
        summary.mentions += mentions
        done += len(batch)
        progress.advance("extract", len(batch))
        progress(f"extracted {done}/{len(kept)} articles")


@dataclass
class Submitted:
    """A batch's documents and the handles of its chunks at the runner (flows.parallel)."""

    docs: list
    handles: list


def finish_run(db_path: str, ctx: RunContext, summary: RunSummary, progress: Progress) -> RunSummary:
    """reconcile → publish, once per run: what `ingest` and `reprocess` share."""
    with ctx.metrics.stage("reconcile"):
        stats, created, updated = reconcile_task(db_path)
        ctx.metrics.add_seconds("reconcile database", stats.seconds)
        ctx.metrics.add_seconds("reconcile cpu", stats.cpu_seconds)
        summary.deals_total, summary.deals_created, summary.deals_updated = stats.deals, created, updated
        summary.conflicts, summary.open_conflicts = stats.conflicts, stats.open_conflicts
        progress(f"reconciled {stats.deals} deal(s), {stats.conflicts} conflict(s)")
    pause_point("reconcile")
    summary.finished_at = ctx.clock()
    with ctx.metrics.stage("publish"):
        summary.snapshot_path = str(snapshot_path(db_path))
        publish_task(db_path, quote(summary))
        try:  # The analyst's HTML page beside the database (flows/report.py); never fails a run.
            from flows.report import report_path, write_report

            progress(f"report: {write_report(db_path, report_path(db_path))}")
        except Exception as exc:  # noqa: BLE001 - any report problem is one line, not a failed run
            progress(f"report not written: {exc}")
    return summary
