"""The HTML report's content without a browser: escaping, highlights, self-containment, extra columns."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from bs4 import BeautifulSoup

from flows.cli import main
from flows.report import write_report
from flows.report_data import highlight
from storage.db import publish_snapshot, snapshot_path
from tests.report_db import HOSTILE_TITLE, hostile_db


def _page(db: Path, tmp_path: Path) -> BeautifulSoup:
    out = write_report(db, tmp_path / "report.html")
    return BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")


def test_markup_in_titles_and_sentences_is_escaped(tmp_path: Path) -> None:
    html = write_report(hostile_db(tmp_path / "h.duckdb"), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>window.pwned" not in html and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<i>Acme Labs</i>" not in html
    assert "javascript:" not in html, "a javascript: URL from a page never becomes a link"
    soup = BeautifulSoup(html, "html.parser")
    assert HOSTILE_TITLE in soup.get_text()


def test_the_page_loads_nothing_from_anywhere(tmp_path: Path) -> None:
    soup = _page(hostile_db(tmp_path / "h.duckdb"), tmp_path)
    assert not soup.select("script[src], link, img, iframe, object, embed, audio, video, source")
    assert not [t for t in soup.find_all(True) if t.has_attr("src") or t.has_attr("srcset")]
    styles = " ".join(s.get_text() for s in soup.find_all("style"))
    assert "url(" not in styles and "@import" not in styles
    assert soup.find("svg", id="timeline") is not None and soup.find("script").get_text().strip()


def test_the_value_is_highlighted_at_its_offsets_not_its_first_occurrence() -> None:
    sentence = "It pays $90 million now and $90 million later."
    second = sentence.rindex("$90 million")
    mark = highlight(sentence, 1000 + second, 1000 + second + 11, 1000, "$90 million")
    assert (mark.before, mark.match) == (sentence[:second], "$90 million")
    # Without usable offsets, the value's own words are found in the sentence.
    assert highlight(sentence, None, None, None, "$90 MILLION").match == "$90 million"
    assert highlight(sentence, 5, 2, 0, "absent").match == ""


def test_evidence_marks_the_stated_words_and_values_say_how_we_know(tmp_path: Path) -> None:
    soup = _page(hostile_db(tmp_path / "h.duckdb"), tmp_path)
    assert [m.get_text() for m in soup.select("#deal-d_x1 mark")] == ["$1.2 billion"]
    how = {
        tr["data-field"]: tr.find_all("td")[3].get_text(strip=True)
        for tr in soup.select("#deal-d_x1 tr.value")
    }
    assert how["total_value"] == "stated"
    assert how["provider"] == "derived", "no sentence in evidence states the provider here"


def test_columns_and_views_added_by_others_are_shown(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "h.duckdb")
    con = duckdb.connect(str(db))
    try:
        con.execute("ALTER TABLE deal_store ADD COLUMN review_note VARCHAR")
        con.execute("UPDATE deal_store SET review_note = 'checked by desk'")
        con.execute("ALTER TABLE deal_store ADD COLUMN status VARCHAR")
        con.execute("UPDATE deal_store SET status = 'confirmed'")
        con.execute("CREATE OR REPLACE VIEW deals AS SELECT * FROM deal_store")
        con.execute(
            "CREATE VIEW deal_candidates AS SELECT 'Foo Cloud' AS provider, 'single passing mention' AS reason"
        )
    finally:
        con.close()
    shutil.copyfile(db, snapshot_path(db))  # what publishing does, without views.sql resetting the view
    soup = _page(db, tmp_path)
    assert "checked by desk" in soup.select_one("#deal-d_x1").get_text()
    assert soup.select_one("#row-d_x1")["data-status"] == "confirmed"
    assert [o.get_text() for o in soup.select("#f-status option")] == ["any", "confirmed"]
    assert "single passing mention" in soup.get_text()


def test_report_command_writes_the_file_and_says_where(tmp_path: Path, capsys) -> None:
    db = hostile_db(tmp_path / "h.duckdb")
    out = tmp_path / "out" / "page.html"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 0
    assert out.exists() and str(out) in capsys.readouterr().out
    assert main(["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(out)]) == 2
    assert "no database" in capsys.readouterr().err


def test_an_empty_database_gives_a_page_that_says_so(tmp_path: Path) -> None:
    from storage.db import connection

    db = tmp_path / "empty.duckdb"
    with connection(db):
        pass
    publish_snapshot(db)
    soup = _page(db, tmp_path)
    assert "No deals yet" in soup.get_text() and "No run recorded" in soup.get_text()


def test_timeline_labels_never_cover_each_other_or_leave_the_chart() -> None:
    from datetime import date

    from flows.report_timeline import CHAR_WIDTH, build_timeline

    same_day = [
        {
            "deal_id": f"d_{i}",
            "customer": f"Customer {i}",
            "total_value": 1e9 * (1 + i / 10),
            "currency": "USD",
            "deal_date": date(2026, 12, 1),
            "source_count": 1,
        }
        for i in range(12)
    ]
    early = {"deal_id": "d_e", "customer": "Early", "total_value": 5e8, "deal_date": date(2026, 1, 5)}
    tl = build_timeline([*same_day, early])
    labelled = [p for p in tl.points if p.labelled]
    assert 1 < len(labelled) < len(tl.points), (
        "a crowded day labels some points, not all on top of each other"
    )
    boxes = []
    for p in labelled:
        width = len(p.short) * CHAR_WIDTH
        x0 = p.label_x if p.label_anchor == "start" else p.label_x - width
        assert tl.plot[0] <= x0 and x0 + width <= tl.plot[2]
        boxes.append((x0, p.y - 6, x0 + width, p.y + 6))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
