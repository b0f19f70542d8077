"""The Prefect flow ``reprocess``: re-parse and re-extract every stored raw document, offline.

Run it after an extractor upgrade: nothing is fetched, the newest raw bytes of every URL are
parsed again, facts are replaced (each records the extractor version that made it), and deals
are reconciled again — deal_ids and conflict reviews carry over.
"""

from __future__ import annotations

import contextlib

from prefect import flow
from prefect.utilities.annotations import quote

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
from flows.stages import RunDedupe
from flows.summary import RunSummary
from storage.db import connection
from storage.raw import iter_raw_ids, load_raw


@flow(name="reprocess", log_prints=False)
def reprocess(
    db_path: str = "dealwatch.duckdb",
    quiet: bool = False,
    run_id: str | None = None,
    context: RunContext | None = None,
) -> RunSummary:
    """Re-parse, re-extract and reconcile every stored document; ``context`` as for ``ingest``."""
    progress = RunProgress(quiet)
    ctx = context or RunContext()
    summary = new_summary(ctx, run_id, ["(stored raw documents)"], db_path)
    with tracked_run(db_path, ctx, summary, "reprocess"), contextlib.closing(progress):
        with connection(db_path) as con:
            batches = list(iter_raw_ids(con))
        progress(f"re-parsing {sum(map(len, batches))} stored document(s)")
        dedupe = RunDedupe()
        for ids in batches:
            with ctx.metrics.stage("store"), connection(db_path) as con:
                docs = load_raw(con, ids)
            summary.fetched += len(docs)
            with ctx.metrics.stage("parse"):
                parsed = parse_task(quote(docs))
            process_batch(db_path, ctx, parsed, summary, progress, dedupe)
            save_progress(db_path, summary)
        return finish_run(db_path, ctx, summary, progress)
