"""The report reads the `evidence` view deal by deal without its join of every article text, and
places each sentence in its article itself: what it reads must be exactly the view's rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from flows.deal_query import view_columns
from flows.report import write_report
from flows.report_evidence import CHUNK, evidence_by_deal
from storage.db import connection, fetch_dicts, publish_snapshot
from tests.report_db import HOSTILE_TEXT, hostile_db

ORDER = " ORDER BY field, publisher, start_char"


def _add_evidence(db: Path) -> None:
    """Beside the hostile deal's evidence: a sentence that is not in its article's text, one whose
    article is not stored, a second sentence of the same article (non-ASCII before it), and a
    sentence-less row."""
    with connection(db) as con:
        con.execute(
            "INSERT INTO article_store (article_id, url, title, status, text) VALUES ('a2', 'https://x.test/2', "
            "'Two', 'ok', 'Café Ünïcode first. Then the second sentence names $5 million.')"
        )
        rows = [
            ("a1", "A sentence that no article says.", 3, 9),
            ("a404", "Its article was never stored.", 0, 3),
            ("a2", "Then the second sentence names $5 million.", 51, 61),
            ("a2", None, None, None),
        ]
        for i, (article, sentence, start, end) in enumerate(rows):
            con.execute(
                "INSERT INTO evidence_store (deal_id, field, value, article_id, url, publisher, sentence, "
                "start_char, end_char, extractor, confidence, used) VALUES ('d_x1', 'total_value', ?, ?, "
                "'https://x.test/2', ?, ?, ?, ?, 'money', 0.5, true)",
                [f"v{i}", article, f"p{i}", sentence, start, end],
            )
    publish_snapshot(db)  # the report reads the published snapshot


def _read(con: duckdb.DuckDBPyConnection, deal_ids: list[str]) -> list[tuple[str, list[dict]]]:
    return list(evidence_by_deal(con, view_columns(con, "evidence"), deal_ids))


def test_the_report_reads_exactly_the_views_evidence_rows(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "e.duckdb")
    _add_evidence(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        view = fetch_dicts(con.execute(f"SELECT * FROM evidence{ORDER}"))
        deal_ids = [r[0] for r in con.execute("SELECT deal_id FROM deals ORDER BY deal_id DESC").fetchall()]
        read = _read(con, deal_ids)
    finally:
        con.close()
    expected = [(d, [r for r in view if r["deal_id"] == d]) for d in deal_ids]
    assert read == [(d, rows) for d, rows in expected if rows]  # same rows, deal by deal, same sentence_start
    rows = [r for _, group in read for r in group]
    starts = {r["value"]: r["sentence_start"] for r in rows}
    assert starts["$1.2 billion"] == len("Intro line. ") and HOSTILE_TEXT[starts["$1.2 billion"]] == "O"
    assert starts["v2"] == len("Café Ünïcode first. ")  # characters, not bytes
    assert starts["v0"] is None and starts["v1"] is None and starts["v3"] is None


def test_rows_read_in_chunks_stay_with_their_deals(tmp_path: Path) -> None:
    """More rows than one chunk, over deals asked for in an order of their own: each deal gets all
    its rows and only its rows, in the asked order; a deal not asked for is not read."""
    db = hostile_db(tmp_path / "c.duckdb")
    n = CHUNK + CHUNK // 2
    with connection(db) as con:
        for i in range(n):
            con.execute(
                "INSERT INTO evidence_store (deal_id, field, value, article_id, url, publisher, sentence, "
                "start_char, end_char, extractor, confidence, used) VALUES (?, 'customer', ?, 'a1', "
                "'https://x.test/1', 'p', 'Intro line.', ?, ?, 'rule', 0.5, true)",
                [f"d_c{i % 3}", f"v{i}", i, i + 1],
            )
    publish_snapshot(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        read = _read(con, ["d_c2", "d_c0"])
    finally:
        con.close()
    assert [d for d, _ in read] == ["d_c2", "d_c0"]
    for deal, rows in read:
        assert len(rows) == len(range(int(deal[-1]), n, 3)) and {r["deal_id"] for r in rows} == {deal}
        assert [r["start_char"] for r in rows] == sorted(r["start_char"] for r in rows)
        assert {r["sentence_start"] for r in rows} == {0}


def test_the_page_still_highlights_the_stated_words(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "e.duckdb")
    _add_evidence(db)
    soup = BeautifulSoup(write_report(db, tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    marks = [m.get_text() for m in soup.select("#deal-d_x1 mark")]
    assert sorted(m for m in marks if m) == ["$1.2 billion", "$5 million"]


def test_a_report_that_fails_half_written_leaves_the_last_one(tmp_path: Path, monkeypatch) -> None:
    """The page is written as it renders: a failure part way leaves the previous report whole and
    no partial file beside it."""
    import flows.report_data

    db = hostile_db(tmp_path / "f.duckdb")
    out = write_report(db, tmp_path / "r.html")
    before = out.read_bytes()

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(flows.report_data, "_deal_view", broken)
    with pytest.raises(RuntimeError):
        write_report(db, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "r.html" in p.name) == ["r.html"]
