"""The DuckDB file: migrations, the analyst contract's views, lock handling, the snapshot."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from storage.db import (
    SCHEMA_VERSION,
    DatabaseError,
    connection,
    current_version,
    open_db,
    open_for_reading,
    publish_snapshot,
    snapshot_path,
)

CONTRACT = {
    "articles": {
        "article_id": "VARCHAR",
        "url": "VARCHAR",
        "canonical_url": "VARCHAR",
        "title": "VARCHAR",
        "publisher": "VARCHAR",
        "published_at": "TIMESTAMP",
        "fetched_at": "TIMESTAMP",
        "language": "VARCHAR",
        "status": "VARCHAR",
        "is_deal_relevant": "BOOLEAN",
        "duplicate_of": "VARCHAR",
    },
    "deals": {
        "deal_id": "VARCHAR",
        "provider": "VARCHAR",
        "customer": "VARCHAR",
        "deal_type": "VARCHAR",
        "currency": "VARCHAR",
        "monthly_fee": "DOUBLE",
        "total_value": "DOUBLE",
        "total_value_qualifier": "VARCHAR",
        "start_date": "DATE",
        "start_precision": "VARCHAR",
        "end_date": "DATE",
        "end_precision": "VARCHAR",
        "term_months": "INTEGER",
        "hardware": "VARCHAR[]",
        "accelerator_count": "BIGINT",
        "capacity_mw": "DOUBLE",
        "facility": "VARCHAR",
        "location": "VARCHAR",
        "termination_notice_days": "INTEGER",
        "termination_lockin_months": "INTEGER",
        "termination_by": "VARCHAR",
        "announced_on": "DATE",
        "source_count": "INTEGER",
        "article_count": "INTEGER",
        "conflict_count": "INTEGER",
        "first_seen": "TIMESTAMP",
        "last_seen": "TIMESTAMP",
    },
    "conflicts": {
        "conflict_id": "VARCHAR",
        "deal_id": "VARCHAR",
        "field": "VARCHAR",
        "severity": "VARCHAR",
        "values": "JSON",
        "explanation": "VARCHAR",
        "status": "VARCHAR",
    },
    "evidence": {
        "deal_id": "VARCHAR",
        "field": "VARCHAR",
        "value": "VARCHAR",
        "article_id": "VARCHAR",
        "url": "VARCHAR",
        "publisher": "VARCHAR",
        "sentence": "VARCHAR",
        "start_char": "INTEGER",
        "end_char": "INTEGER",
        "extractor": "VARCHAR",
        "confidence": "DOUBLE",
        "mention_id": "VARCHAR",
        "why": "VARCHAR",
    },
}
# What the system found but does not stand behind (issue 10): the deal columns plus why.
CONTRACT["deal_candidates"] = {
    **CONTRACT["deals"],
    "reason_code": "VARCHAR",
    "reason_codes": "VARCHAR[]",
    "reason": "VARCHAR",
}


def test_new_database_has_the_contract_views_with_their_types(db_path: Path) -> None:
    with connection(db_path) as con:
        assert current_version(con) == SCHEMA_VERSION
        for view, columns in CONTRACT.items():
            described = {r[0]: r[1] for r in con.execute(f"DESCRIBE {view}").fetchall()}
            for name, typ in columns.items():
                assert described.get(name) == typ, (
                    f"{view}.{name} is {described.get(name)}, contract says {typ}"
                )


def test_migrating_twice_changes_nothing(db_path: Path) -> None:
    with connection(db_path) as con:
        con.execute("INSERT INTO deal_store (deal_id, provider) VALUES ('d1', 'Acme')")
    with connection(db_path) as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("SELECT provider FROM deals").fetchall() == [("Acme",)]


HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def test_a_writer_waits_for_another_process_instead_of_failing(db_path: Path) -> None:
    with connection(db_path):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path), "2"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    t0 = time.monotonic()
    con = open_db(db_path, retry_for=30)
    waited = time.monotonic() - t0
    con.close()
    holder.wait(timeout=10)
    assert waited > 0.5, "the lock was held, so opening must have waited"


def test_lock_held_too_long_gives_a_clear_error(db_path: Path) -> None:
    with connection(db_path):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path), "5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseError, match="cannot open"):
            open_db(db_path, retry_for=0.5)
    finally:
        holder.kill()


def test_readers_use_the_snapshot_while_the_database_is_locked(db_path: Path) -> None:
    with connection(db_path) as con:
        con.execute("INSERT INTO deal_store (deal_id, provider) VALUES ('d1', 'Acme')")
    publish_snapshot(db_path)
    assert snapshot_path(db_path).exists()
    with connection(db_path) as writer:  # a run in progress holds the write lock
        writer.execute("INSERT INTO deal_store (deal_id, provider) VALUES ('d2', 'Globex')")
        reader = open_for_reading(db_path)
        try:
            assert reader.execute("SELECT deal_id FROM deals").fetchall() == [("d1",)]
        finally:
            reader.close()


def test_reading_a_missing_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="dealwatch ingest"):
        open_for_reading(tmp_path / "nope.duckdb")


def test_snapshot_is_a_complete_database(db_path: Path) -> None:
    with connection(db_path) as con:
        con.execute("INSERT INTO deal_store (deal_id) VALUES ('d1')")
    snap = publish_snapshot(db_path)
    con = duckdb.connect(str(snap), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM deals").fetchone()[0] == 1
    finally:
        con.close()


def test_a_version_1_database_is_migrated_forward_keeping_its_rows(db_path: Path) -> None:
    from importlib import resources

    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    con.execute((resources.files("storage") / "migrations" / "001_initial.sql").read_text())
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.execute("INSERT INTO article_store (article_id, url, status) VALUES ('a1', 'http://x/1', 'ok')")
    con.close()
    with connection(db_path) as con:
        assert current_version(con) == SCHEMA_VERSION
        assert con.execute("SELECT article_id, status, status_note FROM articles").fetchall() == [
            ("a1", "ok", None)
        ]


def test_a_truncated_article_keeps_status_ok_with_a_note() -> None:
    from extractors.models import Article
    from storage.writer import article_row

    row = article_row(
        Article(
            article_id="a", url="u", text="t", status="ok (truncated: parsed the first 2,000,000 characters)"
        ),
        fetched_at=None,
        raw_id=None,
        source=None,
    )
    assert row["status"] == "ok" and row["status_note"].startswith("truncated")
