"""The report's read of the `evidence` view, without the view's join of every article's text.

The view computes ``sentence_start`` (where an evidence sentence begins in its article, to turn
article offsets into a highlight) by joining ``article_store`` and its full texts: on a
10,000-article database that query alone took ~100 MB of DuckDB working memory in the flow's
process, the run's memory peak (the report is written at the end of every run). Here the view is
read without that column (DuckDB then reads no text) and the column is computed the view's way
(``instr(text, sentence) - 1``, None when absent) from the texts of the evidence's own articles,
up to TEXT_CHUNK at a time. Same rows, same values.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import duckdb

from storage.db import fetch_dicts

#: Articles whose texts are read at once to place their evidence sentences.
TEXT_CHUNK = 2000


def load_evidence(
    con: duckdb.DuckDBPyConnection, columns: Collection[str], order: str
) -> list[dict[str, Any]]:
    """Every row of the `evidence` view, as dicts, in ``order`` (an ORDER BY clause or '')."""
    if "sentence_start" not in columns or not _has_texts(con):
        return fetch_dicts(con.execute(f"SELECT * FROM evidence{order}"))
    rows = fetch_dicts(con.execute(f"SELECT * EXCLUDE (sentence_start) FROM evidence{order}"))
    starts = sentence_starts(con, rows)
    for row in rows:
        row["sentence_start"] = starts.get((row.get("article_id"), row.get("sentence")))
    return rows


def sentence_starts(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> dict[tuple, int | None]:
    """(article_id, sentence) -> the sentence's 0-based offset in its article's text, or None
    where the article or the sentence is not there (the view's ``instr(...) - 1``, NULL for 0)."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.get("article_id") is not None and row.get("sentence") is not None:
            wanted.setdefault(row["article_id"], set()).add(row["sentence"])
    ids = sorted(wanted)
    out: dict[tuple, int | None] = {}
    for i in range(0, len(ids), TEXT_CHUNK):
        chunk = ids[i : i + TEXT_CHUNK]
        found = con.execute(
            "SELECT article_id, text FROM article_store WHERE article_id IN (SELECT unnest(?))", [chunk]
        ).fetchall()
        for article_id, text in found:
            for sentence in wanted[article_id]:
                at = text.find(sentence) if text is not None else -1
                out[(article_id, sentence)] = at if at >= 0 else None
    return out


def _has_texts(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the database has the table the view takes texts from (an older or foreign
    database without it is read through the view as is)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'article_store' "
        "AND column_name IN ('article_id', 'text') AND database_name = current_database()"
    ).fetchone()
    return bool(found and found[0] == 2)
