"""Acceptance: the five seed articles through the real flow, checked in the analyst views.

The seeds are the acceptance test, not a tuning set: nothing in product code knows them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, prefect_harness, seeds_dir: Path) -> Path:
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    summary = ingest([str(seeds_dir)], db_path=str(db), quiet=True)
    assert summary.new == 5 and not summary.failed
    return db


def _query(db: Path, sql: str, params=None) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _main_deal(db: Path) -> dict:
    rows = _query(db, "SELECT * FROM deals WHERE provider = 'SpaceX' AND customer = 'Reflection AI'")
    assert len(rows) == 1, f"expected one SpaceX–Reflection AI deal, got {rows}"
    return rows[0]


def test_the_main_deal_has_the_stated_facts(seeded: Path) -> None:
    deal = _main_deal(seeded)
    assert deal["currency"] == "USD"
    assert deal["monthly_fee"] == pytest.approx(150_000_000)
    assert deal["total_value"] == pytest.approx(6_300_000_000)
    assert deal["start_date"] == date(2026, 7, 1)
    assert deal["end_date"] is not None and deal["end_date"].year == 2029
    assert any("GB300" in h for h in deal["hardware"])
    assert deal["termination_notice_days"] == 90
    assert deal["article_count"] == 5


def test_the_six_billion_headline_is_a_minor_total_value_conflict(seeded: Path) -> None:
    deal = _main_deal(seeded)
    rows = _query(
        seeded, "SELECT * FROM conflicts WHERE deal_id = ? AND field = 'total_value'", [deal["deal_id"]]
    )
    assert rows, "the $6 billion headline must be flagged"
    assert any(r["severity"] == "minor" for r in rows)
    assert all(r["explanation"] for r in rows)


def test_no_conflict_about_termination_terms(seeded: Path) -> None:
    deal = _main_deal(seeded)
    rows = _query(
        seeded,
        "SELECT field FROM conflicts WHERE deal_id = ? AND field LIKE 'termination%'",
        [deal["deal_id"]],
    )
    assert rows == []


def test_deals_mentioned_in_passing_are_their_own_deals(seeded: Path) -> None:
    customers = {
        r["customer"] for r in _query(seeded, "SELECT customer FROM deals WHERE provider = 'SpaceX'")
    }
    assert {"Reflection AI", "Google", "Anthropic"} <= customers


def test_no_deal_from_funding_valuation_or_government_contract(seeded: Path) -> None:
    rows = _query(seeded, "SELECT provider, customer FROM deals")
    parties = {p for r in rows for p in (r["provider"], r["customer"]) if p}
    assert not any("Department of Energy" in p or "Pentagon" in p for p in parties)
    assert len(rows) <= 3


def test_every_deal_fact_has_its_sentence(seeded: Path) -> None:
    deal = _main_deal(seeded)
    rows = _query(
        seeded,
        "SELECT field, sentence, start_char, end_char FROM evidence WHERE deal_id = ?",
        [deal["deal_id"]],
    )
    assert {"monthly_fee", "total_value", "start_date", "termination_notice_days"} <= {
        r["field"] for r in rows
    }
    assert all(r["sentence"] and r["end_char"] > r["start_char"] for r in rows)


def test_an_acknowledged_conflict_stays_acknowledged_after_a_rerun(
    seeded: Path, tmp_path: Path, seeds_dir: Path
) -> None:
    import shutil

    from flows.cli import main
    from flows.ingest import ingest

    db = tmp_path / "copy.duckdb"
    shutil.copy(seeded, db)
    conflict = _query(db, "SELECT conflict_id FROM conflicts WHERE field = 'total_value'")[0]["conflict_id"]
    assert main(["conflicts", "ack", conflict, "--db", str(db)]) == 0
    ingest([str(seeds_dir)], db_path=str(db), quiet=True, refetch=True)
    rows = _query(db, "SELECT status FROM conflicts WHERE conflict_id = ?", [conflict])
    assert rows == [{"status": "acknowledged"}]
