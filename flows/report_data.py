"""What the HTML report shows, read from the analyst views by column name.

Only the views of the analyst contract are read (articles, deals, conflicts, evidence, runs, and
`deal_candidates` when it exists), so columns other people add appear in the report as "other
facts" instead of breaking it. Everything here is plain data, read before the page is written,
except each deal's evidence: the deal views (`ReportData.details`) are built one at a time as
flows/report.py writes the page.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import duckdb

from extractors.models import DEAL_FIELDS
from flows.deal_query import list_deals, view_columns
from flows.report_evidence import evidence_by_deal
from flows.terminal import cell_text
from reconciliation.explain import FIELD_LABELS, UNIT_SUFFIX, format_date, format_money
from storage.db import fetch_dicts

# The deal fields shown as "values", in reading order; their precision column when they have one.
VALUE_FIELDS = DEAL_FIELDS
PRECISION = MappingProxyType({"start_date": "start_precision", "end_date": "end_precision"})
# Columns the report shows elsewhere or that explain another column; not repeated as "other facts".
BOOKKEEPING = frozenset(
    {
        "deal_id",
        "currency",
        "total_value_qualifier",
        "start_precision",
        "end_precision",
        "source_count",
        "article_count",
        "conflict_count",
        "first_seen",
        "last_seen",
        "deal_date",
        "open_conflicts",
        "status",
        "derived_fields",
    }
)
# Values a rule classifies from the whole article rather than reads from one sentence.
CLASSIFIED = frozenset({"deal_type"})
SAFE_SCHEMES = ("http", "https", "file")


@dataclass
class Highlighted:
    """An evidence sentence split around the words that state the value."""

    before: str
    match: str
    after: str


@dataclass
class DealView:
    """One deal as the report shows it."""

    row: dict[str, Any]
    values: list[dict[str, Any]] = field(default_factory=list)
    others: list[tuple[str, str]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportData:
    """What the page shows; ``details`` reads the database while it is consumed, once."""

    generated_at: datetime
    db_path: str
    deals: list[dict[str, Any]]  # the deals' rows, in the report's order
    details: Iterator[DealView]  # each deal of ``deals`` in turn, with its evidence
    run: dict[str, Any] | None
    run_counts: list[tuple[str, Any]]
    candidates: tuple[list[str], list[list[str]]] | None
    deal_types: list[str]
    statuses: list[str]


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(cur)


def safe_url(url: str | None) -> str | None:
    """A link target only for web and file URLs: a `javascript:` URL from a page never becomes a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def highlight(sentence: str, start: Any, end: Any, sentence_start: Any, value: str | None) -> Highlighted:
    """Split ``sentence`` at the evidence offsets (article offsets, made relative with the view's
    ``sentence_start``); without usable offsets, at the first place the value's own words appear."""
    sentence = sentence or ""
    if all(isinstance(x, int) for x in (start, end, sentence_start)) and sentence_start >= 0:
        lo, hi = start - sentence_start, end - sentence_start
        if 0 <= lo < hi <= len(sentence):
            return Highlighted(sentence[:lo], sentence[lo:hi], sentence[hi:])
    if value:
        at = sentence.lower().find(value.lower())
        if at >= 0:
            return Highlighted(sentence[:at], sentence[at : at + len(value)], sentence[at + len(value) :])
    return Highlighted(sentence, "", "")


def field_label(name: str) -> str:
    """'Total value', 'Termination notice', 'Capacity': a `deals` column as an analyst names it."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def display_value(name: str, value: Any, row: dict[str, Any]) -> str:
    """A deal value as an analyst writes it: money with currency, dates as precisely as stated."""
    if name in ("monthly_fee", "total_value") and isinstance(value, (int, float)):
        text = format_money(value, row.get("currency"))
        qualifier = row.get("total_value_qualifier") if name == "total_value" else None
        text = f"{qualifier} {text}" if qualifier else text
        return f"{text}/month" if name == "monthly_fee" else text
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}" + UNIT_SUFFIX.get(name, "")
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, row.get(PRECISION.get(name, "")) or "day")
    return cell_text(value, name) + (UNIT_SUFFIX.get(name, "") if value not in (None, "") else "")


def _derived(name: str, row: dict[str, Any], evidence_fields: set[str]) -> bool:
    """Derived: computed from other values (no sentence states it), or marked so by a column."""
    marker = row.get(f"{name.removesuffix('_months')}_source") or row.get(f"{name}_source")
    if isinstance(marker, str):
        return marker.lower() != "stated"
    if name in CLASSIFIED:
        return False
    if name in (row.get("derived_fields") or []):
        return True
    return name not in evidence_fields


def _deal_view(row: dict[str, Any], evidence: list[dict], conflicts: list[dict], titles: dict) -> DealView:
    used = {e["field"] for e in evidence if e.get("used") in (None, True)}
    view = DealView(row=row)
    for name in VALUE_FIELDS:
        value = row.get(name)
        if value is None or value == [] or value == "":
            continue
        view.values.append(
            {
                "field": name,
                "label": field_label(name),
                "display": display_value(name, value, row),
                "precision": row.get(PRECISION[name]) if name in PRECISION else None,
                "derived": _derived(name, row, used),
                "classified": name in CLASSIFIED,
            }
        )
    for name, value in row.items():
        if name in BOOKKEEPING or name in VALUE_FIELDS or name.endswith(("_precision", "_source")):
            continue
        if value is not None and value != [] and value != "":
            view.others.append((name.replace("_", " "), display_value(name, value, row)))
    seen: dict[str, dict] = {}
    for e in evidence:
        key = e.get("article_id") or e.get("url")
        if key not in seen:
            seen[key] = {
                "publisher": e.get("publisher") or "",
                "url": e.get("url"),
                "href": safe_url(e.get("url")),
                "title": titles.get(e.get("article_id"), {}).get("title") or e.get("url") or "",
                "published": titles.get(e.get("article_id"), {}).get("published_at"),
            }
    view.sources = sorted(seen.values(), key=lambda s: (s["publisher"].lower(), s["url"] or ""))
    for c in conflicts:
        view.conflicts.append({**c, "stated": _stated(c.get("values"))})
    for e in evidence:
        mark = highlight(
            e.get("sentence"), e.get("start_char"), e.get("end_char"), e.get("sentence_start"), e.get("value")
        )
        view.evidence.append({**e, "hl": mark, "href": safe_url(e.get("url"))})
    return view


def _stated(values: Any) -> list[dict[str, Any]]:
    """The disputed values and who states them, from the conflict's JSON `values`."""
    if isinstance(values, str):
        try:
            values = json.loads(values)
        except ValueError:
            return []
    if not isinstance(values, list):
        return []
    out = []
    for v in values:
        if isinstance(v, dict):
            out.append(
                {
                    "display": str(v.get("display", v.get("value", ""))),
                    "by": ", ".join(v.get("publishers") or []),
                }
            )
    return out


def _group(rows: Iterable[dict], key: str = "deal_id") -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r.get(key), []).append(r)
    return out


def latest_run(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, Any] | None, list[tuple[str, Any]]]:
    """The newest run and the counts of its summary (whatever the summary holds that is a number)."""
    cols = view_columns(con, "runs")
    if not cols or "started_at" not in cols:
        return None, []
    rows = _dicts(con.execute("SELECT * FROM runs ORDER BY started_at DESC NULLS LAST LIMIT 1"))
    if not rows:
        return None, []
    run = rows[0]
    summary = run.get("summary")
    if isinstance(summary, str):
        try:
            summary = json.loads(summary)
        except ValueError:
            summary = {}
    counts = []
    for key, value in (summary or {}).items() if isinstance(summary, dict) else []:
        if isinstance(value, list) and key in ("failed", "skipped", "problems"):
            value = len(value)
        if isinstance(value, int) and not isinstance(value, bool):
            counts.append((key.replace("_", " "), value))
    return run, counts


def _candidates(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[list[str]]] | None:
    cols = view_columns(con, "deal_candidates")
    if not cols:
        return None
    cur = con.execute("SELECT * FROM deal_candidates LIMIT 500")
    names = [d[0] for d in cur.description]
    return names, [[cell_text(v, n) for n, v in zip(names, r, strict=True)] for r in cur.fetchall()]


def _deal_views(
    con: duckdb.DuckDBPyConnection, deals: list[dict], ev_cols: Collection[str], conflicts: dict, titles: dict
) -> Iterator[DealView]:
    """Each deal's view in the order of ``deals``, its evidence read as it comes, so only one deal's
    rows are held at a time (the whole view as dicts was the largest thing the report held)."""
    groups = evidence_by_deal(con, ev_cols, [d["deal_id"] for d in deals]) if ev_cols else iter(())
    pending = next(groups, None)
    for d in deals:
        evidence: list[dict] = []
        if pending is not None and pending[0] == d["deal_id"]:
            evidence, pending = pending[1], next(groups, None)
        yield _deal_view(d, evidence, conflicts.get(d["deal_id"], []), titles)


def load_report(con: duckdb.DuckDBPyConnection, db_path: str) -> ReportData:
    """Everything the report shows, from one read-only connection, which must stay open while
    ``details`` is consumed."""
    names, rows = list_deals(con)
    deals = [dict(zip(names, r, strict=True)) for r in rows]
    conflicts = (
        _group(_dicts(con.execute("SELECT * FROM conflicts ORDER BY field")))
        if view_columns(con, "conflicts")
        else {}
    )
    art_cols = view_columns(con, "articles")
    titles: dict[str, dict] = {}
    if {"article_id", "title"} <= set(art_cols):
        published = "published_at" if "published_at" in art_cols else "NULL AS published_at"
        for a in _dicts(con.execute(f"SELECT article_id, title, {published} FROM articles")):
            titles[a["article_id"]] = a
    run, counts = latest_run(con)
    return ReportData(
        generated_at=datetime.now().astimezone(),
        db_path=db_path,
        deals=deals,
        details=_deal_views(con, deals, view_columns(con, "evidence"), conflicts, titles),
        run=run,
        run_counts=counts,
        candidates=_candidates(con),
        deal_types=sorted({d.get("deal_type") for d in deals if d.get("deal_type")}),
        statuses=sorted({str(d.get("status")) for d in deals if d.get("status")}),
    )
