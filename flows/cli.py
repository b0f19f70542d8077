"""The `dealwatch` command: a thin skin over flows/, extractors/ and storage/.

Every command is documented in README.md (a test checks it). User mistakes — a missing
database, bad SQL, an unknown deal — end with one clear line on stderr and exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from flows.output import FORMATS as OUTPUT_FORMATS
from flows.prefect_env import configure_prefect
from storage.export import FORMATS as EXPORT_FORMATS

DEFAULT_DB = os.environ.get("DEALWATCH_DB", "dealwatch.duckdb")
DEFAULT_SOURCES_FILE = os.environ.get("DEALWATCH_SOURCES", "sources.toml")


class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit status 2."""


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB}, env DEALWATCH_DB)")


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
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="feed/sitemap/article URL, file or directory")
    p.add_argument(
        "--sources-file",
        default=None,
        help=f"sources.toml used when no SOURCE is given (default {DEFAULT_SOURCES_FILE})",
    )
    p.add_argument(
        "--allow-private", action="store_true", help="allow URLs that resolve to private/loopback addresses"
    )
    p.add_argument(
        "--refetch", action="store_true", help="ignore ETag/Last-Modified and re-parse unchanged pages"
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    _db_arg(p)

    p = sub.add_parser("demo", help="serve the bundled fixture site on 127.0.0.1 and ingest its feed")
    _db_arg(p)

    p = sub.add_parser("serve", help="run `ingest` on a cron schedule, at most one run at a time")
    p.add_argument("sources", nargs="*", metavar="SOURCE")
    p.add_argument("--cron", required=True, help='cron expression, e.g. "*/30 * * * *"')
    p.add_argument("--sources-file", default=None)
    p.add_argument("--allow-private", action="store_true")
    p.add_argument("--name", default="dealwatch-ingest", help="deployment name")
    _db_arg(p)

    p = sub.add_parser("sql", help="run a read-only SQL query on the analyst views")
    p.add_argument("query")
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser("deals", help="list the reconciled deals")
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser(
        "conflicts", help="list conflicts between sources; `conflicts ack ID` marks one reviewed"
    )
    p.add_argument("action", nargs="?", choices=("list", "ack", "reopen"), default="list")
    p.add_argument("conflict_id", nargs="?")
    p.add_argument("--all", action="store_true", help="include acknowledged conflicts")
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser("show", help="one deal with its evidence sentences and sources")
    p.add_argument("deal_id")
    _db_arg(p)

    p = sub.add_parser("export", help="write the analyst views to CSV, Parquet, JSON or XLSX")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
    p.add_argument("--out", default="exports", help="output directory (default ./exports)")
    _db_arg(p)

    p = sub.add_parser("reprocess", help="re-parse and re-extract every stored raw document, offline")
    _db_arg(p)

    p = sub.add_parser("runs", help="list the runs, newest first, with their status and counts")
    _db_arg(p)
    _format_arg(p)

    p = sub.add_parser("eval", help="score extraction against a labeled corpus")
    p.add_argument("corpus", nargs="?", default=None, help="corpus folder (default fixtures/corpus)")
    p.add_argument(
        "--mismatches", type=int, default=0, metavar="N", help="also list N wrong or missed values"
    )
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
    except BrokenPipeError:
        return _output_closed()


def _output_closed() -> int:
    """`dealwatch deals | head`: the reader left early, which is not an error. Point stdout at
    /dev/null so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


if __name__ == "__main__":
    # `python -m flows.cli`: run the imported module's main, so that the UserError the commands
    # raise (flows.cli.UserError) is the class caught here, not a copy made for __main__.
    from flows.cli import main as _main

    sys.exit(_main())
