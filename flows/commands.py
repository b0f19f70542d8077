"""The implementations behind each `dealwatch` sub-command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from flows import api
from flows.analyst_commands import cmd_deals, cmd_report, deals_table, resolve_deal  # noqa: F401 (commands)
from flows.cli_base import UserError, repo_root
from flows.output import render
from reconciliation.explain import format_money


def _print_rows(rows: api.Rows, fmt: str, max_width: int = 48) -> None:
    print(render(rows.columns, rows.tuples(), fmt, max_width=max_width))


def _resolve_sources(args: argparse.Namespace) -> dict:
    """SOURCE arguments, or else the sources file (flows.api.source_params checks it)."""
    return api.source_params(args.sources, args.sources_file)


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
    print("Conflicts")
    _print_rows(api.conflicts(args.db, include_acknowledged=True), "table", max_width=0)
    return code


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
    _print_rows(api.query(args.db, args.query), args.format, max_width=args.max_width)
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    if args.action in ("ack", "reopen"):
        if not args.conflict_id:
            raise UserError(f"usage: dealwatch conflicts {args.action} CONFLICT_ID")
        review = api.ack if args.action == "ack" else api.reopen
        done = review(args.db, args.conflict_id)
        print(f"conflict {done['conflict_id']} marked {done['status']}")
        return 0
    _print_rows(api.conflicts(args.db, include_acknowledged=args.all), args.format, max_width=0)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    deal_id = resolve_deal(args.db, args.deal_id)  # an id, a unique prefix or a company name (asks)
    if getattr(args, "why", False):
        print("\n".join(api.why(args.db, deal_id)))
        return 0
    detail = api.show(args.db, deal_id)
    deal = detail.deal
    print(f"Deal {deal['deal_id']}: {deal['provider'] or '?'} → provides to → {deal['customer'] or '?'}")
    for key, value in deal.items():
        if key == "deal_id" or value is None or value == []:
            continue
        if key in ("monthly_fee", "total_value"):
            value = f"{format_money(value, deal.get('currency'))} ({value:,.0f})"
        print(f"  {key:27} {value if not isinstance(value, list) else ', '.join(map(str, value))}")
    if detail.conflicts:
        print("\nConflicts")
        for c in detail.conflicts:
            print(f"  [{c.severity}, {c.status}] {c.field}: {c.explanation}")
    print("\nEvidence")
    for e in detail.evidence:
        mark = "" if e["used"] in (None, True) else " (not used)"
        print(f"  {e['field']} = {e['value']}{mark} — {e['publisher'] or e['url']}")
        print(f"      “{' '.join((e['sentence'] or '').split())}”")
    print("\nSources")
    for src in detail.sources:
        print(f"  {src['publisher'] or '-'}  {src['url']}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    for f in api.export(args.db, args.out, args.format):
        print(f)
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    from flows.run_command import run_flow

    if not Path(args.db).exists():
        raise UserError(f"no database at {args.db}")
    code = run_flow("reprocess", args.db, args.verbose, all_documents=args.all)
    return 0 if code == 1 else code  # nothing stored to reprocess is not a failure


def cmd_runs(args: argparse.Namespace) -> int:
    from extractors.models import RUN_COLUMNS

    runs = api.runs(args.db)
    print(render(list(RUN_COLUMNS), [r.values() for r in runs], args.format))
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
        print(format_table_report(report, args.format, show_rows=args.rows, max_mismatches=args.mismatches))
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
