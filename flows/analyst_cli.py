"""Command-line options for the analyst commands (deals, show, sql, report), kept apart from cli.py.

Only argument parsing lives here; flows/analyst_commands.py answers with flows/deal_query.py.
"""

from __future__ import annotations

import argparse
from datetime import date

from flows.deal_query import DEFAULT_COLUMNS


def iso_date(text: str) -> date:
    """YYYY-MM-DD, YYYY-MM (first day) or YYYY (January 1): a clear usage error otherwise."""
    parts = text.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if not 1 <= len(numbers) <= 3:
            raise ValueError(text)
        return date(*numbers, *[1] * (3 - len(numbers)))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)") from exc


def money(text: str) -> float:
    """A value like 500000000, 500M, 1.5B or 2bn."""
    scales = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12}
    raw = text.strip().lower().lstrip("$€£").replace(",", "").replace("_", "")
    unit = raw.lstrip("0123456789.")
    try:
        return float(raw[: len(raw) - len(unit)]) * scales[unit] if unit else float(raw)
    except (ValueError, KeyError) as exc:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r} (e.g. 500M, 1.5B, 2000000000)") from exc


def add_deal_filters(p: argparse.ArgumentParser) -> None:
    """`deals` options: which deals, in what order, which columns."""
    p.add_argument("--company", metavar="TEXT", help="provider or customer contains TEXT (any case)")
    p.add_argument(
        "--type", dest="deal_type", metavar="TYPE", help="deal type, e.g. compute, cloud, datacenter"
    )
    p.add_argument(
        "--since",
        type=iso_date,
        metavar="DATE",
        help="announced on or after DATE (else first seen); YYYY[-MM[-DD]]",
    )
    p.add_argument(
        "--until", type=iso_date, metavar="DATE", help="announced on or before DATE (else first seen)"
    )
    p.add_argument(
        "--min-value", type=money, metavar="AMOUNT", help="total value at least AMOUNT, e.g. 1B or 500M"
    )
    p.add_argument("--status", metavar="STATUS", help="deal status, e.g. disputed (open conflicts) or agreed")
    p.add_argument(
        "--sort",
        metavar="COLUMN[:asc|:desc]",
        help="order by a column; numbers and dates largest/latest first unless :asc (default: deal_date, the announcement date or else the day first seen)",
    )
    p.add_argument(
        "--columns",
        metavar="A,B,...",
        type=lambda s: [c.strip() for c in s.split(",") if c.strip()],
        help=f"columns to show in the table (default: {','.join(DEFAULT_COLUMNS)})",
    )
    p.add_argument(
        "--wide", action="store_true", help="more columns: fee, dates, term, hardware, place, terms"
    )


class ViewsHelp(argparse.Action):
    """`-h/--help` for `sql` that also lists the analyst views and their columns (computed on demand,
    from this version's schema, so it never goes stale and costs nothing when not asked for)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):  # noqa: A002
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        import duckdb

        from flows.deal_query import views_help
        from storage.db import migrate

        con = duckdb.connect()
        try:
            migrate(con)
            parser.epilog = views_help(con)
        finally:
            con.close()
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.print_help()
        parser.exit()


def add_sql_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-h", "--help", action=ViewsHelp, help="show this help, the views and their columns, and exit"
    )
    p.add_argument(
        "--max-width",
        type=int,
        default=48,
        metavar="N",
        help="cut table cells longer than N characters (default 48; 0 never cuts)",
    )


def add_report_parser(sub, db_arg) -> None:
    p = sub.add_parser("report", help="write the deals, timeline, conflicts and evidence as one HTML page")
    p.add_argument(
        "--out",
        default=None,
        metavar="FILE",
        help="where to write it (default: report.html; every run also writes <db>.report.html)",
    )
    db_arg(p)


def verbose_everywhere(sub) -> None:
    """`--verbose` after the sub-command too, not only before it."""
    for p in sub.choices.values():
        if not any("--verbose" in a.option_strings for a in p._actions):
            p.add_argument(
                "--verbose",
                action="store_true",
                default=argparse.SUPPRESS,
                help="show Prefect's own log lines",
            )
