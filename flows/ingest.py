"""The Prefect flow ``ingest``: fetch → parse → dedupe → extract → store → reconcile → publish.

Tasks are coarse — one per stage, parse + extract per chunk of documents — because a Prefect task
costs milliseconds of orchestration while an article costs microseconds to parse: one task per
article would spend more time in Prefect than in the work. Tasks call plain functions in
flows.stages; the parse + extract chunks go to flows.parallel's runner (this process, or Dask
workers) while this process fetches the next batch, and this process alone writes the database.
Batches are passed ``quote``d: Prefect otherwise walks every argument looking for futures, which
cost ~0.25 s per task for 1,000 articles.
"""

from __future__ import annotations

import collections
import contextlib
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.prefect_env import configure_prefect

configure_prefect()

from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from extractors.pipeline import EXTRACTOR_VERSION, extract_articles  # noqa: E402
from flows import stages  # noqa: E402
from flows.http_policy import FetchPolicy  # noqa: E402
from flows.parallel import batch_runner  # noqa: E402
from flows.sources import load_sources_file  # noqa: E402
from flows.summary import RunSummary, render_summary  # noqa: E402
from storage.db import connection, publish_snapshot, snapshot_path  # noqa: E402
from storage.reconcile_db import reconcile_database  # noqa: E402
from storage.writer import naive_utc, to_json  # noqa: E402

EXTRACT_BATCH = 200
#: Documents fetched, parsed and extracted together; bounds the memory a run holds.
INGEST_BATCH = 500

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def quiet_progress(message: str) -> None:
    pass


@task(name="plan-sources", cache_policy=NO_CACHE, retries=0)
def plan_task(specs: list, policy: FetchPolicy, db_path: str, refetch: bool, item_limit: int) -> stages.Plan:
    return stages.plan_sources(specs, policy, db_path, refetch=refetch, item_limit=item_limit)


@task(name="collect-batch", cache_policy=NO_CACHE, retries=0)
def collect_task(plan: stages.Plan, items: list, policy: FetchPolicy, first: bool) -> stages.Collected:
    return stages.collect_batch(plan, items, policy, first=first)


@task(name="store-raw", cache_policy=NO_CACHE)
def store_raw_task(db_path: str, run_id: str, collected: stages.Collected, refetch: bool):
    return stages.store_raw(db_path, run_id, collected, refetch=refetch)


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(docs):
    return stages.parse_docs(docs)


@task(name="dedupe-and-store-articles", cache_policy=NO_CACHE)
def store_articles_task(db_path: str, parsed, dedupe: stages.RunDedupe):
    return stages.store_articles(db_path, parsed, dedupe)


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_task(articles):
    return extract_articles(articles)


@task(name="store-extraction", cache_policy=NO_CACHE)
def store_extraction_task(db_path: str, results):
    return stages.store_extraction(db_path, results, EXTRACTOR_VERSION)


@task(name="reconcile", cache_policy=NO_CACHE)
def reconcile_task(db_path: str):
    with connection(db_path) as con:
        return reconcile_database(con)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(db_path: str, summary: RunSummary) -> str:
    with connection(db_path) as con:
        con.execute(
            "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?)",
            [
                summary.run_id,
                naive_utc(summary.started_at),
                naive_utc(datetime.now(UTC)),
                to_json(summary.sources),
                to_json(summary.to_dict()),
                "completed",
            ],
        )
    snapshot = str(publish_snapshot(db_path))
    create_markdown_artifact(
        key="dealwatch-run-summary",
        markdown="```\n" + render_summary(summary) + "\n```",
        description=f"dealwatch run {summary.run_id}",
    )
    return snapshot


def extract_and_store(db_path: str, articles, summary: RunSummary, progress: Progress) -> None:
    for i, batch in enumerate(stages.batched(articles, EXTRACT_BATCH)):
        results = extract_task(quote(batch))
        mentions, _ = store_extraction_task(db_path, quote(results))
        summary.deal_articles += sum(1 for r in results if r.is_deal_relevant)
        summary.mentions += mentions
        progress(f"extracted {min((i + 1) * EXTRACT_BATCH, len(articles))}/{len(articles)} articles")


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
    workers: int = 1,
    dask_address: str | None = None,
) -> RunSummary:
    """Ingest SOURCES (and/or the entries of sources_file) into db_path and reconcile every deal.

    Parameters stay JSON-friendly so the same flow can be served on a schedule;
    ``policy_overrides`` sets FetchPolicy fields (e.g. ``{"per_host_delay": 0}`` for a local site).
    ``workers`` > 1 parses and extracts on a local Dask cluster of that many processes, and
    ``dask_address`` on an existing one (flows.parallel); the results are the same.
    """
    specs: list = list(sources or [])
    if sources_file:
        specs += load_sources_file(Path(sources_file))
    progress = quiet_progress if quiet else stderr_progress
    policy = FetchPolicy(**{"allow_private": allow_private, **(policy_overrides or {})})
    summary = RunSummary(
        run_id=uuid.uuid4().hex[:12],
        started_at=datetime.now(UTC),
        sources=[s if isinstance(s, str) else s.url for s in specs],
        db_path=db_path,
    )
    with stage_timer(summary, "fetch"):
        progress(f"reading {len(specs)} source(s)")
        plan = plan_task(quote(specs), policy, db_path, refetch, max_items_per_source)
    items = plan.expanded.items
    batches = stages.batched(items, INGEST_BATCH) or [[]]
    dedupe = stages.RunDedupe()
    pending: collections.deque[Submitted] = collections.deque()
    with batch_runner(workers, dask_address, documents=len(items)) as runner:
        summary.stage_seconds["start workers"] = runner.start_seconds
        for n, batch in enumerate(batches):
            # Fetch → store one batch at a time, so memory stays flat however many articles the
            # sources name; parse + extract go to the runner while this process fetches the next.
            with stage_timer(summary, "fetch"):
                collected = collect_task(quote(plan), quote(batch), policy, n == 0)
                summary.documents += collected.documents
                summary.problems += collected.problems
                summary.failed += collected.failed
                summary.fetched += len(collected.docs)
            with stage_timer(summary, "store"):
                to_parse = store_raw_task(db_path, summary.run_id, quote(collected), refetch)
                summary.unchanged += len(collected.unchanged)
            pending.append(Submitted(to_parse, runner.submit(to_parse)))
            while pending and sum(len(p.handles) for p in pending) > runner.in_flight_limit:
                write_submitted(db_path, pending.popleft(), summary, progress, dedupe)
            progress(
                f"batch {n + 1}/{len(batches)}: fetched {summary.fetched} document(s), {len(summary.failed)} failed, "
                f"{summary.unchanged} unchanged since the last run"
            )
            del collected, to_parse
        while pending:
            write_submitted(db_path, pending.popleft(), summary, progress, dedupe)
    return finish_run(db_path, summary, progress)


def process_batch(
    db_path: str,
    parsed,
    summary: RunSummary,
    progress: Progress,
    dedupe: stages.RunDedupe,
    results: list | None = None,
) -> None:
    """dedupe → extract → store for one batch of parsed documents (shared with `reprocess`).

    ``results``: the extraction of the batch's ok articles, in order, when a worker already made it.
    """
    with stage_timer(summary, "dedupe"):
        stored = store_articles_task(db_path, quote(parsed), quote(dedupe))
        summary.new += stored.new
        summary.changed += stored.changed
        summary.duplicates += stored.duplicates
        summary.skipped += stored.skipped
    if results is None:
        with stage_timer(summary, "extract"):
            extract_and_store(db_path, stored.to_extract, summary, progress)
        return
    with stage_timer(summary, "store extraction"):
        store_extracted(db_path, results, summary)


def write_submitted(
    db_path: str, sub: Submitted, summary: RunSummary, progress: Progress, dedupe: stages.RunDedupe
) -> None:
    """The single writer: wait for one batch's chunks, then dedupe and store them in order."""
    with stage_timer(summary, "wait for workers"):
        done = [h.result() for h in sub.handles]
    articles = [a for d in done for a in d.articles]
    results = [r for d in done for r in d.results if r is not None]
    for d in done:
        for key, seconds in d.seconds.items():
            summary.stage_seconds[key] = summary.stage_seconds.get(key, 0.0) + seconds
        for key, n in d.counts.items():
            summary.work_counts[key] = summary.work_counts.get(key, 0) + n
        summary.stage_seconds["work cpu"] = summary.stage_seconds.get("work cpu", 0.0) + d.cpu_seconds
        summary.workers = sorted({*summary.workers, d.worker})
    process_batch(db_path, list(zip(sub.docs, articles, strict=True)), summary, progress, dedupe, results)
    progress(f"extracted {summary.work_counts.get('articles', 0)} articles")


def store_extracted(db_path: str, results: list, summary: RunSummary) -> None:
    for batch in stages.batched(results, EXTRACT_BATCH):
        mentions, _ = store_extraction_task(db_path, quote(batch))
        summary.deal_articles += sum(1 for r in batch if r.is_deal_relevant)
        summary.mentions += mentions


@dataclass
class Submitted:
    """A batch's documents and the handles of its chunks at the runner (flows.parallel)."""

    docs: list
    handles: list


def finish_run(db_path: str, summary: RunSummary, progress: Progress) -> RunSummary:
    """reconcile → publish, once per run: what `ingest` and `reprocess` share."""
    with stage_timer(summary, "reconcile"):
        stats = reconcile_task(db_path)
        summary.deals_total, summary.deals_created, summary.deals_updated = (
            stats.deals,
            stats.created,
            stats.updated,
        )
        summary.conflicts, summary.open_conflicts = stats.conflicts, stats.open_conflicts
        progress(f"reconciled {stats.deals} deal(s), {stats.conflicts} conflict(s)")
    summary.finished_at = datetime.now(UTC)
    with stage_timer(summary, "publish"):
        summary.snapshot_path = str(snapshot_path(db_path))
        publish_task(db_path, quote(summary))
        try:  # The analyst's HTML page beside the database (flows/report.py); never fails a run.
            from flows.report import report_path, write_report

            progress(f"report: {write_report(db_path, report_path(db_path))}")
        except Exception as exc:  # noqa: BLE001 - any report problem is one line, not a failed run
            progress(f"report not written: {exc}")
    return summary


@contextlib.contextmanager
def stage_timer(summary: RunSummary, name: str) -> Iterator[None]:
    """Adds the stage's wall time to the summary (the benchmark reads these)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        summary.stage_seconds[name] = summary.stage_seconds.get(name, 0.0) + time.perf_counter() - t0
