"""Every run writes the report beside the database, and a report that fails never fails the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _one_article() -> str:
    return str(next(p for p in sorted((FIXTURES / "corpus").iterdir()) if p.suffix in (".txt", ".html")))


def test_a_run_writes_the_report_beside_the_database(tmp_path: Path) -> None:
    from flows.ingest import ingest
    from flows.report import report_path

    db = tmp_path / "dw.duckdb"
    ingest([_one_article()], db_path=str(db), quiet=True)
    page = report_path(db)
    assert page == tmp_path / "dw.duckdb.report.html" and page.exists()
    assert "Reflects run" in page.read_text(encoding="utf-8")


def test_a_broken_report_is_one_line_and_the_run_still_completes(tmp_path: Path, monkeypatch, capsys) -> None:
    import flows.report
    from flows.ingest import ingest

    def broken(*_args, **_kwargs):
        raise RuntimeError("template went missing")

    monkeypatch.setattr(flows.report, "write_report", broken)
    summary = ingest([_one_article()], db_path=str(tmp_path / "dw.duckdb"))
    assert summary.exit_code == 0 and summary.new == 1
    assert "report not written: template went missing" in capsys.readouterr().err


def test_the_report_shows_the_run_as_completed_when_the_run_returns(tmp_path: Path) -> None:
    """The report is written beside the Prefect artifact, from the snapshot the run published:
    it must already show this run's end, and be in place when ``ingest`` returns."""
    from flows.ingest import ingest
    from flows.report import report_path

    db = tmp_path / "dw.duckdb"
    summary = ingest([_one_article()], db_path=str(db), quiet=True, run_id="endedrun0001")
    page = report_path(db).read_text(encoding="utf-8")
    assert summary.exit_code == 0
    header = page.split("Reflects run", 1)[1].split("(UTC)", 1)[0]
    assert "<code>endedrun0001</code>" in header and "(completed)" in header and "finished" in header
