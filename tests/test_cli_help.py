"""Every option says what it does; `sql --help` names the views; long text is cut only when asked."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from flows.cli import build_parser, main
from storage.db import connection, publish_snapshot


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_option_and_argument_has_help_text() -> None:
    missing = [
        f"{name} {a.option_strings or a.dest}"
        for name, p in _subparsers().items()
        for a in p._actions
        if not a.help
    ]
    assert not missing, f"options without help text: {missing}"


def test_sql_help_lists_the_views_and_their_columns(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["sql", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    listed = dict(re.findall(r"^  (\w+): (.*?)(?=^  \w+:|\Z)", out, re.S | re.M))
    assert {"articles", "deals", "conflicts", "evidence", "runs"} <= set(listed)
    for view, column in (("deals", "total_value"), ("conflicts", "explanation"), ("evidence", "sentence")):
        assert column in " ".join(listed[view].split()).split(", ")


@pytest.fixture
def long_db(db_path: Path) -> Path:
    explanation = (
        "Total value: Outlet A says $3.24B; " + "Outlet B, which is long-winded, " * 4 + "says $4.5B."
    )
    with connection(db_path) as con:
        con.execute("INSERT INTO deal_store (deal_id, provider, customer) VALUES ('d_1', 'A Corp', 'B Labs')")
        con.execute(
            'INSERT INTO conflict_store (conflict_id, deal_id, field, severity, "values", explanation, status, '
            "values_hash) VALUES ('c_1', 'd_1', 'total_value', 'conflict', '[]', ?, 'open', 'h')",
            [explanation],
        )
    publish_snapshot(db_path)
    return db_path


def test_conflict_explanations_are_never_cut_before_the_values(long_db: Path, capsys) -> None:
    assert main(["conflicts", "--db", str(long_db)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "says $4.5B." in out and "…" not in out


def test_sql_max_width_cuts_or_keeps_cells(long_db: Path, capsys) -> None:
    query = "SELECT explanation FROM conflicts"
    assert main(["sql", query, "--db", str(long_db), "--max-width", "30"]) == 0
    cut = capsys.readouterr().out
    assert "…" in cut and "$4.5B" not in cut
    assert main(["sql", query, "--db", str(long_db), "--max-width", "0"]) == 0
    assert "says $4.5B." in capsys.readouterr().out
