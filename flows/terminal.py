"""Tables for people at a terminal (rich): readable money and dates, long text wrapped, not cut.

On a terminal the table fits its width and wraps long cells; piped into a file or `less` it keeps
each row on one line unless $COLUMNS says how wide to wrap. Cutting a cell is opt-in (``max_width``), so an explanation is never cut
before the values it names unless the user asked for it.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import sys
from datetime import date, datetime
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from reconciliation.explain import format_money

MONEY_COLUMNS = ("monthly_fee", "total_value")
NUMERIC_ALIGN = (int, float)
PIPE_WIDTH = 10_000  # not a terminal: never wrap


def cell_text(value: Any, column: str = "", currency: str | None = None) -> str:
    """One value as an analyst reads it: $3.24B, 2026-09-01, 'Nvidia GB300, Nvidia H100'."""
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if column in MONEY_COLUMNS and isinstance(value, (int, float)):
        return format_money(value, currency or "USD")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _columns_env() -> int | None:
    """$COLUMNS, when set, wraps piped tables too (`COLUMNS=100 dealwatch conflicts | less`)."""
    text = os.environ.get("COLUMNS", "")
    return int(text) if text.isdigit() and int(text) >= 20 else None


def _cut(text: str, width: int | None) -> str:
    return text if not width or len(text) <= width else text[: width - 1] + "…"


def _keeps_whole(name: str, values: list[Any]) -> bool:
    """Ids, dates and numbers never wrap: half an id or a date split over two lines misleads."""
    return name.endswith("_id") or all(
        v is None or isinstance(v, (int, float, date)) and not isinstance(v, bool) for v in values
    )


def _longest_word(name: str, values: list[Any]) -> int:
    """Text wraps between words, not inside one (up to a point: a URL may still fold)."""
    words = [w for v in values if isinstance(v, str) for w in v.split()]
    return min(max([len(name.split("_")[0]), *map(len, words)]), 16)


def render_table(
    columns: list[str],
    rows: list[tuple],
    max_width: int | None = None,
    width: int | None = None,
    headers: dict[str, str] | None = None,
    currencies: list[str | None] | None = None,
) -> str:
    """A rich table as text, with a '(N rows)' footer. ``max_width`` cuts cells (None: never);
    ``headers`` relabels columns; money is written with its currency when the rows have a
    `currency` column or ``currencies`` gives one per row, else as a plain number."""
    is_tty = sys.stdout.isatty()
    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns if is_tty else _columns_env() or PIPE_WIDTH
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        header_style="bold",
    )
    for i, name in enumerate(columns):
        values = [r[i] for r in rows]
        numeric = bool(rows) and all(isinstance(v, NUMERIC_ALIGN) or v is None for v in values)
        table.add_column(
            (headers or {}).get(name, name),
            justify="right" if numeric else "left",
            no_wrap=_keeps_whole(name, values),
            min_width=_longest_word(name, values),
            overflow="fold",
        )
    if currencies is None and "currency" in columns:
        currencies = [r[columns.index("currency")] for r in rows]
    for n, row in enumerate(rows):
        currency = currencies[n] if currencies is not None else None
        table.add_row(
            *(
                _cut(_money_or_cell(v, c, currency, currencies), max_width)
                for c, v in zip(columns, row, strict=True)
            )
        )
    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=is_tty, no_color=not is_tty, highlight=False).print(table)
    lines = [line.rstrip() for line in buf.getvalue().splitlines()]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _money_or_cell(value: Any, column: str, currency: str | None, currencies: list | None) -> str:
    """Money as $3.24B only when its currency is known; otherwise the plain number."""
    if column in MONEY_COLUMNS and currencies is None:
        return cell_text(value)
    return cell_text(value, column, currency)
