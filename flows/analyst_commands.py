"""`dealwatch deals`, `show` and `report`: parse nothing, ask the library (flows/api.py), print.

User mistakes (an unknown column, an ambiguous deal) are UserError: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows import api
from flows.cli_base import UserError
from flows.deal_query import HEADERS
from flows.output import render
from flows.terminal import render_table
from reconciliation.explain import format_money
from storage.db import DatabaseError


def deals_table(
    db: str, filters: dict | None = None, sort: str | None = None, fmt: str = "table", **cols
) -> str:
    """The deals listing as text: the scan-first columns in a table, every column in CSV/JSON.
    ``filters``: keyword filters of flows.api.deals."""
    columns = None
    if fmt == "table" or cols.get("columns"):
        columns = api.deal_columns(db, cols.get("columns"), wide=cols.get("wide", False))
    if fmt != "table":
        rows = api.deals(db, sort=sort, columns=columns, **(filters or {}))
        return render(rows.columns, rows.tuples(), fmt)
    rows = api.deals(db, sort=sort, columns=list(dict.fromkeys([*columns, "currency"])), **(filters or {}))
    currencies = [r["currency"] for r in rows]
    return render_table(
        columns, [tuple(r[c] for c in columns) for r in rows], headers=HEADERS, currencies=currencies
    )


def cmd_deals(args: argparse.Namespace) -> int:
    filters = {
        "company": args.company,
        "deal_type": args.deal_type,
        "since": args.since,
        "until": args.until,
        "min_value": args.min_value,
        "status": args.status,
    }
    print(deals_table(args.db, filters, args.sort, args.format, columns=args.columns, wide=args.wide))
    return 0


def interactive() -> bool:
    """Someone at a terminal who can answer a question."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _choose(ref: str, matches: list[dict]) -> str:
    """Several deals match: ask which (someone at a terminal)."""
    lines = [
        f"  {i}. {m['deal_id']}  {m['provider'] or '?'} → {m['customer'] or '?'}"
        f"  {format_money(m['total_value'], m['currency']) if m['total_value'] else ''}"
        for i, m in enumerate(matches, 1)
    ]
    print(f"{len(matches)} deals match {ref!r}:")
    print("\n".join(lines))
    answer = input(f"Which one? [1-{len(matches)}] ").strip()
    if not answer.isdigit() or not 1 <= int(answer) <= len(matches):
        raise UserError(f"no choice made (answer a number from 1 to {len(matches)})")
    return matches[int(answer) - 1]["deal_id"]


def resolve_deal(db: str, ref: str) -> str:
    """The deal id ``ref`` means: an id, a unique id prefix or a company name (asks when several,
    on a terminal; flows.api.deal_id_of says how to narrow otherwise)."""
    matches = api.resolve(db, ref)
    if len(matches) > 1 and interactive():
        return _choose(ref, matches)
    return api.deal_id_of(db, ref, matches)


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
