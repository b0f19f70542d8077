"""The implementations behind each `dealwatch` sub-command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from extractors.models import ConflictStatus
from flows.analyst_commands import cmd_deals, cmd_report, deals_table, resolve_deal  # noqa: F401 (commands)
from flows.cli_base import DEFAULT_SOURCES_FILE, UserError, repo_root
from flows.output import render
from reconciliation.explain import format_money
from storage.db import DatabaseError, connection, open_for_reading, query_error
from storage.encoding import mark_json_columns

CONFLICT_LIST_SQL = """
SELECT conflict_id, deal_id, field, severity, status, explanation
FROM conflicts {where} ORDER BY deal_id, field
"""


def _read(db: str):
    try:
        return open_for_reading(db)
    except DatabaseError as exc:
        raise UserError(str(exc)) from exc


def _query(db: str, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    con = _read(db)
    try:
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, mark_json_columns(cur.description, cur.fetchall())
    except duckdb.Error as exc:
        raise UserError(query_error(exc)) from exc
    finally:
        con.close()


def _resolve_sources(args: argparse.Namespace) -> dict:
    """SOURCE arguments, or else the sources file (checked here so a typo is one clear line)."""
    if args.sources:
        return {"sources": list(args.sources)}
    from flows.sources import load_sources_file

    path = Path(args.sources_file or DEFAULT_SOURCES_FILE)
    if not path.exists():
        raise UserError(f"no SOURCE given and no sources file at {path} (see README: sources.toml)")
    specs = load_sources_file(path)
    usable = [s for s in specs if s.enabled and not s.problem]
    if not usable:
        reasons = "; ".join(s.problem for s in specs if s.problem) or "no enabled source"
        raise UserError(f"{path}: nothing to ingest ({reasons})")
    return {"sources_file": str(path.resolve())}


def _run_ingest(db: str, verbose: bool = False, **kwargs) -> int:
    from flows.parallel import DaskUnavailable
    from flows.run_command import run_flow

    try:
        return run_flow("ingest", db, verbose, **kwargs)
    except DaskUnavailable as exc:
        raise UserError(str(exc)) from exc


def cmd_ingest(args: argparse.Namespace) -> int:
    return _run_ingest(
        args.db,
        args.verbose,
        allow_private=args.allow_private,
        refetch=args.refetch,
        quiet=args.quiet,
        **_resolve_sources(args),
        **_workers(args),
    )


def _workers(args: argparse.Namespace) -> dict:
    """The flow's ``workers`` / ``dask_address`` from --workers, --dask-address or the environment."""
    from flows.workers import resolve_workers, scheduler_problem

    try:
        workers, address = resolve_workers(args.workers, args.dask_address)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    problem = scheduler_problem(address) if address else None
    if problem:
        raise UserError(problem)
    return {"workers": workers, "dask_address": address}


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.site_server import SiteServer

    site = repo_root() / "fixtures" / "site"
    if not site.is_dir():
        raise UserError(f"fixture site not found at {site}")
    with SiteServer(site) as server:
        feed = f"{server.base_url}/feed.xml"
        print(f"Serving {site} at {server.base_url} (loopback only); ingesting {feed}", file=sys.stderr)
        code = _run_ingest(args.db, args.verbose, sources=[feed], policy_overrides={"per_host_delay": 0.0})
    print()
    print("Deals")
    print(deals_table(args.db))
    print()
    _print_table(args.db, "Conflicts", CONFLICT_LIST_SQL.format(where=""))
    return code


def _print_table(db: str, title: str, sql: str) -> None:
    columns, rows = _query(db, sql)
    print(title)
    print(render(columns, rows, "table", max_width=0))


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.schedule import cron_problem, serve_ingest

    problem = cron_problem(args.cron)
    if problem:
        raise UserError(problem)
    return serve_ingest(
        {**_resolve_sources(args), **_workers(args)},
        db=args.db,
        cron=args.cron,
        name=args.name,
        allow_private=args.allow_private,
    )


def cmd_sql(args: argparse.Namespace) -> int:
    columns, rows = _query(args.db, args.query)
    print(render(columns, rows, args.format, max_width=args.max_width))
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    if args.action in ("ack", "reopen"):
        if not args.conflict_id:
            raise UserError(f"usage: dealwatch conflicts {args.action} CONFLICT_ID")
        from storage.db import publish_snapshot
        from storage.reconcile_db import set_review

        status = ConflictStatus.ACKNOWLEDGED if args.action == "ack" else ConflictStatus.OPEN
        try:
            with connection(args.db) as con:
                found = set_review(con, args.conflict_id, status)
        except DatabaseError as exc:
            raise UserError(str(exc)) from exc
        if not found:
            raise UserError(f"no conflict {args.conflict_id!r} (list them with `dealwatch conflicts`)")
        publish_snapshot(args.db)
        print(f"conflict {args.conflict_id} marked {status}")
        return 0
    where = "" if args.all else f"WHERE status = '{ConflictStatus.OPEN}'"
    columns, rows = _query(args.db, CONFLICT_LIST_SQL.format(where=where))
    print(render(columns, rows, args.format, max_width=0))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    if not _query(args.db, "SELECT 1 FROM deal_candidates WHERE deal_id = ?", [args.deal_id])[1]:
        args.deal_id = resolve_deal(args.db, args.deal_id)  # an id, a unique prefix or a company name
    if getattr(args, "why", False):
        return _show_why(args)
    columns, rows = _query(args.db, "SELECT * FROM deals WHERE deal_id = ?", [args.deal_id])
    if not rows:
        columns, rows = _query(args.db, "SELECT * FROM deal_candidates WHERE deal_id = ?", [args.deal_id])
    if not rows:
        raise UserError(f"no deal {args.deal_id!r} (list them with `dealwatch deals`)")
    deal = dict(zip(columns, rows[0], strict=True))
    print(f"Deal {deal['deal_id']}: {deal['provider'] or '?'} → provides to → {deal['customer'] or '?'}")
    for key, value in deal.items():
        if key == "deal_id" or value is None or value == []:
            continue
        if key in ("monthly_fee", "total_value"):
            value = f"{format_money(value, deal.get('currency'))} ({value:,.0f})"
        print(f"  {key:27} {value if not isinstance(value, list) else ', '.join(map(str, value))}")
    _, conflicts = _query(
        args.db,
        "SELECT field, severity, status, explanation FROM conflicts WHERE deal_id = ? ORDER BY field",
        [args.deal_id],
    )
    if conflicts:
        print("\nConflicts")
        for field, severity, status, explanation in conflicts:
            print(f"  [{severity}, {status}] {field}: {explanation}")
    _, evidence = _query(
        args.db,
        "SELECT field, value, publisher, url, sentence, used FROM evidence WHERE deal_id = ? ORDER BY field, publisher",
        [args.deal_id],
    )
    print("\nEvidence")
    for field, value, publisher, url, sentence, used in evidence:
        mark = "" if used in (None, True) else " (not used)"
        print(f"  {field} = {value}{mark} — {publisher or url}")
        print(f"      “{' '.join((sentence or '').split())}”")
    _, sources = _query(
        args.db,
        "SELECT DISTINCT e.publisher, e.url FROM evidence e WHERE deal_id = ? ORDER BY 1, 2",
        [args.deal_id],
    )
    print("\nSources")
    for publisher, url in sources:
        print(f"  {publisher or '-'}  {url}")
    return 0


def _show_why(args: argparse.Namespace) -> int:
    from storage.why import explain_deal

    con = _read(args.db)
    try:
        lines = explain_deal(con, args.deal_id)
    finally:
        con.close()
    if lines is None:
        raise UserError(f"no deal {args.deal_id!r} (list them with `dealwatch deals`)")
    print("\n".join(lines))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from storage.export import ExportError, export_views

    con = _read(args.db)
    try:
        files = export_views(con, args.out, args.format)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()
    for f in files:
        print(f)
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    from flows.run_command import run_flow

    if not Path(args.db).exists():
        raise UserError(f"no database at {args.db}")
    code = run_flow("reprocess", args.db, args.verbose, all_documents=args.all)
    return 0 if code == 1 else code  # nothing stored to reprocess is not a failure


def cmd_runs(args: argparse.Namespace) -> int:
    from storage.runs import RUN_COLUMNS, list_runs

    try:
        runs = list_runs(args.db)
    except DatabaseError as exc:
        raise UserError(str(exc)) from exc
    print(render(list(RUN_COLUMNS), [tuple(r[c] for c in RUN_COLUMNS) for r in runs], args.format))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from extractors.table_eval import labeled_count

    sets = [Path(c) for c in args.corpus]
    if not sets and args.mode == "table":
        from flows.table_eval_run import default_sets

        sets = default_sets(repo_root() / "fixtures")
    sets = sets or [repo_root() / "fixtures" / "corpus"]
    for folder in sets:
        if not folder.is_dir():
            raise UserError(f"no corpus folder at {folder}")
        if not labeled_count(folder):
            raise UserError(
                f"{folder}: no labeled articles (NNN_slug.txt with its NNN_slug.json); nothing to score"
            )
    if args.mode == "table":
        from flows.table_eval_output import format_table_report
        from flows.table_eval_run import evaluate_table

        report = evaluate_table(sets, progress=lambda m: print(f"· {m}", file=sys.stderr, flush=True))
        print(format_table_report(report, args.format, show_rows=args.rows))
        return 0
    from extractors.evaluate import evaluate, format_report

    for folder in sets:
        report = evaluate(folder)
        if args.format == "json":
            print(json.dumps({"set": folder.name, **_facts_dict(report)}, indent=1, default=str))
        else:
            print(format_report(report, max_mismatches=args.mismatches))
    return 0


def _facts_dict(report) -> dict:
    fields = {f: {"precision": s.precision, "recall": s.recall, "f1": s.f1} for f, s in report.fields.items()}
    return {
        "fields": fields,
        "parties_accuracy": report.parties_accuracy,
        "deal_accuracy": report.deal_accuracy,
    }
