"""Rendering query results for people (tables) and for programs (CSV, one JSON array)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from storage.encoding import csv_rows, json_rows

FORMATS = ("table", "csv", "json")


def _cell(value: Any, width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, (datetime, date)):
        text = value.isoformat()
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(columns: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 48) -> str:
    if fmt == "json":  # one encoding per type, shared with `export` (storage.encoding)
        return json_rows(columns, rows)
    if fmt == "csv":
        return csv_rows(columns, rows)
    cells = [[_cell(v, max_width) for v in r] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(widths[i]) for i, c in enumerate(columns))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(widths[i]) for i, v in enumerate(row)) for row in cells]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line, sep, *body, footer])
