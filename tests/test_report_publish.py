"""The end of a run publishes the snapshot while the report is made ready (flows/report_publish.py):
the page shows the run's last writes, and either failing is handled as before."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from flows.report import report_path, write_report
from flows.report_publish import publish_with_report
from storage.db import connection, snapshot_path
from tests.report_db import hostile_db


def _pending_deal(db: Path) -> duckdb.DuckDBPyConnection:
    """A run's state at its end: a connection kept open and a deal written but not checkpointed."""
    kept = duckdb.connect(str(db))
    with connection(db) as con:
        con.execute(
            "INSERT INTO deal_store (deal_id, provider, customer, total_value, currency, source_count) "
            "VALUES ('d_late', 'Late Cloud', 'Last Corp', 3.5e8, 'USD', 1)"
        )
    return kept


def _page(path: Path) -> str:
    """The page without the minute it was written."""
    return re.sub(r"Written [^<]* from", "Written from", path.read_text(encoding="utf-8"))


def test_the_report_shows_what_the_snapshot_published(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "dw.duckdb")
    kept = _pending_deal(db)
    try:
        snapshot, line = publish_with_report(db)
    finally:
        kept.close()
    assert line == f"report: {report_path(db)}" and snapshot == snapshot_path(db)
    with duckdb.connect(str(snapshot), read_only=True) as snap:
        assert snap.execute("SELECT count(*) FROM deals WHERE deal_id = 'd_late'").fetchone() == (1,)
    page = _page(report_path(db))
    assert "Last Corp" in page and "Acme Labs" in page
    assert page == _page(write_report(db, tmp_path / "from_snapshot.html"))


def test_a_broken_report_is_one_line_and_the_snapshot_is_still_published(tmp_path: Path, monkeypatch) -> None:
    import flows.report

    db = hostile_db(tmp_path / "dw.duckdb")
    snapshot_path(db).unlink()

    def broken(*_args, **_kwargs):
        raise RuntimeError("template went missing")

    monkeypatch.setattr(flows.report, "write_report", broken)
    snapshot, line = publish_with_report(db)
    assert line == "report not written: template went missing" and snapshot.exists()


def test_a_failed_snapshot_fails_and_writes_no_report(tmp_path: Path, monkeypatch) -> None:
    import flows.report_publish

    db = hostile_db(tmp_path / "dw.duckdb")

    def full_disk(_path):
        raise OSError("No space left on device")

    monkeypatch.setattr(flows.report_publish, "publish_snapshot", full_disk)
    with pytest.raises(OSError, match="No space left"):
        publish_with_report(db)
    assert not report_path(db).exists()
