"""Exports of the analyst views to CSV, Parquet, JSON and XLSX.

Every file is written here in Python from the same read-only, locked-down connection the analyst
commands use (it may not write files itself), and every text form comes from
``storage.encoding``: a list, a JSON column, a date or an amount reads the same in each export and
in `dealwatch sql`, and no text cell can run as a spreadsheet formula. Parquet keeps DuckDB's
own types (written with pyarrow); XLSX is written with openpyxl (the DuckDB excel extension
cannot be installed offline) with a bold frozen header, column widths, an autofilter and real
dates.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from storage.encoding import csv_cell, json_value, mark_json_columns, safe_text, xlsx_cell

VIEWS = ("deals", "deal_candidates", "conflicts", "evidence", "articles")
FORMATS = ("csv", "parquet", "json", "xlsx")
BATCH = 1000
#: XLSX column widths (characters): fitted to the first rows, within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss"}


class ExportError(Exception):
    """The export could not be written; the message says why."""


def export_views(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str, views: tuple[str, ...] = VIEWS
) -> list[Path]:
    """Write each view to ``out_dir/<view>.<fmt>`` (XLSX: one workbook); returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {out}: {exc.strerror or exc}") from exc
    targets = [out / "dealwatch.xlsx"] if fmt == "xlsx" else [out / f"{v}.{fmt}" for v in views]
    try:
        if fmt == "xlsx":
            _write_xlsx(con, targets[0], views)
        else:
            writer = {"csv": _write_csv, "json": _write_json, "parquet": _write_parquet}[fmt]
            for view, path in zip(views, targets, strict=True):
                writer(con, view, path)
    except OSError as exc:
        where = exc.filename or out
        raise ExportError(f"cannot write {where}: {exc.strerror or exc}") from exc
    return targets


def _rows(con: duckdb.DuckDBPyConnection, view: str) -> tuple[list[str], Iterator[list[tuple]]]:
    cur = con.execute(f"SELECT * FROM {view}")
    description = cur.description
    columns = [d[0] for d in description]

    def batches() -> Iterator[list[tuple]]:
        while rows := cur.fetchmany(BATCH):
            yield mark_json_columns(description, rows)

    return columns, batches()


def _write_csv(con: duckdb.DuckDBPyConnection, view: str, path: Path) -> None:
    columns, batches = _rows(con, view)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([safe_text(c) for c in columns])
        for rows in batches:
            w.writerows([csv_cell(v) for v in r] for r in rows)


def _write_json(con: duckdb.DuckDBPyConnection, view: str, path: Path) -> None:
    """One JSON array of row objects, written row by row (evidence can be large)."""
    columns, batches = _rows(con, view)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        first = True
        for rows in batches:
            for r in rows:
                record = {c: json_value(v) for c, v in zip(columns, r, strict=True)}
                fh.write(("" if first else ",\n") + json.dumps(record, ensure_ascii=False))
                first = False
        fh.write("]\n")


def _write_parquet(con: duckdb.DuckDBPyConnection, view: str, path: Path) -> None:
    import pyarrow.parquet as pq

    table = con.sql(f"SELECT * FROM {view}").to_arrow_table()
    pq.write_table(table, str(path))


def _write_xlsx(con: duckdb.DuckDBPyConnection, path: Path, views: tuple[str, ...]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for view in views:
        _write_sheet(wb, con, view)
    wb.save(path)


def _write_sheet(wb: Any, con: duckdb.DuckDBPyConnection, view: str) -> None:
    """One sheet: bold frozen header, widths fitted to the first rows, autofilter, typed cells."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(view)
    columns, batches = _rows(con, view)
    first = next(batches, [])
    encoded = [[xlsx_cell(v) for v in r] for r in first]
    for i, name in enumerate(columns, start=1):
        longest = max([len(name)] + [len(_shown(v, kind)) for v, kind in (row[i - 1] for row in encoded)])
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=safe_text(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)

    count = 0

    def write(rows: list[list[tuple[Any, str]]]) -> None:
        nonlocal count
        for row in rows:
            ws.append([_xlsx(ws, WriteOnlyCell, value, kind) for value, kind in row])
        count += len(rows)

    write(encoded)
    for rows in batches:
        write([[xlsx_cell(v) for v in r] for r in rows])
    # a write-only sheet writes its autofilter after the rows, so the range can cover them all
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{count + 1}"


def _xlsx(ws: Any, cell_type: Any, value: Any, kind: str) -> Any:
    cell = cell_type(ws, value=value)
    if kind == "text":
        cell.data_type = "s"  # never a formula, whatever the text
    elif kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _shown(value: Any, kind: str) -> str:
    if kind == "datetime":
        return "yyyy-mm-dd hh:mm:ss"
    if kind == "date":
        return "yyyy-mm-dd"
    return "" if value is None else str(value)
