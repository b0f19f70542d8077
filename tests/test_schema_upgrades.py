"""Upgrading a database: article statuses split into status + note (migration 7), and the analyst
views recreated when a migration ran or views.sql changed, not on every open."""

from __future__ import annotations

from pathlib import Path

import duckdb

from storage.db import SCHEMA_VERSION, _migrations, connection, current_version


def _deals_columns(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [name for (name,) in con.execute("SELECT column_name FROM (DESCRIBE deals)").fetchall()]
    finally:
        con.close()


def _break_deals_view(db: Path) -> None:
    """A `deals` view as an older views.sql defined it (no `agreement`)."""
    con = duckdb.connect(str(db))
    try:
        con.execute("CREATE OR REPLACE VIEW deals AS SELECT deal_id, provider FROM deal_store")
    finally:
        con.close()


def test_views_are_applied_once_then_again_when_views_sql_changes(db_path: Path) -> None:
    with connection(db_path):
        pass
    assert "agreement" in _deals_columns(db_path)

    _break_deals_view(db_path)
    with connection(db_path):  # same views.sql as last applied: the catalog is left alone
        pass
    assert _deals_columns(db_path) == ["deal_id", "provider"]

    con = duckdb.connect(str(db_path))
    try:  # as if the views were last applied from another views.sql (an upgrade)
        con.execute("UPDATE view_state SET views_sha256 = 'an older views.sql'")
    finally:
        con.close()
    with connection(db_path):
        pass
    assert "agreement" in _deals_columns(db_path), "the changed views.sql reaches an existing database"


def test_a_version_6_database_gets_statuses_an_analyst_can_filter_on(db_path: Path) -> None:
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    for number, sql in _migrations():
        if number <= 6:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, now())", [number])
    old = {
        "a1": "failed: HTTP 404",
        "a2": "not English (language=de)",
        "a3": "not an article: too little text (12 words)",
        "a4": "unparsable: binary content",
        "a5": "ok",
        "a6": "something a very old run wrote",
    }
    for article_id, status in old.items():
        con.execute(
            "INSERT INTO article_store (article_id, url, status) VALUES (?, ?, ?)",
            [article_id, f"http://x/{article_id}", status],
        )
    con.close()
    with connection(db_path) as con:
        assert current_version(con) == SCHEMA_VERSION
        rows = {
            article_id: (status, note)
            for article_id, status, note in con.execute(
                "SELECT article_id, status, status_note FROM articles"
            ).fetchall()
        }
    assert rows == {
        "a1": ("failed", "HTTP 404"),
        "a2": ("not English", "language=de"),
        "a3": ("not an article", "too little text (12 words)"),
        "a4": ("unparsable", "binary content"),
        "a5": ("ok", None),
        "a6": ("failed", "something a very old run wrote"),
    }
