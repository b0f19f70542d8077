"""The stored rename sentences (storage/rename_index.py) follow mentions as they arrive, leave and
come back, so an incremental reconcile links names exactly as a full one does; a database whose
index was never filled (from before it existed) gets it filled by its next reconcile."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from storage.db import connection
from storage.reconcile_db import reconcile_database
from tests.test_renames import OLD_NAME, RENAMED

pytestmark = pytest.mark.usefixtures("prefect_harness")

TABLES = ("deal_store", "conflict_store", "evidence_store", "deal_assignments", "deal_inputs")


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    out = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    out["deals"] = con.execute("SELECT provider, customer FROM deals ORDER BY ALL").fetchall()
    return out


def _full_of(db: Path, tmp: Path) -> dict[str, list[tuple]]:
    copy = tmp / f"full-{db.name}"
    shutil.copy(db, copy)
    with connection(str(copy)) as con:
        reconcile_database(con, full=True)
        return _tables(con)


def _indexed(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT provider, customer FROM rename_sentences ORDER BY ALL").fetchall()


def test_a_rename_that_leaves_and_comes_back_links_as_a_full_reconcile_does(tmp_path: Path) -> None:
    from flows.ingest import ingest

    old, new = tmp_path / "a_old.txt", tmp_path / "b_renamed.txt"
    old.write_text(OLD_NAME, encoding="utf-8")
    new.write_text(RENAMED, encoding="utf-8")
    db = tmp_path / "runs.duckdb"
    ingest([str(old)], db_path=str(db), quiet=True)
    summary = ingest([str(new)], db_path=str(db), quiet=True)  # the rename arrives in an incremental run
    # the reconcile proper, as the benchmark's F times it, is inside the flow's stage
    assert 0 < summary.stage_seconds["reconcile database"] <= summary.stage_seconds["reconcile"]
    with connection(str(db)) as con:
        assert [p for p, _ in _indexed(con)] == ["Kestrow Data Halls"]
        assert _tables(con)["deals"] == [("Kestrow Data Halls", "Ombrel AI")]
        renamed = con.execute("SELECT article_id FROM article_store WHERE text LIKE '%formerly%'").fetchall()
        con.execute("UPDATE article_store SET status = 'held' WHERE article_id = ?", [renamed[0][0]])
        reconcile_database(con)  # the rename's article leaves: the earlier name is its own again
        assert _indexed(con) == []
        gone = _tables(con)
    assert gone["deals"] == [("Pellbridge Hosting", "Ombrel AI")]
    assert gone == _full_of(db, tmp_path)
    with connection(str(db)) as con:
        con.execute("UPDATE article_store SET status = 'ok' WHERE article_id = ?", [renamed[0][0]])
        reconcile_database(con)  # and comes back
        back = _tables(con)
    assert back["deals"] == [("Kestrow Data Halls", "Ombrel AI")]
    assert back == _full_of(db, tmp_path)


def test_a_database_whose_index_was_never_filled_gets_it_on_its_next_reconcile(tmp_path: Path) -> None:
    from flows.ingest import ingest

    for name, text in (("a_old.txt", OLD_NAME), ("b_renamed.txt", RENAMED)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "older.duckdb"
    ingest([str(tmp_path / "a_old.txt"), str(tmp_path / "b_renamed.txt")], db_path=str(db), quiet=True)
    with connection(str(db)) as con:  # as a database migrated from before the index: empty, no state
        con.execute("DELETE FROM rename_sentences")
        con.execute("DELETE FROM reconcile_state WHERE name = 'rename_index'")
        stats = reconcile_database(con)
        assert stats.built > 0  # the run was a full one
        assert [p for p, _ in _indexed(con)] == ["Kestrow Data Halls"]
        assert _tables(con)["deals"] == [("Kestrow Data Halls", "Ombrel AI")]


def test_the_plans_one_read_of_new_facts_finds_what_the_index_would_search(tmp_path: Path) -> None:
    """An incremental plan reads the new mentions' facts once (storage/reconcile_plan.py
    ``read_moved``) and hands the index the sentences that may state a rename, instead of the
    index searching fact_store again: the same facts as a plain read, the same sentences as the
    index's own search."""
    from flows.ingest import ingest
    from storage.reconcile_plan import read_facts, read_moved
    from storage.rename_index import hint_sql

    old, new = tmp_path / "a_old.txt", tmp_path / "b_renamed.txt"
    old.write_text(OLD_NAME, encoding="utf-8")
    new.write_text(RENAMED, encoding="utf-8")
    db = tmp_path / "one.duckdb"
    ingest([str(old), str(new)], db_path=str(db), quiet=True)
    with connection(str(db)) as con:
        ids = [m for (m,) in con.execute("SELECT mention_id FROM mention_store").fetchall()]
        facts, hinted = read_moved(con, ids)
        searched = con.execute(
            f"SELECT DISTINCT f.mention_id, f.sentence FROM fact_store f WHERE ({hint_sql()})"
        ).fetchall()
        assert hinted, "the renaming article's sentence is among them"
        assert sorted(hinted) == sorted(searched)
        assert facts == read_facts(con, ids)
