"""Exports of the analyst views to CSV, Parquet, JSON and XLSX.

CSV/Parquet/JSON use DuckDB's own COPY (fast, typed); XLSX is written with openpyxl because the
DuckDB excel extension cannot be installed offline.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb

VIEWS = ("deals", "deal_candidates", "conflicts", "evidence", "articles")
FORMATS = ("csv", "parquet", "json", "xlsx")


class ExportError(Exception):
    """The export could not be written; the message says why."""


def export_views(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str, views: tuple[str, ...] = VIEWS
) -> list[Path]:
    """Write each view to ``out_dir/<view>.<fmt>``; returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {out}: {exc.strerror}") from exc
    if fmt == "xlsx":
        path = out / "dealwatch.xlsx"
        _write_xlsx(con, path, views)
        return [path]
    written = []
    for view in views:
        path = out / f"{view}.{fmt}"
        options = {
            "csv": "FORMAT CSV, HEADER",
            "parquet": "FORMAT PARQUET",
            "json": "FORMAT JSON, ARRAY true",
        }
        con.execute(f"COPY (SELECT * FROM {view}) TO '{_sql_path(path)}' ({options[fmt]})")
        written.append(path)
    return written


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _cell(value):
    """openpyxl takes scalars only: lists and dicts become JSON text."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=str)
    if isinstance(value, (datetime, date, int, float, str, bool)) or value is None:
        return value
    return str(value)


def _write_xlsx(con: duckdb.DuckDBPyConnection, path: Path, views: tuple[str, ...]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for view in views:
        ws = wb.create_sheet(view)
        cur = con.execute(f"SELECT * FROM {view}")
        ws.append([d[0] for d in cur.description])
        while rows := cur.fetchmany(1000):
            for row in rows:
                ws.append([_cell(v) for v in row])
    wb.save(path)
