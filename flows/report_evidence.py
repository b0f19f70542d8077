"""The report's read of the `evidence` view: deal by deal, a few hundred rows at a time.

The view computes ``sentence_start`` (where an evidence sentence begins in its article, to turn
article offsets into a highlight) by joining ``article_store`` and its full texts: on a
10,000-article database that join alone took ~100 MB of DuckDB working memory, and every deal's
rows held at once as dicts beside the rendered page another ~100 MB, at the end of every run (the
run's memory peak). Here the view is read without that column, already in the report's deal order,
CHUNK rows at a time; the column is computed the view's way (``instr(text, sentence) - 1``, NULL
when absent) in DuckDB for each chunk's own (article, sentence) pairs, so neither the texts nor
all the rows come to Python at once. Same rows, same values, same order within a deal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

import duckdb

#: Evidence rows fetched, and their sentences placed, at once.
CHUNK = 500
#: Within a deal the rows read by field, then outlet, then position (when the view has them).
ORDER_COLUMNS = ("field", "publisher", "start_char")


def evidence_by_deal(
    con: duckdb.DuckDBPyConnection, columns: Collection[str], deal_ids: Sequence[str]
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(deal_id, its rows of the `evidence` view as dicts) for each deal of ``deal_ids`` that has
    evidence, in the order of ``deal_ids`` (deal ids are unique in `deals`); rows of other deals
    are not read. The stream runs on its own cursor, so ``con`` stays free for other reads."""
    if "deal_id" not in columns or not deal_ids:
        return
    place = "sentence_start" in columns and _has_texts(con)
    select = "e.* EXCLUDE (sentence_start)" if place else "e.*"
    within = "".join(f", e.{c}" for c in ORDER_COLUMNS) if set(ORDER_COLUMNS) <= set(columns) else ""
    sql = (
        f"SELECT {select} FROM evidence e JOIN (SELECT unnest(?) AS deal_id, unnest(range(?)) AS pos) o "
        f"ON o.deal_id = e.deal_id ORDER BY o.pos{within}"
    )
    ids = list(dict.fromkeys(deal_ids))
    cur = con.cursor()
    try:
        cur.execute(sql, [ids, len(ids)])
        names = [d[0] for d in cur.description]
        deal, group = None, []
        while chunk := cur.fetchmany(CHUNK):
            rows = [dict(zip(names, r, strict=True)) for r in chunk]
            if place:
                starts = sentence_starts(con, rows)
                for row in rows:
                    row["sentence_start"] = starts.get((row.get("article_id"), row.get("sentence")))
            for row in rows:
                if group and row["deal_id"] != deal:
                    yield deal, group
                    group = []
                deal = row["deal_id"]
                group.append(row)
        if group:
            yield deal, group
    finally:
        cur.close()


def sentence_starts(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> dict[tuple, int | None]:
    """(article_id, sentence) -> the sentence's 0-based offset in its article's text, computed in
    DuckDB as the view does (``instr(...) - 1``, None for 0); pairs whose article is not stored are
    absent (None to the caller, as the view's LEFT JOIN gives)."""
    pairs = {
        (r["article_id"], r["sentence"])
        for r in rows
        if r.get("article_id") is not None and r.get("sentence") is not None
    }
    if not pairs:
        return {}
    articles, sentences = zip(*pairs, strict=True)
    found = con.execute(
        "SELECT w.article_id, w.sentence, CAST(nullif(instr(a.text, w.sentence), 0) - 1 AS INTEGER) "
        "FROM (SELECT unnest(?) AS article_id, unnest(?) AS sentence) w "
        "JOIN article_store a ON a.article_id = w.article_id",
        [list(articles), list(sentences)],
    ).fetchall()
    return {(article, sentence): start for article, sentence, start in found}


def _has_texts(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the database has the table the view takes texts from (an older or foreign
    database without it is read through the view as is)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'article_store' "
        "AND column_name IN ('article_id', 'text') AND database_name = current_database()"
    ).fetchone()
    return bool(found and found[0] == 2)
