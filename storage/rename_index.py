"""The fact sentences that may state a company's rename, stored per mention (``rename_sentences``).

Renames link names across the whole database (reconciliation/renames.py), so every reconcile
needs them; searching every stored fact sentence for them grew with the history. The table holds
the sentences the rules' filter picks, with their mention's parties as stored (before any rename),
for every mention a reconcile reads (an 'ok' article, a party named). A run refreshes only the
rows of mentions that are new, changed or gone (their digests, storage/reconcile_db.py) and
reads the links from the table (each row keeps the links its sentence states, found once when
the row is indexed, so no sentence is matched again); a full reconcile, new code or a database that never had the
table (no ``STATE_KEY`` in ``reconcile_state``) fills it again from all facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb

from extractors.models import ArticleStatus
from reconciliation.renames import combine_links, links_in_use, rename_links, row_links, sentence_filters
from storage.writer import append_rows

#: The reconcile_state entry that says the table is complete; a new value refills it everywhere.
STATE_KEY = "rename_index"
VERSION = "2"  # 2: each row carries the links its sentence states (migration 010)


def _likes() -> str:
    return " OR ".join(f"f.sentence ILIKE '{p}'" for p in sentence_filters())


def _select(only: str) -> str:
    """The indexed rows: mention, its stored parties, a sentence that may state a rename."""
    return f"""
        SELECT DISTINCT f.mention_id, m.provider, m.customer, f.sentence
        FROM fact_store f JOIN mention_store m ON f.mention_id = m.mention_id
        JOIN article_store a ON a.article_id = m.article_id
        WHERE a.status = '{ArticleStatus.OK}' AND (m.provider IS NOT NULL OR m.customer IS NOT NULL)
          AND ({_likes()}){only}
    """


def _with_links(rows: Iterable[tuple[str, str | None, str | None, str]]) -> list[dict[str, object]]:
    """Table rows, each with the links its sentence states (read once, here)."""
    return [
        {
            "mention_id": m,
            "provider": p,
            "customer": c,
            "sentence": s,
            "links": json.dumps(row_links(p, c, s)),
        }
        for m, p, c, s in rows
    ]


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the table from every stored fact."""
    con.execute("DELETE FROM rename_sentences")
    append_rows(con, "rename_sentences", _with_links(con.execute(_select("")).fetchall()))


def hint_sql() -> str:
    """A predicate over ``f.sentence`` (a fact_store row aliased ``f``): the sentence is one the
    table indexes, for a reader that reads the facts anyway (storage/reconcile_plan.py)."""
    return _likes()


def refresh(
    con: duckdb.DuckDBPyConnection,
    moved: dict[str, tuple[str | None, str | None]],
    gone: Iterable[str],
    found: list[tuple[str, str]] | None = None,
) -> None:
    """Index again the mentions that are new or changed (``moved``: mention id -> its stored
    parties; each is one a reconcile reads) and drop those that are ``gone``. Only their facts are
    searched; ``found``: their distinct (mention, sentence) pairs that :func:`hint_sql` picks, when
    the caller read them already (a 4-5 ms statement less per run)."""
    ids = sorted({*moved, *gone})
    if not ids:
        return
    con.execute("DELETE FROM rename_sentences WHERE list_contains($ids, mention_id)", {"ids": ids})
    if found is None:
        found = con.execute(
            # CASE: the mention test first, so only their sentences are matched (8 ms -> 2 ms at 15k facts)
            f"SELECT DISTINCT f.mention_id, f.sentence FROM fact_store f "
            f"WHERE CASE WHEN list_contains($ids, f.mention_id) THEN ({_likes()}) ELSE false END",
            {"ids": sorted(moved)},
        ).fetchall()
    append_rows(con, "rename_sentences", _with_links((m, *moved[m], s) for m, s in found))


def links(con: duckdb.DuckDBPyConnection, parties: Iterable[str | None]) -> dict[str, str]:
    """Earlier name's party key -> current name, from the indexed sentences: the links some stored
    party name among ``parties`` reaches (reconciliation/renames.py ``links_in_use``)."""
    stored = con.execute("SELECT DISTINCT links FROM rename_sentences WHERE links <> '[]'").fetchall()
    pairs = (tuple(pair) for (text,) in stored for pair in json.loads(text))
    return links_in_use(combine_links(pairs), (p for p in parties if p))


def scan(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The same links searched in every stored fact, without the table (readers outside a run)."""
    rows = con.execute(
        f"SELECT DISTINCT provider, customer, sentence FROM ({_select('')}) ORDER BY ALL"
    ).fetchall()
    links = rename_links(rows)
    if not links:
        return links
    names = con.execute(
        "SELECT DISTINCT unnest([m.provider, m.customer]) FROM mention_store m "
        f"JOIN article_store a ON a.article_id = m.article_id WHERE a.status = '{ArticleStatus.OK}'"
    ).fetchall()
    return links_in_use(links, (n for (n,) in names if n))
