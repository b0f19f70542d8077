"""The Prefect flow ``reprocess``: re-parse and re-extract every stored raw document, offline.

Run it after an extractor upgrade: nothing is fetched, the newest raw bytes of every URL are
parsed again, facts are replaced (each records the extractor version that made it), and deals
are reconciled again — deal_ids and conflict reviews carry over.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from flows.prefect_env import configure_prefect

configure_prefect()

from prefect import flow  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

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
from flows.stages import RunDedupe  # noqa: E402
from flows.summary import RunSummary  # noqa: E402
from storage.db import connection  # noqa: E402
from storage.raw import iter_raw_ids, load_raw  # noqa: E402


@flow(name="reprocess", log_prints=False)
def reprocess(
    db_path: str = "dealwatch.duckdb", quiet: bool = False, run_id: str | None = None
) -> RunSummary:
    progress = RunProgress(quiet)
    summary = RunSummary(
        run_id=run_id or new_run_id(),
        started_at=datetime.now(UTC),
        sources=["(stored raw documents)"],
        db_path=db_path,
    )
    with tracked_run(db_path, summary, "reprocess"), contextlib.closing(progress):
        with connection(db_path) as con:
            batches = list(iter_raw_ids(con))
        progress(f"re-parsing {sum(map(len, batches))} stored document(s)")
        dedupe = RunDedupe()
        for ids in batches:
            with stage_timer(summary, "store"), connection(db_path) as con:
                docs = load_raw(con, ids)
            summary.fetched += len(docs)
            with stage_timer(summary, "parse"):
                parsed = parse_task(quote(docs))
            process_batch(db_path, parsed, summary, progress, dedupe)
            save_progress(db_path, summary)
        return finish_run(db_path, summary, progress)
