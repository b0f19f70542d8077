"""The CLI as a user meets it: documented commands, clear errors, machine-readable output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import build_parser, main
from storage.db import connection, publish_snapshot

REPO = Path(__file__).resolve().parent.parent


def _subcommands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


def test_every_command_is_documented_in_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _subcommands() if not re.search(rf"dealwatch {c}\b", readme)]
    assert not missing, f"commands without an example in README.md: {missing}"


@pytest.fixture
def small_db(db_path: Path) -> Path:
    with connection(db_path) as con:
        con.execute(
            "INSERT INTO deal_store (deal_id, provider, customer, total_value, start_date, hardware, currency) "
            "VALUES ('d_1', 'Halvorsen Compute', 'Quillmark AI', 2.7e9, DATE '2026-10-01', ['Nvidia GB200'], 'USD')"
        )
        con.execute(
            'INSERT INTO conflict_store (conflict_id, deal_id, field, severity, "values", explanation, status, '
            "values_hash) VALUES ('c_1', 'd_1', 'total_value', 'minor', "
            "'[{\"value\": 2.7e9}]', 'one outlet rounds', 'open', 'h1')"
        )
    publish_snapshot(db_path)
    return db_path


def test_sql_json_is_exactly_one_array_with_iso_dates(small_db: Path, capsys) -> None:
    assert (
        main(
            [
                "sql",
                "SELECT deal_id, start_date, hardware FROM deals",
                "--db",
                str(small_db),
                "--format",
                "json",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    rows = json.loads(out)
    assert rows == [{"deal_id": "d_1", "start_date": "2026-10-01", "hardware": ["Nvidia GB200"]}]


def test_sql_csv_has_a_header(small_db: Path, capsys) -> None:
    main(["sql", "SELECT provider, customer FROM deals", "--db", str(small_db), "--format", "csv"])
    assert capsys.readouterr().out.splitlines() == ["provider,customer", "Halvorsen Compute,Quillmark AI"]


def test_bad_sql_is_one_clear_line_not_a_traceback(small_db: Path, capsys) -> None:
    assert main(["sql", "SELECT nope FROM deals", "--db", str(small_db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dealwatch: query failed:") and "Traceback" not in err


def test_sql_is_read_only(small_db: Path, capsys) -> None:
    assert main(["sql", "DELETE FROM deal_store", "--db", str(small_db)]) == 2
    assert "read-only" in capsys.readouterr().err.lower()
    with connection(small_db) as con:
        assert con.execute("SELECT count(*) FROM deals").fetchone()[0] == 1


def test_missing_database_tells_the_user_what_to_run(tmp_path: Path, capsys) -> None:
    assert main(["deals", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "dealwatch ingest" in capsys.readouterr().err


def test_unknown_deal_and_conflict_are_clear_errors(small_db: Path, capsys) -> None:
    assert main(["show", "d_nope", "--db", str(small_db)]) == 2
    assert "no deal 'd_nope'" in capsys.readouterr().err
    assert main(["conflicts", "ack", "c_nope", "--db", str(small_db)]) == 2
    assert "no conflict 'c_nope'" in capsys.readouterr().err


def test_ack_hides_a_conflict_from_the_open_list(small_db: Path, capsys) -> None:
    assert main(["conflicts", "ack", "c_1", "--db", str(small_db)]) == 0
    capsys.readouterr()
    main(["conflicts", "--db", str(small_db), "--format", "json"])
    assert json.loads(capsys.readouterr().out) == []
    main(["conflicts", "--all", "--db", str(small_db), "--format", "json"])
    assert [c["status"] for c in json.loads(capsys.readouterr().out)] == ["acknowledged"]


def test_show_prints_the_deal_and_its_conflicts(small_db: Path, capsys) -> None:
    assert main(["show", "d_1", "--db", str(small_db)]) == 0
    out = capsys.readouterr().out
    assert "Halvorsen Compute" in out and "Quillmark AI" in out and "$2.7B" in out
    assert "one outlet rounds" in out


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "xlsx"])
def test_export_writes_readable_files(small_db: Path, tmp_path: Path, fmt: str, capsys) -> None:
    out = tmp_path / "exp"
    assert main(["export", "--format", fmt, "--out", str(out), "--db", str(small_db)]) == 0
    files = [Path(line) for line in capsys.readouterr().out.split()]
    assert files and all(f.exists() and f.stat().st_size > 0 for f in files)
    if fmt == "json":
        deals = json.loads((out / "deals.json").read_text())
        assert deals[0]["provider"] == "Halvorsen Compute"
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(files[0], read_only=True)
        assert {"deals", "conflicts", "evidence", "articles"} <= set(wb.sheetnames)
        rows = list(wb["deals"].iter_rows(values_only=True))
        assert rows[1][1] == "Halvorsen Compute"


def test_bad_cron_is_refused_before_any_server_starts(capsys) -> None:
    assert main(["serve", "http://127.0.0.1:9/feed.xml", "--cron", "every now and then"]) == 2
    assert "invalid cron expression" in capsys.readouterr().err


def test_cli_entry_point_runs_as_a_script() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and "ingest" in proc.stdout


def test_reopen_puts_an_acknowledged_conflict_back_on_the_open_list(small_db: Path, capsys) -> None:
    assert main(["conflicts", "ack", "c_1", "--db", str(small_db)]) == 0
    assert main(["conflicts", "reopen", "c_1", "--db", str(small_db)]) == 0
    assert "marked open" in capsys.readouterr().out
    main(["conflicts", "--db", str(small_db), "--format", "json"])
    assert [c["conflict_id"] for c in json.loads(capsys.readouterr().out)] == ["c_1"]


def test_ingest_without_sources_or_sources_file_says_what_to_write(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "sources.toml"
    assert main(["ingest", "--sources-file", str(missing), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "no SOURCE given and no sources file" in capsys.readouterr().err


def test_a_sources_file_with_only_bad_entries_is_one_clear_error(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nname = "typo"\nenable = true\n')
    assert main(["ingest", "--sources-file", str(bad), "--db", str(tmp_path / "x.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "nothing to ingest" in err and "Traceback" not in err


def test_sql_json_turns_non_finite_numbers_into_null(small_db: Path, capsys) -> None:
    assert (
        main(
            [
                "sql",
                "SELECT 'nan'::DOUBLE AS x, 1.5::DECIMAL(4,2) AS d",
                "--db",
                str(small_db),
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"x": None, "d": 1.5}]
