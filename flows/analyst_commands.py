"""`dealwatch deals`, `show` and `report`: parse nothing, ask flows/deal_query.py, print.

User mistakes (an unknown column, an ambiguous deal) are UserError: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from flows.cli_base import UserError
from flows.deal_query import (
    HEADERS,
    DealFilter,
    QueryError,
    available_columns,
    find_deals,
    list_deals,
    select_columns,
)
from flows.output import render
from flows.terminal import render_table
from reconciliation.explain import format_money
from storage.db import DatabaseError, open_for_reading


def _read(db: str) -> duckdb.DuckDBPyConnection:
    try:
        return open_for_reading(db)
    except DatabaseError as exc:
        raise UserError(str(exc)) from exc


def deals_table(
    db: str, filt: DealFilter | None = None, sort: str | None = None, fmt: str = "table", **cols
) -> str:
    """The deals listing as text: the scan-first columns in a table, every column in CSV/JSON."""
    con = _read(db)
    try:
        columns = None
        if fmt == "table" or cols.get("columns"):
            columns = select_columns(
                cols.get("columns"), available_columns(con), wide=cols.get("wide", False)
            )
        if fmt != "table":
            return render(*list_deals(con, filt, sort, columns), fmt)
        names, rows = list_deals(con, filt, sort, [*columns, "currency"])
    except QueryError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()
    by_name = [dict(zip(names, r, strict=True)) for r in rows]
    currencies = [row["currency"] for row in by_name]
    shown = [tuple(row[c] for c in columns) for row in by_name]
    return render_table(list(columns), shown, headers=HEADERS, currencies=currencies)


def cmd_deals(args: argparse.Namespace) -> int:
    filt = DealFilter(
        company=args.company,
        deal_type=args.deal_type,
        since=args.since,
        until=args.until,
        min_value=args.min_value,
        status=args.status,
    )
    print(deals_table(args.db, filt, args.sort, args.format, columns=args.columns, wide=args.wide))
    return 0


def interactive() -> bool:
    """Someone at a terminal who can answer a question."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _choose(ref: str, matches: list[dict]) -> str:
    """Several deals match: ask which on a terminal, else say how to narrow (exit 2)."""
    lines = [
        f"  {i}. {m['deal_id']}  {m['provider'] or '?'} → {m['customer'] or '?'}"
        f"  {format_money(m['total_value'], m['currency']) if m['total_value'] else ''}"
        for i, m in enumerate(matches, 1)
    ]
    if not interactive():
        listing = "; ".join(
            f"{m['deal_id']} ({m['provider'] or '?'} → {m['customer'] or '?'})" for m in matches
        )
        raise UserError(f"{len(matches)} deals match {ref!r}: {listing}. Give more of the id or of the name.")
    print(f"{len(matches)} deals match {ref!r}:")
    print("\n".join(lines))
    answer = input(f"Which one? [1-{len(matches)}] ").strip()
    if not answer.isdigit() or not 1 <= int(answer) <= len(matches):
        raise UserError(f"no choice made (answer a number from 1 to {len(matches)})")
    return matches[int(answer) - 1]["deal_id"]


def resolve_deal(db: str, ref: str) -> str:
    """The deal id ``ref`` means: an id, a unique id prefix or a company name (asks when several)."""
    con = _read(db)
    try:
        matches = find_deals(con, ref)
    except QueryError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()
    if not matches:
        raise UserError(
            f"no deal {ref!r}: give a deal id, its first characters or a company name (see `dealwatch deals`)"
        )
    return matches[0]["deal_id"] if len(matches) == 1 else _choose(ref, matches)


def cmd_report(args: argparse.Namespace) -> int:
    from flows.report import write_report

    out = Path(args.out or "report.html")
    try:
        path = write_report(args.db, out)
    except DatabaseError as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from exc
    print(f"{path} (open it in a browser: file://{path.resolve()})")
    return 0
