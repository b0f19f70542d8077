"""Rendering query results for people (tables) and for programs (CSV, one JSON array)."""

from __future__ import annotations

from flows.terminal import render_table
from storage.encoding import csv_rows, json_rows

FORMATS = ("table", "csv", "json")


def render(columns: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 48) -> str:
    if fmt == "json":  # one encoding per type, shared with `export` (storage.encoding)
        return json_rows(columns, rows)
    if fmt == "csv":
        return csv_rows(columns, rows)
    return render_table(columns, rows, max_width=max_width or None)  # cells cut only when asked (0: never)
