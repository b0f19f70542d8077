"""dealwatch as a library: the functions behind the `dealwatch` commands, returning data.

    from flows.api import ingest, deals, conflicts, show, ack, export, runs

Each function takes the database path first (``db``) and returns plain data — rows as dicts, a
``RunSummary``, a ``DealDetail`` — that the CLI (flows/commands.py) only prints. A mistake the
caller can fix (no such database, an unknown deal or column) raises :class:`UserError` with one
clear line; nothing here prints, asks or exits. Prefect is configured when ``ingest`` starts,
never at import (flows/prefect_env.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from extractors.models import Conflict, ConflictStatus, Run
from flows.cli_base import UserError, default_db, default_sources_file
from flows.deal_query import DealFilter, QueryError, available_columns, find_deals, list_deals, select_columns
from flows.run_context import RunContext
from flows.summary import RunSummary
from storage.db import DatabaseError, connection, open_for_reading, publish_snapshot, query_error
from storage.encoding import mark_json_columns

__all__ = [
    "DealDetail",
    "Rows",
    "UserError",
    "ack",
    "conflicts",
    "deal_columns",
    "deals",
    "export",
    "ingest",
    "query",
    "reopen",
    "reprocess",
    "runs",
    "show",
    "why",
]

CONFLICT_COLUMNS = ("conflict_id", "deal_id", "field", "severity", "status", "explanation")


class Rows(list):
    """Rows as dicts (column name → value), in order; ``columns`` names them even when none came."""

    def __init__(self, columns: Sequence[str], rows: Iterable[Sequence[Any]] = ()) -> None:
        self.columns = list(columns)
        super().__init__(dict(zip(self.columns, row, strict=True)) for row in rows)

    def tuples(self) -> list[tuple]:
        """The rows as tuples in column order (for printing as a table, CSV or JSON)."""
        return [tuple(r[c] for c in self.columns) for r in self]


@dataclass
class DealDetail:
    """One deal (or candidate) with what stands behind it: what `dealwatch show` prints."""

    deal: dict[str, Any]
    conflicts: list[Conflict] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


# ----------------------------------------------------------------------------- reading


def _read(db: str | Path) -> duckdb.DuckDBPyConnection:
    try:
        return open_for_reading(str(db))
    except DatabaseError as exc:
        raise UserError(str(exc)) from exc


def query(db: str | Path, sql: str, params: Sequence[Any] = ()) -> Rows:
    """A read-only query on the analyst views (`dealwatch sql`); bad SQL is a UserError."""
    con = _read(db)
    try:
        cur = con.execute(sql, list(params))
        columns = [d[0] for d in cur.description] if cur.description else []
        return Rows(columns, mark_json_columns(cur.description, cur.fetchall()))
    except duckdb.Error as exc:
        raise UserError(query_error(exc)) from exc
    finally:
        con.close()


def deal_columns(db: str | Path, requested: list[str] | None = None, wide: bool = False) -> list[str]:
    """The columns a deals listing shows: ``requested`` (checked against the view), else the
    scan-first set, or the wider one."""
    con = _read(db)
    try:
        return select_columns(requested, available_columns(con), wide=wide)
    except QueryError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()


def deals(
    db: str | Path | None = None,
    *,
    company: str | None = None,
    deal_type: str | None = None,
    since: date | None = None,
    until: date | None = None,
    min_value: float | None = None,
    status: str | None = None,
    sort: str | None = None,
    columns: list[str] | None = None,
) -> Rows:
    """The reconciled deals matching every filter given, in ``sort`` order (a column, with
    ``:asc``/``:desc``; default newest first); every column unless ``columns`` names some."""
    filt = DealFilter(company, deal_type, since, until, min_value, status)
    con = _read(db or default_db())
    try:
        if columns:  # checked, so an unknown name says which columns there are
            columns = select_columns(columns, available_columns(con))
        names, rows = list_deals(con, filt, sort, columns)
    except QueryError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()
    return Rows(names, rows)


def conflicts(db: str | Path | None = None, *, include_acknowledged: bool = False) -> Rows:
    """Disagreements between sources, by deal and field: the open ones, or every one."""
    where = "" if include_acknowledged else f"WHERE status = '{ConflictStatus.OPEN}'"
    sql = f"SELECT {', '.join(CONFLICT_COLUMNS)} FROM conflicts {where} ORDER BY deal_id, field"
    return query(db or default_db(), sql)


def resolve(db: str | Path, ref: str) -> list[dict[str, Any]]:
    """The deals ``ref`` may mean: a candidate's or deal's id, a unique id prefix, a company name."""
    if query(db, "SELECT 1 FROM deal_candidates WHERE deal_id = ?", [ref]):
        return [{"deal_id": ref}]
    con = _read(db)
    try:
        return find_deals(con, ref)
    except QueryError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()


def deal_id_of(db: str | Path, ref: str, matches: list[dict[str, Any]] | None = None) -> str:
    """The one deal id ``ref`` means (``matches``: what ``resolve`` found, when already asked);
    none or several is a UserError that lists them."""
    matches = resolve(db, ref) if matches is None else matches
    if not matches:
        raise UserError(
            f"no deal {ref!r}: give a deal id, its first characters or a company name (see `dealwatch deals`)"
        )
    if len(matches) > 1:
        listing = "; ".join(
            f"{m['deal_id']} ({m['provider'] or '?'} → {m['customer'] or '?'})" for m in matches
        )
        raise UserError(f"{len(matches)} deals match {ref!r}: {listing}. Give more of the id or of the name.")
    return matches[0]["deal_id"]


def show(db: str | Path | None, deal: str) -> DealDetail:
    """One deal or candidate by id, id prefix or company name, with its conflicts, evidence
    sentences and sources."""
    db = db or default_db()
    deal_id = deal_id_of(db, deal)
    rows = query(db, "SELECT * FROM deals WHERE deal_id = ?", [deal_id]) or query(
        db, "SELECT * FROM deal_candidates WHERE deal_id = ?", [deal_id]
    )
    if not rows:
        raise UserError(f"no deal {deal_id!r} (list them with `dealwatch deals`)")
    return DealDetail(
        deal=rows[0],
        conflicts=[
            Conflict.from_dict(c)
            for c in query(db, "SELECT * FROM conflicts WHERE deal_id = ? ORDER BY field", [deal_id])
        ],
        evidence=query(
            db,
            "SELECT field, value, publisher, url, sentence, used FROM evidence WHERE deal_id = ? "
            "ORDER BY field, publisher",
            [deal_id],
        ),
        sources=query(
            db, "SELECT DISTINCT publisher, url FROM evidence WHERE deal_id = ? ORDER BY 1, 2", [deal_id]
        ),
    )


def why(db: str | Path | None, deal: str) -> list[str]:
    """Why the deal reads as it does (`show --why`): the direction vote, each value's sentences
    and rules, what was dropped — as lines of text."""
    from storage.why import explain_deal

    db = db or default_db()
    deal_id = deal_id_of(db, deal)
    con = _read(db)
    try:
        lines = explain_deal(con, deal_id)
    finally:
        con.close()
    if lines is None:
        raise UserError(f"no deal {deal_id!r} (list them with `dealwatch deals`)")
    return lines


def runs(db: str | Path | None = None, limit: int | None = None) -> list[Run]:
    """Every run, newest first, with its status and counts (the `runs` view)."""
    from storage.runs import list_runs

    try:
        return list_runs(db or default_db(), limit)
    except DatabaseError as exc:
        raise UserError(str(exc)) from exc


def export(db: str | Path | None = None, out: str | Path = "exports", fmt: str = "csv") -> list[Path]:
    """Write the analyst views to ``out`` as csv, parquet, json or xlsx; returns the files."""
    from storage.export import ExportError, export_views

    con = _read(db or default_db())
    try:
        return [Path(f) for f in export_views(con, str(out), fmt)]
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()


# ----------------------------------------------------------------------------- writing


def _review(db: str | Path, conflict_id: str, status: ConflictStatus) -> dict[str, str]:
    from storage.reconcile_db import set_review

    try:
        with connection(str(db)) as con:
            found = set_review(con, conflict_id, status)
    except DatabaseError as exc:
        raise UserError(str(exc)) from exc
    if not found:
        raise UserError(f"no conflict {conflict_id!r} (list them with `dealwatch conflicts`)")
    publish_snapshot(str(db))
    return {"conflict_id": conflict_id, "status": str(status)}


def ack(db: str | Path | None, conflict_id: str) -> dict[str, str]:
    """Mark a conflict reviewed ('acknowledged'); the review survives later runs."""
    return _review(db or default_db(), conflict_id, ConflictStatus.ACKNOWLEDGED)


def reopen(db: str | Path | None, conflict_id: str) -> dict[str, str]:
    """Mark an acknowledged conflict open again."""
    return _review(db or default_db(), conflict_id, ConflictStatus.OPEN)


def source_params(sources: Sequence[str] | None, sources_file: str | Path | None) -> dict[str, Any]:
    """SOURCE arguments, or else the sources file (checked here so a typo is one clear line)."""
    if sources:
        return {"sources": [str(s) for s in sources]}
    from flows.sources import load_sources_file

    path = Path(sources_file or default_sources_file())
    if not path.exists():
        raise UserError(f"no SOURCE given and no sources file at {path} (see README: sources.toml)")
    specs = load_sources_file(path)
    if not [s for s in specs if s.enabled and not s.problem]:
        reasons = "; ".join(s.problem for s in specs if s.problem) or "no enabled source"
        raise UserError(f"{path}: nothing to ingest ({reasons})")
    return {"sources_file": str(path.resolve())}


def ingest(
    sources: Sequence[str] | None = None,
    db: str | Path | None = None,
    *,
    sources_file: str | Path | None = None,
    allow_private: bool = False,
    refetch: bool = False,
    quiet: bool = True,
    workers: int = 1,
    dask_address: str | None = None,
    policy_overrides: dict[str, Any] | None = None,
    context: RunContext | None = None,
) -> RunSummary:
    """Fetch, extract and reconcile ``sources`` (feed, sitemap or article URLs, files, folders;
    else the entries of ``sources_file``) into ``db``; returns what the run did.

    ``allow_private`` lets URLs resolve to loopback/private addresses (a local test site);
    ``policy_overrides`` sets fetch settings (flows/http_policy.py), e.g. ``{"per_host_delay": 0}``;
    ``context`` hands in the run's state (flows/run_context.py: clock, HTTP transport, ...).
    """
    db = str(db or default_db())
    params = source_params(sources, sources_file)
    _start_flow(db)
    from flows.ingest import ingest as ingest_flow

    return ingest_flow(
        db_path=db,
        allow_private=allow_private,
        refetch=refetch,
        quiet=quiet,
        workers=workers,
        dask_address=dask_address,
        policy_overrides=policy_overrides,
        context=context,
        **params,
    )


def reprocess(
    db: str | Path | None = None,
    *,
    quiet: bool = True,
    context: RunContext | None = None,
    all_documents: bool = False,
) -> RunSummary:
    """Re-parse, re-extract and reconcile the stored documents of ``db`` that an older extractor
    read (every one with ``all_documents``), offline; deal ids and conflict reviews carry over."""
    db = str(db or default_db())
    if not Path(db).exists():
        raise UserError(f"no database at {db}")
    _start_flow(db)
    from flows.reprocess import reprocess as reprocess_flow

    return reprocess_flow(db_path=db, quiet=quiet, context=context, all_documents=all_documents)


def _start_flow(db: str) -> None:
    """Before a flow runs: the database can be written (else one line), Prefect is configured
    and its temporary API server will die with this process."""
    from flows.prefect_env import configure_prefect, guard_ephemeral_server
    from flows.run_command import check_database

    problem = check_database(db)
    if problem:
        raise UserError(f"database error: {problem}")
    configure_prefect()
    guard_ephemeral_server()
