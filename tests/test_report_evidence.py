"""The report reads the `evidence` view without its join of every article text, and places each
sentence in its article itself: what it reads must be exactly the view's rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
from bs4 import BeautifulSoup

from flows.deal_query import view_columns
from flows.report import write_report
from flows.report_evidence import load_evidence
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


def test_the_report_reads_exactly_the_views_evidence_rows(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "e.duckdb")
    _add_evidence(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        view = fetch_dicts(con.execute(f"SELECT * FROM evidence{ORDER}"))
        read = load_evidence(con, view_columns(con, "evidence"), ORDER)
    finally:
        con.close()
    assert read == view  # same rows, same order, same sentence_start
    starts = {r["value"]: r["sentence_start"] for r in read}
    assert starts["$1.2 billion"] == len("Intro line. ") and HOSTILE_TEXT[starts["$1.2 billion"]] == "O"
    assert starts["v2"] == len("Café Ünïcode first. ")  # characters, not bytes
    assert starts["v0"] is None and starts["v1"] is None and starts["v3"] is None


def test_the_page_still_highlights_the_stated_words(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "e.duckdb")
    _add_evidence(db)
    soup = BeautifulSoup(write_report(db, tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    marks = [m.get_text() for m in soup.select("#deal-d_x1 mark")]
    assert sorted(m for m in marks if m) == ["$1.2 billion", "$5 million"]
