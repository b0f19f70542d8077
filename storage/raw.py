"""Raw documents, fetch outcomes and conditional-GET validators.

Raw bytes are written before anything is parsed: whatever the parser or extractor later does,
the document can be re-read offline (``dealwatch reprocess``). A raw document records the
extractor version that *finished* it (parsed, extracted, stored) in ``processed_version``; until
then it is pending, and validators or equal bytes never make it count as "unchanged" — the next
run processes it from the stored bytes instead of fetching it again.
"""

from __future__ import annotations

from typing import Any

import duckdb

from storage.db import fetch_dicts
from storage.raw_document import RawDocument
from storage.writer import append_rows, naive_utc, to_json, upsert_rows


def write_raw(con: duckdb.DuckDBPyConnection, docs: list[RawDocument]) -> int:
    """Upsert raw documents; the same bytes fetched again keep whether they were processed."""
    done = dict(
        con.execute(
            "SELECT raw_id, processed_version FROM raw_documents WHERE raw_id IN (SELECT unnest(?))",
            [[d.raw_id for d in docs]],
        ).fetchall()
    )
    rows = [
        {
            "raw_id": d.raw_id,
            "url": d.url,
            "final_url": d.final_url,
            "source": d.source,
            "fetched_at": naive_utc(d.fetched_at),
            "http_status": d.http_status,
            "content_type": d.content_type,
            "headers": to_json(d.headers or {}),
            "body": d.body,
            "body_sha256": d.sha256,
            "size_bytes": len(d.body),
            "title_hint": d.title_hint,
            "published_hint": naive_utc(d.published_hint),
            "processed_version": done.get(d.raw_id),
        }
        for d in docs
    ]
    return upsert_rows(con, "raw_documents", "raw_id", rows)


def processed_ids(con: duckdb.DuckDBPyConnection, raw_ids: list[str], version: str) -> set[str]:
    """The raw documents among ``raw_ids`` already finished by extractor ``version``."""
    if not raw_ids:
        return set()
    rows = con.execute(
        "SELECT raw_id FROM raw_documents WHERE raw_id IN (SELECT unnest(?)) AND processed_version = ?",
        [raw_ids, version],
    ).fetchall()
    return {raw_id for (raw_id,) in rows}


def mark_processed(con: duckdb.DuckDBPyConnection, raw_ids: list[str], version: str) -> None:
    """Record that these documents were parsed, extracted and stored by ``version``."""
    if raw_ids:
        con.execute(
            "UPDATE raw_documents SET processed_version = ? WHERE raw_id IN (SELECT unnest(?))",
            [version, sorted(set(raw_ids))],
        )


def pending_raw(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """url -> raw_id of every URL whose newest stored document was never processed (a run was
    interrupted after storing it): the next run finishes these from the stored bytes."""
    rows = con.execute(
        """
        SELECT url, raw_id, processed_version FROM raw_documents
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, raw_id) = 1
        """
    ).fetchall()
    return {u: rid for u, rid, done in rows if done is None}


def held_documents(con: duckdb.DuckDBPyConnection, urls: list[str]) -> dict[str, tuple[str, str | None]]:
    """url -> (raw_id, processed_version) of the stored document a 304 Not Modified refers to
    (the one whose validators we sent)."""
    if not urls:
        return {}
    rows = con.execute(
        """
        SELECT c.url, r.raw_id, r.processed_version FROM http_cache c
        JOIN raw_documents r ON r.url = c.url AND r.body_sha256 = c.body_sha256
        WHERE c.url IN (SELECT unnest(?))
        """,
        [urls],
    ).fetchall()
    return {u: (rid, done) for u, rid, done in rows}


def validators(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str | None]]:
    """url -> (etag, last_modified) for conditional GET."""
    rows = con.execute("SELECT url, etag, last_modified FROM http_cache").fetchall()
    return {u: (e, lm) for u, e, lm in rows if e or lm}


def update_cache(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> int:
    """rows: url, etag, last_modified, body_sha256, updated_at."""
    return upsert_rows(con, "http_cache", "url", rows)


def write_fetch_log(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> int:
    return append_rows(con, "fetch_log", rows)


def stale_raw_ids(
    con: duckdb.DuckDBPyConnection, version: str, everything: bool = False
) -> tuple[list[str], int]:
    """For `reprocess`: the raw_ids of the newest document of every URL that were finished by an
    extractor other than ``version`` (or never finished), oldest first — every one with
    ``everything`` — and how many are up to date and left alone."""
    rows = con.execute(
        """
        SELECT raw_id, processed_version FROM raw_documents
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, raw_id) = 1
        ORDER BY fetched_at, url
        """
    ).fetchall()
    todo = [raw_id for raw_id, done in rows if everything or done != version]
    return todo, len(rows) - len(todo)


def load_raw(con: duckdb.DuckDBPyConnection, raw_ids: list[str]) -> list[RawDocument]:
    rows = fetch_dicts(
        con.execute(
            """
            SELECT url, body, fetched_at, source, final_url, http_status, content_type, title_hint,
                   published_hint
            FROM raw_documents WHERE raw_id IN (SELECT unnest(?))
            ORDER BY fetched_at, url
            """,
            [raw_ids],
        )
    )
    return [RawDocument(**(row | {"body": bytes(row["body"])})) for row in rows]
