"""``python -m bench.incremental DB [--new 100]``: incremental reconcile against a full one on a
finished database, without running the whole benchmark again.

A copy of DB is fully reconciled, then ``--new`` new generated articles are ingested through the
flow (whose reconcile is incremental) and a full reconcile of the database before them is timed
(median of three): F = the flow's reconcile seconds (its connection and reconcile_database, timed
like the full one) / the full reconcile's; also in CPU seconds, and for the flow's whole stage. ``python -m bench``
runs the same measurement (bench.measure.incremental_reconcile) after each size; this module also
gives the table row that shows it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any


def table_row(runs: list[dict[str, Any]]) -> str:
    """The benchmark table's row: F per worker count (smaller is better; 1.0 = a full reconcile)."""
    cells = []
    for r in runs:
        inc = r.get("incremental") or {}
        cells.append(f"{inc['ratio']:14.2f}" if inc.get("ratio") is not None else f"{'—':>14}")
    return f"{'incremental reconcile, F of full':34} " + " ".join(cells)


def measure(db: Path, new: int, seed: int, workers: int, work: Path) -> dict[str, Any]:
    from bench.measure import incremental_reconcile
    from storage.db import connection
    from storage.reconcile_db import reconcile_database

    copy = work / "incremental.duckdb"
    shutil.copy(db, copy)
    with connection(str(copy)) as con:
        con.execute("SELECT 1")
        reconcile_database(con, full=True)  # the finished database, as the benchmark leaves it
        mentions = con.execute("SELECT count(*) FROM deal_assignments").fetchone()[0]
    result = incremental_reconcile(copy, work, seed, new, workers, None)
    result["mentions_before"] = mentions
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.incremental", description=__doc__.split("\n")[0])
    ap.add_argument("db", type=Path, help="a database the benchmark (or dealwatch ingest) finished")
    ap.add_argument("--new", type=int, default=100, help="new articles to ingest (default 100)")
    ap.add_argument("--seed", type=int, default=7, help="the benchmark's seed (new articles use seed+1)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    if not args.db.is_file():
        print(f"no database at {args.db}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        result = measure(args.db, args.new, args.seed, args.workers, Path(tmp))
    print(json.dumps(result, default=str))
    print(
        f"reconcile after {result['articles']} new articles {result['after_new_s']:.2f}s "
        f"({result['after_new_cpu_s'] or 0:.2f} CPU-s) vs full {result['full_s']:.2f}s "
        f"({result['full_cpu_s']:.2f} CPU-s), the flow's stage {result['stage_s']:.2f}s, load "
        f"{result['load_average']:.1f}: incremental reconcile: {result['ratio']:.2f} of full "
        f"(CPU {result['ratio_cpu'] or 0:.2f}, stage {result['ratio_stage']:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
