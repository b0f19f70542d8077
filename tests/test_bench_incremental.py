"""The benchmark table's incremental-reconcile row (bench/incremental.py); its measurement runs in
tests/test_bench.py (a real ingest of new articles) and in `make bench`."""

from __future__ import annotations

from bench.incremental import table_row


def test_the_row_shows_each_worker_count_s_ratio_and_a_dash_where_none_was_measured() -> None:
    row = table_row([{"incremental": {"ratio": 0.084}}, {"incremental": {"ratio": 0.31}}, {}])
    assert row.startswith("incremental reconcile, F of full")
    assert row.split()[-3:] == ["0.08", "0.31", "—"]
