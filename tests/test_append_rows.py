"""The bulk insert (storage.writer.append_rows): rows land whether DuckDB finds the
Arrow table by its name or, through a wrapped connection, by a registered view; inside the
reconcile's transaction too."""

from __future__ import annotations

from pathlib import Path

import duckdb

from storage.db import transaction
from storage.writer import append_rows

ROWS = [{"deal_id": "d1", "inputs_hash": "a"}, {"deal_id": "d2", "inputs_hash": None}]


class Wrapped:
    """A connection behind a wrapper (as a tracing tool would put it): execute is called from
    the wrapper's frame, where DuckDB does not find the table's name."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __getattr__(self, name: str):
        return getattr(self.con, name)

    def execute(self, *args):
        return self.con.execute(*args)


def _table(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "insert.duckdb"))
    con.execute("CREATE TABLE deal_inputs (deal_id VARCHAR PRIMARY KEY, inputs_hash VARCHAR, extra INT)")
    return con


def test_rows_are_inserted_by_name_in_a_transaction(tmp_path: Path) -> None:
    con = _table(tmp_path)
    with transaction(con):
        assert append_rows(con, "deal_inputs", ROWS) == 2
        assert append_rows(con, "deal_inputs", []) == 0
    assert con.execute("SELECT * FROM deal_inputs ORDER BY deal_id").fetchall() == [
        ("d1", "a", None),
        ("d2", None, None),
    ]


def test_a_wrapped_connection_inserts_the_same_rows_and_commits(tmp_path: Path) -> None:
    con = _table(tmp_path)
    with transaction(con):
        assert append_rows(Wrapped(con), "deal_inputs", ROWS) == 2
    assert con.execute("SELECT deal_id, inputs_hash FROM deal_inputs ORDER BY deal_id").fetchall() == [
        ("d1", "a"),
        ("d2", None),
    ]
    assert "_reconcile_rows" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
