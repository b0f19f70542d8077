"""The Prefect flow ``reprocess``: re-parse and re-extract stored raw documents, offline.

Run it after an extractor upgrade: nothing is fetched; the newest raw bytes of every URL whose
facts an older extractor made (its stored ``processed_version`` is not
``extractors.version``'s hash) are parsed and extracted again, facts are replaced, and deals are
reconciled again — deal_ids and conflict reviews carry over. ``all_documents`` redoes every one.
"""

from __future__ import annotations

import contextlib

from prefect import flow
from prefect.utilities.annotations import quote

from extractors.pipeline import EXTRACTOR_VERSION
from flows.ingest import (
    finish_run,
    new_summary,
    parse_task,
    process_batch,
    save_progress,
    tracked_run,
)
from flows.progress import RunProgress
from flows.run_context import RunContext
from flows.stages import RunDedupe, batched
from flows.summary import RunSummary
from storage.db import connection
from storage.raw import load_raw, stale_raw_ids

BATCH = 500


@flow(name="reprocess", log_prints=False)
def reprocess(
    db_path: str = "dealwatch.duckdb",
    quiet: bool = False,
    run_id: str | None = None,
    context: RunContext | None = None,
    all_documents: bool = False,
) -> RunSummary:
    """Redo the stale documents (every one with ``all_documents``); the up-to-date ones count as
    unchanged, and the summary says how many were stale and how many were skipped. ``context`` as
    for ``ingest``."""
    progress = RunProgress(quiet)
    ctx = context or RunContext()
    summary = new_summary(ctx, run_id, ["(stored raw documents)"], db_path)
    summary.redo_all = all_documents
    with tracked_run(db_path, ctx, summary, "reprocess"), contextlib.closing(progress):
        with connection(db_path) as con:
            todo, up_to_date = stale_raw_ids(con, EXTRACTOR_VERSION, everything=all_documents)
        summary.stale, summary.up_to_date, summary.unchanged = len(todo), up_to_date, up_to_date
        progress(
            f"re-parsing {len(todo)} stored document(s)"
            + ("" if all_documents else f" extracted by an older extractor; {up_to_date} up to date, skipped")
        )
        dedupe = RunDedupe()
        for ids in batched(todo, BATCH):
            with connection(db_path) as con:  # the batch's one connection
                with ctx.metrics.stage("store"):
                    docs = load_raw(con, ids)
                summary.fetched += len(docs)
                with ctx.metrics.stage("parse"):
                    parsed = parse_task(quote(docs))
                process_batch(con, ctx, parsed, summary, progress, dedupe)
                save_progress(con, summary)
        return finish_run(db_path, ctx, summary, progress)
