"""Finding deals the way an analyst asks for them: filters, sorting and look-up by id prefix or company.

The CLI (`dealwatch deals`, `dealwatch show`) and the HTML report only parse and print; the questions
are answered here, on the analyst views and by column name, so columns other people add to `deals`
(a `status`, derived markers) come along without changes here.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

import duckdb

from extractors.models import Agreement, ConflictStatus, DealStatus
from storage.db import fetch_dicts

ANALYST_VIEWS = ("articles", "deals", "conflicts", "evidence", "runs")

# What an analyst scans first; one line per deal within 120 characters of terminal.
DEFAULT_COLUMNS = (
    "deal_id",
    "provider",
    "customer",
    "deal_type",
    "total_value",
    "deal_date",
    "end_date",
    "source_count",
    "conflict_count",
)
# `--wide`: everything that says what the deal is, still one line per deal on a wide terminal.
WIDE_COLUMNS = DEFAULT_COLUMNS[:5] + (
    "monthly_fee",
    "deal_date",
    "start_date",
    "end_date",
    "term_months",
    "hardware",
    "capacity_mw",
    "facility",
    "location",
    "termination_notice_days",
    "status",
    "source_count",
    "conflict_count",
)
# Short headers for the terminal table (JSON and CSV keep the column names).
HEADERS = {
    "deal_type": "type",
    "deal_date": "date",
    "total_value": "value",
    "monthly_fee": "monthly",
    "source_count": "sources",
    "conflict_count": "conflicts",
    "term_months": "months",
    "termination_notice_days": "notice_days",
    "total_value_qualifier": "qualifier",
    "capacity_mw": "MW",
}
# Sorting by these runs largest/latest first unless `:asc` is given.
DESCENDING_FIRST = ("DATE", "TIMESTAMP", "INTEGER", "BIGINT", "DOUBLE", "FLOAT", "DECIMAL", "HUGEINT")


class QueryError(ValueError):
    """A filter or sort the data cannot answer; the message says what would work."""


@dataclass
class DealFilter:
    """What `dealwatch deals` and the report filter on; None means no filter."""

    company: str | None = None  # provider or customer, case-insensitive substring
    deal_type: str | None = None
    since: date | None = None  # announced on or after (first seen when not announced)
    until: date | None = None
    min_value: float | None = None  # total_value in the deal's own currency
    status: str | None = None


def view_columns(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, str]:
    """Column name → DuckDB type of one analyst view ({} when the database has no such view)."""
    try:
        rows = fetch_dicts(con.execute(f'DESCRIBE "{view}"'))
    except duckdb.Error:
        return {}
    return {row["column_name"]: str(row["column_type"]) for row in rows}


def deal_base_sql(con: duckdb.DuckDBPyConnection) -> str:
    """`deals` plus `deal_date` (announcement date, else the day first seen) and a `status` that is
    the view's `agreement`: 'disputed' with open conflicts, 'agreed' without. (The view's own
    `status` reads 'deal' on every row: it separates deals from candidates.)"""
    cols = view_columns(con, "deals")
    if not cols:
        raise QueryError("this database has no `deals` view: run `dealwatch ingest` first")
    announced = (
        "coalesce(d.announced_on, CAST(d.first_seen AS DATE))" if "first_seen" in cols else "d.announced_on"
    )
    star = "d.* EXCLUDE (status)" if "status" in cols else "d.*"
    if "agreement" in cols:
        return f"SELECT {star}, {announced} AS deal_date, d.agreement AS status FROM deals d"
    return _older_deal_base_sql(con, "status" in cols, announced)


def _older_deal_base_sql(con: duckdb.DuckDBPyConnection, has_status: bool, announced: str) -> str:
    """The same for a `deals` view without `agreement` (a snapshot from before schema 7, until the
    next run publishes a new one): the agreement computed here from `conflicts`; a view status
    other than 'deal' is kept."""
    open_sql = (
        f"SELECT deal_id, count(*) FILTER (WHERE status = '{ConflictStatus.OPEN}') AS open_conflicts "
        "FROM conflicts GROUP BY deal_id"
        if "status" in view_columns(con, "conflicts")
        else "SELECT NULL::VARCHAR AS deal_id, 0 AS open_conflicts WHERE false"
    )
    agreement = f"CASE WHEN coalesce(o.open_conflicts, 0) > 0 THEN '{Agreement.DISPUTED}' ELSE '{Agreement.AGREED}' END"
    status = (
        f"CASE WHEN coalesce(d.status, '{DealStatus.DEAL}') = '{DealStatus.DEAL}' THEN {agreement} ELSE d.status END"
        if has_status
        else agreement
    )
    star = "d.* EXCLUDE (status)" if has_status else "d.*"
    return (
        f"SELECT {star}, {announced} AS deal_date, coalesce(o.open_conflicts, 0) AS open_conflicts, "
        f"{agreement} AS agreement, {status} AS status "
        f"FROM deals d LEFT JOIN ({open_sql}) o ON o.deal_id = d.deal_id"
    )


def _where(filt: DealFilter) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if filt.company:
        clauses.append("(provider ILIKE ? OR customer ILIKE ?)")
        params += [f"%{filt.company}%"] * 2
    if filt.deal_type:
        clauses.append("deal_type ILIKE ?")
        params.append(filt.deal_type)
    if filt.since:
        clauses.append("deal_date >= ?")
        params.append(filt.since)
    if filt.until:
        clauses.append("deal_date <= ?")
        params.append(filt.until)
    if filt.min_value is not None:
        clauses.append("total_value >= ?")
        params.append(filt.min_value)
    if filt.status:
        clauses.append("CAST(status AS VARCHAR) ILIKE ?")
        params.append(filt.status)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order(sort: str | None, types: dict[str, str]) -> str:
    """``COLUMN[:asc|:desc]``; numbers and dates sort largest/latest first unless told otherwise."""
    if not sort:
        return " ORDER BY deal_date DESC NULLS LAST, total_value DESC NULLS LAST, deal_id"
    name, _, direction = sort.partition(":")
    name = name.strip()
    if name not in types:
        raise QueryError(f"cannot sort by {name!r}; columns: {', '.join(sorted(types))}")
    direction = direction.strip().lower()
    if direction not in ("", "asc", "desc"):
        raise QueryError(f"sort direction must be asc or desc, not {direction!r}")
    if not direction:
        direction = "desc" if types[name].upper().startswith(DESCENDING_FIRST) else "asc"
    return f' ORDER BY "{name}" {direction.upper()} NULLS LAST, deal_id'


def select_columns(requested: list[str] | None, available: list[str], wide: bool = False) -> list[str]:
    """The columns to show: the requested ones (checked), or the default/wide set that exists here."""
    if requested:
        unknown = [c for c in requested if c not in available]
        if unknown:
            raise QueryError(
                f"no column {', '.join(map(repr, unknown))} in deals; columns: {', '.join(available)}"
            )
        return requested
    chosen = WIDE_COLUMNS if wide else DEFAULT_COLUMNS
    return [c for c in chosen if c in available]


def list_deals(
    con: duckdb.DuckDBPyConnection,
    filt: DealFilter | None = None,
    sort: str | None = None,
    columns: list[str] | None = None,
) -> tuple[list[str], list[tuple]]:
    """Deals matching ``filt`` in ``sort`` order; every column when ``columns`` is None."""
    base = deal_base_sql(con)
    types = {d["column_name"]: str(d["column_type"]) for d in fetch_dicts(con.execute(f"DESCRIBE {base}"))}
    where, params = _where(filt or DealFilter())
    if columns is None:
        select = "*"
        names = list(types)
    else:
        select = ", ".join(f'"{c}"' for c in columns)
        names = list(columns)
    sql = f"SELECT {select} FROM ({base}){where}{_order(sort, types)}"
    try:
        rows = con.execute(sql, params).fetchall()
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {str(exc).splitlines()[0]}") from exc
    return names, rows


def available_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every column a listing can show: the `deals` view's and the derived ones."""
    return [d["column_name"] for d in fetch_dicts(con.execute(f"DESCRIBE {deal_base_sql(con)}"))]


def find_deals(con: duckdb.DuckDBPyConnection, ref: str) -> list[dict]:
    """Deals an analyst means by ``ref``: the exact id, else ids starting with it, else deals whose
    provider or customer contains it (case-insensitive). Each as {deal_id, provider, customer, ...}."""
    ref = ref.strip()
    base = deal_base_sql(con)
    for where, param in (
        ("deal_id = ?", ref),
        ("deal_id LIKE ? ESCAPE '\\'", _escape_like(ref) + "%"),
        ("(provider ILIKE ? ESCAPE '\\' OR customer ILIKE ? ESCAPE '\\')", f"%{_escape_like(ref)}%"),
    ):
        params = [param] * where.count("?")
        found = fetch_dicts(
            con.execute(
                f"SELECT deal_id, provider, customer, deal_type, total_value, currency, deal_date "
                f"FROM ({base}) WHERE {where} ORDER BY deal_date DESC NULLS LAST, deal_id",
                params,
            )
        )
        if found:
            return found
    return []


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def views_help(con: duckdb.DuckDBPyConnection) -> str:
    """The analyst views and their columns, as `dealwatch sql --help` lists them."""
    lines = ["analyst views (add columns freely; names are stable):"]
    for view in ANALYST_VIEWS + ("deal_candidates",):
        cols = view_columns(con, view)
        if cols:
            lines.append(
                textwrap.fill(", ".join(cols), 100, initial_indent=f"  {view}: ", subsequent_indent="      ")
            )
    return "\n".join(lines)
