"""The Prefect flow ``reprocess``: re-parse and re-extract every stored raw document, offline.

Run it after an extractor upgrade: nothing is fetched, the newest raw bytes of every URL are
parsed again, facts are replaced (each records the extractor version that made it), and deals
are reconciled again — deal_ids and conflict reviews carry over.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flows.prefect_env import configure_prefect

configure_prefect()

from prefect import flow  # noqa: E402

from flows.ingest import (  # noqa: E402
    extract_and_store,
    parse_task,
    publish_task,
    quiet_progress,
    reconcile_task,
    stage_timer,
    stderr_progress,
    store_articles_task,
)
from flows.summary import RunSummary  # noqa: E402
from storage.db import connection, snapshot_path  # noqa: E402
from storage.raw import iter_raw  # noqa: E402


@flow(name="reprocess", log_prints=False)
def reprocess(db_path: str = "dealwatch.duckdb", quiet: bool = False) -> RunSummary:
    progress = quiet_progress if quiet else stderr_progress
    summary = RunSummary(
        run_id=uuid.uuid4().hex[:12],
        started_at=datetime.now(UTC),
        sources=["(stored raw documents)"],
        db_path=db_path,
    )
    with stage_timer(summary, "store"), connection(db_path) as con:
        docs = [d for batch in iter_raw(con) for d in batch]
    summary.documents = summary.fetched = len(docs)
    progress(f"re-parsing {len(docs)} stored document(s)")
    with stage_timer(summary, "parse"):
        parsed = parse_task(docs)
    with stage_timer(summary, "dedupe"):
        stored = store_articles_task(db_path, parsed)
        summary.unchanged = len(parsed) - stored.new
        summary.new, summary.changed = stored.new, stored.changed
        summary.duplicates, summary.skipped = stored.duplicates, stored.skipped
    with stage_timer(summary, "extract"):
        extract_and_store(db_path, stored.to_extract, summary, progress)
    with stage_timer(summary, "reconcile"):
        stats = reconcile_task(db_path)
        summary.deals_total, summary.deals_created, summary.deals_updated = (
            stats.deals,
            stats.created,
            stats.updated,
        )
        summary.conflicts, summary.open_conflicts = stats.conflicts, stats.open_conflicts
    summary.finished_at = datetime.now(UTC)
    summary.snapshot_path = str(snapshot_path(db_path))
    publish_task(db_path, summary)
    return summary
