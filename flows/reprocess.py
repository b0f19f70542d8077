"""The Prefect flow ``reprocess``: re-parse and re-extract stored raw documents, offline.

Run it after an extractor upgrade: nothing is fetched; the newest raw bytes of every URL whose
facts an older extractor made (its stored ``processed_version`` is not
``extractors.version``'s hash) are parsed and extracted again, facts are replaced, and deals are
reconciled again — deal_ids and conflict reviews carry over. ``all_documents`` redoes every one.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from flows.prefect_env import configure_prefect

configure_prefect()

from prefect import flow  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from extractors.pipeline import EXTRACTOR_VERSION  # noqa: E402
from flows.ingest import (  # noqa: E402
    finish_run,
    new_run_id,
    parse_task,
    process_batch,
    save_progress,
    stage_timer,
    tracked_run,
)
from flows.progress import RunProgress  # noqa: E402
from flows.stages import RunDedupe, batched  # noqa: E402
from flows.summary import RunSummary  # noqa: E402
from storage.db import connection  # noqa: E402
from storage.raw import load_raw, stale_raw_ids  # noqa: E402

BATCH = 500


@flow(name="reprocess", log_prints=False)
def reprocess(
    db_path: str = "dealwatch.duckdb",
    quiet: bool = False,
    run_id: str | None = None,
    all_documents: bool = False,
) -> RunSummary:
    """Redo the stale documents (every one with ``all_documents``); the up-to-date ones count as
    unchanged, and the summary says how many were stale and how many were skipped."""
    progress = RunProgress(quiet)
    summary = RunSummary(
        run_id=run_id or new_run_id(),
        started_at=datetime.now(UTC),
        sources=["(stored raw documents)"],
        db_path=db_path,
        redo_all=all_documents,
    )
    with tracked_run(db_path, summary, "reprocess"), contextlib.closing(progress):
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
                with stage_timer(summary, "store"):
                    docs = load_raw(con, ids)
                summary.fetched += len(docs)
                with stage_timer(summary, "parse"):
                    parsed = parse_task(quote(docs))
                process_batch(con, parsed, summary, progress, dedupe)
                save_progress(con, summary)
        return finish_run(db_path, summary, progress)
