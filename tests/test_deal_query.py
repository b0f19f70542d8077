"""Finding deals as an analyst asks: filters, sort, columns, and `show` by id prefix or company."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.deal_query import DealFilter, QueryError, find_deals, list_deals
from storage.db import connection, publish_snapshot

DEALS = [
    # deal_id, provider, customer, deal_type, total_value, announced_on
    ("d_aaa111", "Halvorsen Compute", "Quillmark AI", "compute", 2.7e9, date(2026, 3, 2)),
    ("d_aaa222", "Northwind Cloud", "Quillmark AI", "cloud", 4.0e8, date(2026, 6, 15)),
    ("d_bbb333", "Marlowe Data Centers", "Glasswing AI", "datacenter", None, date(2026, 9, 1)),
]


@pytest.fixture
def deals_db(db_path: Path) -> Path:
    with connection(db_path) as con:
        for row in DEALS:
            con.execute(
                "INSERT INTO deal_store (deal_id, provider, customer, deal_type, total_value, announced_on, "
                "currency, source_count, conflict_count) VALUES (?, ?, ?, ?, ?, ?, 'USD', 1, 0)",
                list(row),
            )
        con.execute(
            'INSERT INTO conflict_store (conflict_id, deal_id, field, severity, "values", explanation, status, '
            "values_hash) VALUES ('c_1', 'd_aaa222', 'total_value', 'conflict', '[]', 'two figures', 'open', 'h')"
        )
    publish_snapshot(db_path)
    return db_path


def _ids(db: Path, filt: DealFilter | None = None, sort: str | None = None) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names, rows = list_deals(con, filt, sort)
        return [r[names.index("deal_id")] for r in rows]
    finally:
        con.close()


def test_company_matches_provider_or_customer_in_any_case(deals_db: Path) -> None:
    assert set(_ids(deals_db, DealFilter(company="QUILLMARK"))) == {"d_aaa111", "d_aaa222"}
    assert _ids(deals_db, DealFilter(company="marlowe")) == ["d_bbb333"]
    assert _ids(deals_db, DealFilter(company="nobody")) == []


def test_type_dates_value_and_status_filters(deals_db: Path) -> None:
    assert _ids(deals_db, DealFilter(deal_type="Cloud")) == ["d_aaa222"]
    assert set(_ids(deals_db, DealFilter(since=date(2026, 6, 1)))) == {"d_aaa222", "d_bbb333"}
    assert _ids(deals_db, DealFilter(until=date(2026, 3, 31))) == ["d_aaa111"]
    assert _ids(deals_db, DealFilter(min_value=1e9)) == ["d_aaa111"]
    # Without a `status` column, a deal with an open conflict is 'disputed'.
    assert _ids(deals_db, DealFilter(status="disputed")) == ["d_aaa222"]


def test_sort_numbers_largest_first_unless_asked(deals_db: Path) -> None:
    assert _ids(deals_db, sort="total_value") == ["d_aaa111", "d_aaa222", "d_bbb333"]
    assert _ids(deals_db, sort="total_value:asc") == ["d_aaa222", "d_aaa111", "d_bbb333"]  # no value last
    assert _ids(deals_db) == ["d_bbb333", "d_aaa222", "d_aaa111"]  # default: latest announced first
    with pytest.raises(QueryError, match="cannot sort by 'size'"):
        _ids(deals_db, sort="size")


def test_a_column_someone_adds_to_deals_is_listed_and_filterable(deals_db: Path) -> None:
    con = duckdb.connect(str(deals_db))  # as a later migration would, without views.sql resetting it
    try:
        con.execute("ALTER TABLE deal_store ADD COLUMN status VARCHAR")
        con.execute(
            "UPDATE deal_store SET status = CASE WHEN deal_id = 'd_bbb333' THEN 'candidate' ELSE 'confirmed' END"
        )
        con.execute("CREATE OR REPLACE VIEW deals AS SELECT * FROM deal_store")
    finally:
        con.close()
    assert _ids(deals_db, DealFilter(status="candidate")) == ["d_bbb333"]


def test_find_deals_by_id_prefix_then_company(deals_db: Path) -> None:
    con = duckdb.connect(str(deals_db), read_only=True)
    try:
        assert [d["deal_id"] for d in find_deals(con, "d_bbb")] == ["d_bbb333"]
        assert len(find_deals(con, "d_aaa")) == 2
        assert [d["deal_id"] for d in find_deals(con, "northwind")] == ["d_aaa222"]
        assert find_deals(con, "100%_") == []  # LIKE wildcards are plain text
    finally:
        con.close()


def test_deals_cli_json_prints_exactly_the_filtered_deals(deals_db: Path, capsys) -> None:
    assert main(["deals", "--company", "glasswing", "--db", str(deals_db), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["deal_id"] for r in rows] == ["d_bbb333"]
    assert rows[0]["provider"] == "Marlowe Data Centers"


def test_deals_table_fits_120_characters_and_wide_shows_more(deals_db: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # not a terminal: one line per row
    assert main(["deals", "--db", str(deals_db)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 120
    assert "$2.7B" in out and "Halvorsen Compute" in out and "(3 rows)" in out
    assert main(["deals", "--db", str(deals_db), "--wide"]) == 0
    assert "monthly" in capsys.readouterr().out.splitlines()[0]
    assert main(["deals", "--db", str(deals_db), "--columns", "deal_id,customer"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header == ["deal_id", "customer"]


def test_bad_deals_options_are_one_clear_line(deals_db: Path, capsys) -> None:
    assert main(["deals", "--db", str(deals_db), "--columns", "deal_id,size"]) == 2
    assert "no column 'size'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["deals", "--db", str(deals_db), "--since", "last week"])
    assert exc.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_show_takes_an_id_prefix_or_a_company(deals_db: Path, capsys) -> None:
    assert main(["show", "d_bbb", "--db", str(deals_db)]) == 0
    assert capsys.readouterr().out.startswith("Deal d_bbb333: Marlowe Data Centers")
    assert main(["show", "halvorsen", "--db", str(deals_db)]) == 0
    assert "Deal d_aaa111" in capsys.readouterr().out


def test_show_with_several_matches_says_how_to_narrow_when_not_a_terminal(deals_db: Path, capsys) -> None:
    assert main(["show", "quillmark", "--db", str(deals_db)]) == 2
    err = capsys.readouterr().err
    assert "2 deals match 'quillmark'" in err and "d_aaa111" in err and "d_aaa222" in err
    assert len(err.strip().splitlines()) == 1


def test_verbose_is_accepted_before_or_after_the_subcommand(deals_db: Path) -> None:
    from flows.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["deals", "--verbose"]).verbose is True
    assert parser.parse_args(["--verbose", "show", "x"]).verbose is True
    assert parser.parse_args(["ingest", "feed.xml"]).verbose is False
    assert main(["deals", "--db", str(deals_db), "--verbose"]) == 0


def test_show_with_several_matches_asks_which_at_a_terminal(deals_db: Path, capsys, monkeypatch) -> None:
    import flows.analyst_commands as analyst

    monkeypatch.setattr(analyst, "interactive", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "2")
    assert main(["show", "quillmark", "--db", str(deals_db)]) == 0
    out = capsys.readouterr().out
    listed, shown = out.split("Deal ", 1)
    assert "2 deals match 'quillmark'" in listed and "1. d_aaa" in listed and "2. d_aaa" in listed
    second = listed.split("2. ")[1].split()[0]
    assert shown.startswith(second)
