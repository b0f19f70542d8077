"""Incremental reconciliation (issue 13, part 2): a run builds only the deals its new mentions
touch, and the tables are identical to a full reconcile of the same database.

One labeled set (its outlets disagree on who supplies whom) is ingested through the real flow in
two runs; the second run's articles join existing deals and move direction votes. A full
reconcile of a copy of the database must give the same rows in every table analysts read. The
pure reconciler is then checked at several split points of the same mentions.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from reconciliation.deal_row import restate
from reconciliation.reconcile import PreviousState, reconcile
from storage.db import connection
from storage.reconcile_db import load_mentions, load_previous, reconcile_database, set_review
from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

SET = FIXTURES / "table_tune"
#: Every table analysts read, and the order that makes two of them comparable row by row.
VIEWS = {
    "deals": "deal_id",
    "deal_candidates": "deal_id",
    "conflicts": "conflict_id",
    "evidence": "ALL",
}


def _rows(db: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def _deal_store(db: Path) -> dict[str, dict]:
    return {r["deal_id"]: r for r in _rows(db, "SELECT * FROM deal_store")}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> dict:
    from flows.ingest import ingest

    tmp = tmp_path_factory.mktemp("incremental")
    db = tmp / "incremental.duckdb"
    files = sorted(str(p) for p in SET.glob("*.txt"))
    ingest([f for i, f in enumerate(files) if i % 3], db_path=str(db), quiet=True)
    before = _deal_store(db)
    ingest([f for i, f in enumerate(files) if not i % 3], db_path=str(db), quiet=True)
    full = tmp / "full.duckdb"
    shutil.copy(db, full)
    with connection(str(full)) as con:
        stats = reconcile_database(con, full=True)
    return {"db": db, "full": full, "before": before, "full_stats": stats}


def test_two_runs_give_the_tables_of_a_full_reconcile(two_runs: dict) -> None:
    db, full = two_runs["db"], two_runs["full"]
    assert two_runs["full_stats"].built >= 10  # the set states many deals: not a vacuous comparison
    for view, order in VIEWS.items():
        sql = f"SELECT * FROM {view} ORDER BY {order}"
        assert _rows(db, sql) == _rows(full, sql), view
    for table in ("deal_store", "deal_assignments", "deal_inputs"):
        sql = f"SELECT * FROM {table} ORDER BY ALL"
        assert _rows(db, sql) == _rows(full, sql), table


def test_the_second_run_touched_existing_deals_and_direction_votes(two_runs: dict) -> None:
    """The comparison above covers the cases that matter: deals the new articles joined, deals
    whose pair's direction vote moved, and deals no new article touched (kept as they were)."""
    before, after = two_runs["before"], _deal_store(two_runs["db"])
    common = before.keys() & after.keys()
    joined = [d for d in common if after[d]["article_count"] > before[d]["article_count"]]
    untouched = [d for d in common if after[d] == before[d]]
    votes = [
        d
        for d in common
        if json.loads(before[d]["extra"]).get("direction") != json.loads(after[d]["extra"]).get("direction")
    ]
    assert joined and untouched and votes


def test_a_run_with_nothing_new_builds_nothing_and_changes_nothing(two_runs: dict, tmp_path: Path) -> None:
    db = tmp_path / "again.duckdb"
    shutil.copy(two_runs["db"], db)
    with connection(str(db)) as con:
        stats = reconcile_database(con)
    assert stats.built == 0 and stats.changed == 0 and stats.new_ids == 0
    sql = "SELECT * FROM deals ORDER BY deal_id"
    assert _rows(db, sql) == _rows(two_runs["full"], sql)


def test_a_full_reconcile_after_the_runs_reports_nothing_changed(two_runs: dict) -> None:
    """What a run reports (new, changed, created deals) compares the rows its deals had with the
    rows they have now: after two incremental runs, a full rebuild finds every row as it was."""
    stats, full = two_runs["full_stats"], two_runs["full"]
    assert stats.built >= 10 and stats.changed == 0 and stats.new_ids == 0 and stats.created == 0
    assert stats.deals == len(_rows(full, "SELECT deal_id FROM deals"))
    assert stats.candidates == len(_rows(full, "SELECT deal_id FROM deal_candidates"))
    assert stats.conflicts == len(_rows(full, "SELECT conflict_id FROM conflict_store"))


def test_the_last_run_is_read_with_its_reviews_and_inputs(two_runs: dict, tmp_path: Path) -> None:
    """Reviews and the deals' inputs come back from one read: a review holds, and every stored
    deal's fingerprint is known to an incremental run (none to a full one, which builds all)."""
    db = tmp_path / "reviewed.duckdb"
    shutil.copy(two_runs["db"], db)
    with connection(str(db)) as con:
        conflict = con.execute("SELECT conflict_id FROM conflict_store ORDER BY conflict_id").fetchone()[0]
        assert set_review(con, conflict)
        stored = dict(con.execute("SELECT deal_id, inputs_hash FROM deal_inputs").fetchall())
        incremental, full = load_previous(con), load_previous(con, full=True)
    assert incremental.conflict_status[conflict][0] == "acknowledged"
    assert full.conflict_status == incremental.conflict_status and len(incremental.conflict_status) == 1
    assert incremental.inputs == stored and len(stored) >= 10 and full.inputs == {}


def _canon(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def test_the_pure_reconciler_at_split_points_matches_a_full_one(two_runs: dict) -> None:
    """Articles in the order they came: the first part reconciled first, then all of them."""
    with connection(str(two_runs["full"])) as con:
        records = load_mentions(con)
    whole = reconcile(records)
    articles = list(dict.fromkeys(r.mention.article_id for r in records))
    kept = built = restated = 0
    for share in (0.2, 0.5, 0.8, 0.95):
        first = set(articles[: int(len(articles) * share)])
        earlier = reconcile([r for r in records if r.mention.article_id in first])
        now = reconcile(records, PreviousState(assignments=earlier.assignments, inputs=earlier.inputs))
        assert now.restated <= now.kept
        for kind in ("deals", "conflicts", "evidence"):
            stood = [r for r in getattr(earlier, kind) if r["deal_id"] in now.kept]
            if kind == "deals":  # a restated deal's row with its direction vote as it reads now
                stood = [
                    restate(r, r["provider"], r["customer"], now.directions)
                    if r["deal_id"] in now.restated
                    else r
                    for r in stood
                ]
            assert _canon(stood + getattr(now, kind)) == _canon(getattr(whole, kind)), (share, kind)
        assert now.assignments == whole.assignments and now.inputs == whole.inputs
        kept, built, restated = kept + len(now.kept), built + len(now.deals), restated + len(now.restated)
    # deals were kept, restated and built: the comparisons are not vacuous
    assert kept > restated > 0 and built


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    tables = ("deal_store", "conflict_store", "evidence_store", "deal_assignments", "deal_inputs")
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def _articles_with_mentions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The stored articles that hold mentions, in id order."""
    sql = (
        "SELECT DISTINCT article_id FROM mention_store JOIN article_store USING (article_id)"
        " WHERE status = 'ok' ORDER BY article_id"
    )
    return [r[0] for r in con.execute(sql).fetchall()]


def _set_status(con: duckdb.DuckDBPyConnection, article_ids: list[str], status: str) -> None:
    con.execute(
        "UPDATE article_store SET status = ? WHERE list_contains(?, article_id)", [status, article_ids]
    )


def test_stored_runs_at_split_points_match_a_full_reconcile(two_runs: dict, tmp_path: Path) -> None:
    """Articles held back (their status set aside), reconciled, then let in: the incremental
    run's tables equal a full reconcile's, at several points of the arrival order, and articles
    that leave (a re-fetch that fails) are handled alike."""
    db = tmp_path / "split.duckdb"
    shutil.copy(two_runs["full"], db)
    with connection(str(db)) as con:
        articles = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT article_id, fetched_at FROM mention_store JOIN article_store USING (article_id)"
                " WHERE status = 'ok' ORDER BY fetched_at, article_id"
            ).fetchall()
        ]
        built, restated = [], []
        for share in (0.6, 0.75, 0.9):
            later = articles[int(len(articles) * share) :]
            con.execute(
                "UPDATE article_store SET status = 'held' WHERE list_contains(?, article_id)", [later]
            )
            reconcile_database(con)  # the held articles' mentions leave
            gone = _tables(con)
            reconcile_database(con, full=True)
            assert _tables(con) == gone, share
            con.execute("UPDATE article_store SET status = 'ok' WHERE list_contains(?, article_id)", [later])
            stats = reconcile_database(con)  # and come back
            built.append(stats.built)
            restated.append(stats.restated)
            now = _tables(con)
            reconcile_database(con, full=True)
            assert _tables(con) == now, share
    assert all(0 < b < two_runs["full_stats"].built for b in built), built  # only a part was built
    # and some deals only had their direction text written again (the tables compare it above)
    assert any(restated), restated


def test_mentions_without_stored_vote_inputs_vote_from_their_facts(two_runs: dict, tmp_path: Path) -> None:
    """Assignments from before migration 011 hold no vote inputs (party_facts): an incremental run
    reads those mentions' facts instead, and its deals, conflicts and evidence are a full run's."""
    db = tmp_path / "old_rows.duckdb"
    shutil.copy(two_runs["full"], db)
    with connection(str(db)) as con:
        later = _articles_with_mentions(con)[::4]
        _set_status(con, later, "held")
        reconcile_database(con, full=True)
        con.execute("UPDATE deal_assignments SET party_facts = NULL")
        _set_status(con, later, "ok")
        stats = reconcile_database(con)
        assert 0 < stats.built < two_runs["full_stats"].built
        now = {t: rows for t, rows in _tables(con).items() if t != "deal_assignments"}
        reconcile_database(con, full=True)
        assert {t: rows for t, rows in _tables(con).items() if t != "deal_assignments"} == now


def test_a_database_from_before_stored_digests_and_backers(two_runs: dict, tmp_path: Path) -> None:
    """The writer keeps each mention's digest as it stores it (migration 012); a database from
    before has none and no backers per assignment: its next incremental run fills the digests the
    writer would have stored, reads every backer fact, and its tables are a full run's."""
    db = tmp_path / "before_012.duckdb"
    shutil.copy(two_runs["full"], db)
    with connection(str(db)) as con:
        written = con.execute("SELECT * FROM mention_digest ORDER BY ALL").fetchall()
        assert len(written) == con.execute("SELECT count(*) FROM mention_store").fetchone()[0]
        later = _articles_with_mentions(con)[1::3]
        _set_status(con, later, "held")
        reconcile_database(con, full=True)
        con.execute("DELETE FROM mention_digest")
        con.execute("UPDATE deal_assignments SET backers = NULL")
        _set_status(con, later, "ok")
        stats = reconcile_database(con)
        assert 0 < stats.built < two_runs["full_stats"].built
        assert con.execute("SELECT * FROM mention_digest ORDER BY ALL").fetchall() == written
        now = {t: rows for t, rows in _tables(con).items() if t != "deal_assignments"}
        reconcile_database(con, full=True)
        assert {t: rows for t, rows in _tables(con).items() if t != "deal_assignments"} == now
