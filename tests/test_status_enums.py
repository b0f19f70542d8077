"""Statuses are enums (extractors/models.py): what a real run stores is always a member, and the
`deals` view carries the agreed/disputed status that `dealwatch deals` prints."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.models import Agreement, ArticleStatus, ConflictStatus, DealStatus, RunStatus
from flows.deal_query import DealFilter, list_deals
from flows.site_server import SiteServer
from storage.db import connection
from storage.reconcile_db import set_review
from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

#: (table or view, column) -> the enum its every value belongs to.
STATUS_COLUMNS = {
    ("articles", "status"): ArticleStatus,
    ("runs", "status"): RunStatus,
    ("conflicts", "status"): ConflictStatus,
    ("deal_store", "status"): DealStatus,
    ("deals", "agreement"): Agreement,
}


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> Path:
    """The fixture site ingested by the real flow: deals, conflicts, a page that fails."""
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("statuses") / "site.duckdb"
    with SiteServer(FIXTURES / "site") as server:
        ingest(
            [f"{server.base_url}/feed.xml"],
            db_path=str(db),
            quiet=True,
            policy_overrides={"per_host_delay": 0.0},
        )
    return db


def _values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set[str]:
    return {v for (v,) in con.execute(f"SELECT DISTINCT {column} AS v FROM {table}").fetchall()}


def test_every_status_a_real_run_stores_is_a_member_of_its_enum(site_db: Path) -> None:
    con = duckdb.connect(str(site_db), read_only=True)
    try:
        found = {key: _values(con, *key) for key in STATUS_COLUMNS}
        failed_notes = _values(con, "articles WHERE status = 'failed'", "status_note")
    finally:
        con.close()
    for (table, column), enum in STATUS_COLUMNS.items():
        values = found[(table, column)]
        assert values, f"the run stored no {table}.{column}"
        assert values <= {m.value for m in enum}, (
            f"{table}.{column}: {values - set(enum)} not in {enum.__name__}"
        )
    assert ArticleStatus.FAILED in found[("articles", "status")], "the site has a page that fails"
    assert Agreement.DISPUTED in found[("deals", "agreement")], "the site's sources disagree on a deal"
    assert failed_notes and None not in failed_notes, "a failed document's note says why"


def test_the_cli_status_is_the_views_agreement_and_follows_a_review(site_db: Path) -> None:
    def disputed() -> tuple[set[str], set[str]]:
        con = duckdb.connect(str(site_db), read_only=True)
        try:
            names, rows = list_deals(con, DealFilter(status="disputed"))
            listed = {r[names.index("deal_id")] for r in rows}
            view = _values(con, "deals WHERE agreement = 'disputed'", "deal_id")
        finally:
            con.close()
        return listed, view

    listed, view = disputed()
    assert listed and listed == view
    with connection(site_db) as con:
        open_ids = [
            cid
            for (cid,) in con.execute(
                "SELECT conflict_id FROM conflicts WHERE status = 'open' AND deal_id = ?", [sorted(view)[0]]
            ).fetchall()
        ]
        for cid in open_ids:
            assert set_review(con, cid, ConflictStatus.ACKNOWLEDGED)
    listed_after, view_after = disputed()
    assert listed_after == view_after == view - {sorted(view)[0]}, "acknowledged: the deal is agreed"
