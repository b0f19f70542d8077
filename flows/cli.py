"""The `dealwatch` command: a thin skin over flows/, extractors/ and storage/.

Every command is documented in README.md (a test checks it). User mistakes — a missing
database, bad SQL, an unknown deal — end with one clear line on stderr and exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from flows.analyst_cli import add_deal_filters, add_report_parser, add_sql_options, verbose_everywhere
from flows.cli_base import DEFAULT_DB, DEFAULT_SOURCES_FILE, UserError, repo_root  # noqa: F401 - re-exported
from flows.output import FORMATS as OUTPUT_FORMATS
from flows.prefect_env import configure_prefect
from storage.export import FORMATS as EXPORT_FORMATS


def _source_args(p: argparse.ArgumentParser) -> None:
    """What to ingest: SOURCE arguments or sources.toml, and whether private addresses may be fetched
    (shared by `ingest` and `serve`)."""
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="feed/sitemap/article URL, file or directory")
    p.add_argument(
        "--sources-file",
        default=None,
        help=f"sources.toml used when no SOURCE is given (default {DEFAULT_SOURCES_FILE})",
    )
    p.add_argument(
        "--allow-private", action="store_true", help="allow URLs that resolve to private/loopback addresses"
    )


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB}, env DEALWATCH_DB)")


def _workers_args(p: argparse.ArgumentParser) -> None:
    from flows.workers import DASK_ADDRESS_ENV, WORKERS_ENV, default_workers

    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help=f"processes that parse and extract (default: env {WORKERS_ENV}, else the {default_workers()} cores)",
    )
    p.add_argument(
        "--dask-address",
        default=None,
        metavar="tcp://HOST:PORT",
        help=f"run them on this Dask scheduler instead (env {DASK_ADDRESS_ENV}); see README 'Past one machine'",
    )


def _format_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=OUTPUT_FORMATS, default="table", help="output format")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealwatch", description="Ingest AI-compute deal news into DuckDB and reconcile the deals."
    )
    parser.add_argument("--verbose", action="store_true", help="show Prefect's own log lines")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest", help="fetch, extract and reconcile SOURCE... (feeds, sitemaps, URLs, files, dirs)"
    )
    _source_args(p)
    p.add_argument(
        "--refetch", action="store_true", help="ignore ETag/Last-Modified and re-parse unchanged pages"
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    _workers_args(p)
    _db_arg(p)

    p = sub.add_parser("demo", help="serve the bundled fixture site on 127.0.0.1 and ingest its feed")
    _db_arg(p)

    p = sub.add_parser("serve", help="run `ingest` on a cron schedule, at most one run at a time")
    _source_args(p)
    p.add_argument("--cron", required=True, help='cron expression, e.g. "*/30 * * * *"')
    p.add_argument("--name", default="dealwatch-ingest", help="deployment name")
    _workers_args(p)
    _db_arg(p)

    p = sub.add_parser("sql", help="run a read-only SQL query on the analyst views", add_help=False)
    p.add_argument("query", help="SQL on the views articles, deals, conflicts, evidence, runs (see --help)")
    add_sql_options(p)
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser("deals", help="list the reconciled deals (filter, sort, choose columns)")
    add_deal_filters(p)
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser(
        "conflicts", help="list conflicts between sources; `conflicts ack ID` marks one reviewed"
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=("list", "ack", "reopen"),
        default="list",
        help="list (default), ack or reopen",
    )
    p.add_argument("conflict_id", nargs="?", help="the conflict to ack or reopen")
    p.add_argument("--all", action="store_true", help="include acknowledged conflicts")
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser("show", help="one deal with its evidence sentences and sources")
    p.add_argument(
        "deal_id", metavar="DEAL", help="a deal id, the first characters of one, or a company name"
    )
    p.add_argument(
        "--why",
        action="store_true",
        help="why: the direction vote and each value's sentences, rules, what was dropped",
    )
    _db_arg(p)

    p = sub.add_parser("export", help="write the analyst views to CSV, Parquet, JSON or XLSX")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="csv", help="file format (default csv)")
    p.add_argument("--out", default="exports", help="output directory (default ./exports)")
    _db_arg(p)

    p = sub.add_parser(
        "reprocess", help="re-parse and re-extract, offline, the stored documents an older extractor made"
    )
    p.add_argument("--all", action="store_true", help="redo every stored document, not only the stale ones")
    _db_arg(p)

    p = sub.add_parser("runs", help="list the runs, newest first, with their status and counts")
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser("eval", help="score extraction (facts) or the deals table (table) on labeled sets")
    p.add_argument(
        "corpus",
        nargs="*",
        metavar="SET",
        help="labeled folder(s) (default: facts fixtures/corpus; table every fixtures/ set without BLIND)",
    )
    p.add_argument(
        "--mode",
        choices=("facts", "table"),
        default="facts",
        help="facts: per-field extraction scores; table: ingest each set for real and judge the deals view",
    )
    p.add_argument(
        "--mismatches", type=int, default=0, metavar="N", help="also list N wrong or missed values"
    )
    p.add_argument("--rows", action="store_true", help="table mode: list every row that is not right")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format")

    add_report_parser(sub, _db_arg)
    verbose_everywhere(sub)  # last, so it reaches every sub-command
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_prefect(verbose=args.verbose)
    from flows import commands  # imported late: Prefect reads its settings on import

    handler = getattr(commands, f"cmd_{args.command}")
    try:
        return int(handler(args) or 0)
    except UserError as exc:
        print(f"dealwatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dealwatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `dealwatch deals | head`: the reader left, which is no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    # `python -m flows.cli`: run the imported module's main, so that one module object does the work
    # (the commands raise flows.cli_base.UserError, caught there).
    from flows.cli import main as _main

    sys.exit(_main())
