"""The library under the CLI (flows/api.py): data back, one-line UserErrors, nothing printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.models import ConflictStatus
from flows import api
from storage.db import connection, publish_snapshot

DEALS = [
    ("d_aaa111", "Halvorsen Compute", "Quillmark AI", 2.7e9),
    ("d_aaa222", "Halvorsen Compute", "Brightwater Labs", 4.0e8),
    ("d_bbb333", "Marlowe Data Centers", "Glasswing AI", None),
]


@pytest.fixture
def db(db_path: Path) -> Path:
    with connection(db_path) as con:
        for row in DEALS:
            con.execute(
                "INSERT INTO deal_store (deal_id, provider, customer, total_value, currency) "
                "VALUES (?, ?, ?, ?, 'USD')",
                list(row),
            )
        con.execute(
            'INSERT INTO conflict_store (conflict_id, deal_id, field, severity, "values", explanation, status, '
            "values_hash) VALUES ('c_1', 'd_aaa111', 'total_value', 'minor', '[]', 'one outlet rounds', 'open', 'h')"
        )
    publish_snapshot(db_path)
    return db_path


def test_deals_are_dicts_filtered_and_sorted(db: Path, capsys) -> None:
    rows = api.deals(db, company="halvorsen", sort="total_value:asc")
    assert [r["deal_id"] for r in rows] == ["d_aaa222", "d_aaa111"]
    assert rows[0]["customer"] == "Brightwater Labs" and "provider" in rows.columns
    assert api.deals(db, min_value=1e9, columns=["deal_id"]) == [{"deal_id": "d_aaa111"}]
    empty = api.deals(db, company="nobody")
    assert empty == [] and "deal_id" in empty.columns  # the columns are known with no rows too
    assert capsys.readouterr().out == ""  # a library prints nothing


def test_show_finds_a_deal_by_company_and_refuses_an_ambiguous_name(db: Path) -> None:
    detail = api.show(db, "Glasswing")
    assert detail.deal["deal_id"] == "d_bbb333" and detail.conflicts == []
    (conflict,) = api.show(db, "Quillmark").conflicts  # a typed Conflict, its values read back from JSON
    assert (conflict.conflict_id, conflict.field, conflict.status, conflict.values) == (
        "c_1",
        "total_value",
        ConflictStatus.OPEN,
        [],
    )
    with pytest.raises(api.UserError, match="2 deals match 'Halvorsen'"):
        api.show(db, "Halvorsen")
    with pytest.raises(api.UserError, match="no deal 'zzz'"):
        api.show(db, "zzz")


def test_ack_and_reopen_change_what_conflicts_lists(db: Path) -> None:
    assert [c["conflict_id"] for c in api.conflicts(db)] == ["c_1"]
    assert api.ack(db, "c_1") == {"conflict_id": "c_1", "status": "acknowledged"}
    assert api.conflicts(db) == []
    assert [c["status"] for c in api.conflicts(db, include_acknowledged=True)] == ["acknowledged"]
    api.reopen(db, "c_1")
    assert [c["status"] for c in api.conflicts(db)] == ["open"]
    with pytest.raises(api.UserError, match="no conflict 'c_9'"):
        api.ack(db, "c_9")


def test_user_mistakes_are_one_line_errors(tmp_path: Path, db: Path) -> None:
    with pytest.raises(api.UserError) as missing:
        api.deals(tmp_path / "nope.duckdb")
    assert "\n" not in str(missing.value)
    with pytest.raises(api.UserError, match="no column 'colour'"):
        api.deals(db, columns=["colour"])
    with pytest.raises(api.UserError, match="no SOURCE given and no sources file"):
        api.ingest(db=db, sources_file=tmp_path / "missing.toml")


def test_export_returns_the_files_it_wrote(db: Path, tmp_path: Path) -> None:
    files = api.export(db, tmp_path / "out", "json")
    assert files and all(f.exists() and f.suffix == ".json" for f in files)
    assert api.runs(db) == []  # no run has happened in this hand-made database
