"""Rendering query results for people (tables) and for programs (CSV, one JSON array)."""

from __future__ import annotations

import csv
import io
import json

from flows.terminal import render_table
from storage.explain import jsonable

FORMATS = ("table", "csv", "json")


def render(columns: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 48) -> str:
    if fmt == "json":
        return json.dumps(
            [{c: jsonable(v) for c, v in zip(columns, r, strict=True)} for r in rows], ensure_ascii=False
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(
                [
                    ""
                    if v is None
                    else json.dumps(jsonable(v))
                    if isinstance(v, (list, dict))
                    else jsonable(v)
                    for v in r
                ]
            )
        return buf.getvalue().rstrip("\n")
    return render_table(columns, rows, max_width=max_width or None)  # cells cut only when asked (0: never)
