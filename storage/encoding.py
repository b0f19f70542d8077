"""One text form per type for every file an analyst opens: `sql --format csv|json`, `deals`,
`conflicts` and every `export`.

Lists and JSON columns are JSON (``["Nvidia GB300"]``), dates and timestamps ISO 8601, whole
amounts without a trailing ``.0`` (``3240000000``), and in CSV and XLSX every text cell that a
spreadsheet would read as a formula (it starts with ``= + - @``, a tab or a carriage return) is
prefixed with a single quote, as OWASP's CSV-injection guidance says. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

#: First characters that make Excel, LibreOffice or Sheets evaluate a cell (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Control characters XLSX (XML 1.0) cannot hold; openpyxl refuses them.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Beyond this a float loses integer precision: keep its float form.
_EXACT_INT = 2**53


class JsonText(str):
    """Text read from a JSON column: encoders parse it and nest it instead of quoting it."""


def mark_json_columns(description: Sequence[Sequence[Any]] | None, rows: list[tuple]) -> list[tuple]:
    """Wrap the values of JSON-typed columns (``conflicts.values``) as :class:`JsonText`.

    DuckDB hands JSON columns to Python as plain strings; the column type is the only place that
    says they are JSON, so it is read here, once, for every output path.
    """
    if not description:
        return rows
    json_cols = [i for i, d in enumerate(description) if str(d[1]).upper() == "JSON"]
    if not json_cols:
        return rows
    out = []
    for row in rows:
        cells = list(row)
        for i in json_cols:
            if isinstance(cells[i], str):
                cells[i] = JsonText(cells[i])
        out.append(tuple(cells))
    return out


def _number(value: float | Decimal) -> int | float | None:
    """Whole numbers as ints (money reads ``3240000000``, not ``3240000000.0``); NaN/inf as None."""
    value = float(value)
    if not math.isfinite(value):
        return None
    if value.is_integer() and abs(value) < _EXACT_INT:
        return int(value)
    return value


def json_value(value: Any) -> Any:
    """A value as JSON holds it: dates ISO, JSON columns nested, whole floats as ints."""
    if isinstance(value, JsonText):
        try:
            return json_value(json.loads(value))
        except json.JSONDecodeError:
            return str(value)
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, (float, Decimal)):
        return _number(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def json_text(value: Any) -> str:
    """The JSON text of a list, struct or JSON column, the same in CSV, XLSX and `sql` output."""
    return json.dumps(json_value(value), ensure_ascii=False)


def safe_text(text: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula: prefix a single quote."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: Any) -> str | int | float:
    """A value as one CSV cell: empty for NULL, numbers as numbers, everything else as safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        number = _number(value)
        return "" if number is None else number
    if isinstance(value, (JsonText, list, tuple, dict)):
        return json_text(value)
    if isinstance(value, str):
        return _one_line_break(safe_text(value))
    return _one_line_break(safe_text(str(json_value(value))))


def _one_line_break(text: str) -> str:
    """Line breaks inside a cell as ``\n``: Python's csv module, writing ``\n`` line ends, does not
    quote a bare ``\r``, which would split the row for every reader."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def xlsx_cell(value: Any) -> tuple[Any, str]:
    """A value as openpyxl should store it: real numbers, dates and booleans, safe text.

    Returns ``(value, kind)`` where kind is 'date', 'datetime', 'number', 'bool', 'text' or
    'empty', so the writer can set number formats and force text cells to the string type.
    """
    if value is None:
        return None, "empty"
    if isinstance(value, bool):
        return value, "bool"
    if isinstance(value, int):
        return value, "number"
    if isinstance(value, (float, Decimal)):
        number = _number(value)
        return (None, "empty") if number is None else (number, "number")
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # Excel has no time zones; stored values are UTC
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value, "datetime"
    if isinstance(value, date):
        return value, "date"
    text = _XLSX_ILLEGAL.sub(" ", str(csv_cell(value)))
    return safe_text(text), "text"


def csv_rows(columns: list[str], rows: list[tuple]) -> str:
    """A header and the rows as CSV text (no trailing newline), for `sql`/`deals`/`conflicts`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_text(c) for c in columns])
    w.writerows([csv_cell(v) for v in r] for r in rows)
    return buf.getvalue().rstrip("\n")


def json_rows(columns: list[str], rows: list[tuple]) -> str:
    """Exactly one JSON array of row objects."""
    records = [{c: json_value(v) for c, v in zip(columns, r, strict=True)} for r in rows]
    return json.dumps(records, ensure_ascii=False)
