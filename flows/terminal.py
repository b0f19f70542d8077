"""Tables for people at a terminal (rich): readable money and dates, long text wrapped, not cut.

On a terminal the table fits its width and wraps long cells; piped into a file or `less` it keeps
each row on one line. Cutting a cell is opt-in (``max_width``), so an explanation is never cut
before the values it names unless the user asked for it.
"""

from __future__ import annotations

import io
import math
import shutil
import sys
from datetime import date, datetime
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from storage.explain import format_money

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


def _cut(text: str, width: int | None) -> str:
    return text if not width or len(text) <= width else text[: width - 1] + "…"


def render_table(
    columns: list[str],
    rows: list[tuple],
    max_width: int | None = None,
    width: int | None = None,
    color: bool | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """A rich table as text, with a '(N rows)' footer. ``max_width`` cuts cells (None: never);
    ``headers`` relabels columns for display."""
    is_tty = sys.stdout.isatty()
    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns if is_tty else PIPE_WIDTH
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        header_style="bold",
    )
    currency_at = columns.index("currency") if "currency" in columns else None
    numeric = [
        all(isinstance(r[i], NUMERIC_ALIGN) or r[i] is None for r in rows) for i in range(len(columns))
    ]
    for i, name in enumerate(columns):
        table.add_column(
            (headers or {}).get(name, name),
            justify="right" if numeric[i] and rows else "left",
            overflow="fold",
        )
    for row in rows:
        currency = row[currency_at] if currency_at is not None else None
        table.add_row(
            *(_cut(cell_text(v, c, currency), max_width) for c, v in zip(columns, row, strict=True))
        )
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=is_tty if color is None else color,
        no_color=not (is_tty if color is None else color),
        highlight=False,
        soft_wrap=False,
    )
    console.print(table)
    lines = [line.rstrip() for line in buf.getvalue().splitlines()]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
