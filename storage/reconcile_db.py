"""Reconciliation against the database: load every mention, reconcile, replace the deal tables.

Reconciliation is recomputed from all mentions each run (so a better extractor or a new article
can change any deal), while deal_ids and analysts' conflict reviews are carried over through
``deal_assignments`` and ``conflict_reviews``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import duckdb

from extractors.models import DEAL_COLUMNS, DealMention, Fact
from reconciliation.reconcile import MentionRecord, PreviousState, Reconciliation, reconcile
from storage.writer import naive_utc, replace_table, to_json

#: deal_store columns: the contract's deal columns plus what the reconciler adds that analysts
#: query directly; everything else it adds goes to the ``extra`` JSON column.
STORED_DEAL_COLUMNS = [
    *DEAL_COLUMNS,
    "term_source",
    "status",
    "reason_codes",
    "reason",
    "derived_fields",
    "derivation",
    "dropped_fields",
]
LIST_COLUMNS = ("hardware", "reason_codes", "derived_fields", "dropped_fields")


@dataclass
class ReconcileStats:
    deals: int  # rows of the `deals` view (candidates are counted apart)
    created: int
    updated: int
    conflicts: int
    open_conflicts: int
    candidates: int = 0


def load_mentions(con: duckdb.DuckDBPyConnection) -> list[MentionRecord]:
    """Every stored mention of an article that is still 'ok', with its facts and source."""
    mention_rows = con.execute(
        """
        SELECT m.mention_id, m.article_id, m.mention_index, m.provider, m.customer, m.is_main,
               m.deal_type, a.publisher, a.url, a.published_at, a.fetched_at,
               coalesce(a.duplicate_of, a.article_id), a.is_deal_relevant
        FROM mention_store m JOIN article_store a USING (article_id)
        WHERE a.status = 'ok'
        ORDER BY a.fetched_at, m.article_id, m.mention_index
        """
    ).fetchall()
    fact_rows = con.execute(
        """
        SELECT mention_id, field, value, display, sentence, start_char, end_char, extractor,
               extractor_version, confidence, attrs
        FROM fact_store
        """
    ).fetchall()
    facts: dict[str, list[Fact]] = {}
    for r in fact_rows:
        facts.setdefault(r[0], []).append(
            Fact(
                field=r[1],
                value=json.loads(r[2]) if r[2] is not None else None,
                display=r[3],
                sentence=r[4],
                start_char=r[5],
                end_char=r[6],
                extractor=r[7],
                extractor_version=r[8],
                confidence=r[9],
                attrs=json.loads(r[10]) if r[10] else {},
            )
        )
    records = []
    for r in mention_rows:
        mention = DealMention(
            article_id=r[1],
            mention_index=r[2],
            provider=r[3],
            customer=r[4],
            is_main=r[5],
            deal_type=r[6],
            facts=facts.get(r[0], []),
        )
        records.append(
            MentionRecord(
                mention=mention,
                publisher=r[7] or source_label(r[8]),
                url=r[8],
                published_at=_aware(r[9]),
                fetched_at=_aware(r[10]),
                source_key=r[11],
                deal_article=r[12],
            )
        )
    return records


def source_label(url: str | None) -> str | None:
    """A name for an article without a publisher, for explanations: the host, or the file name."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme == "file":
        return PurePosixPath(unquote(parts.path)).name or None
    return parts.hostname or url


def _aware(ts: datetime | None) -> datetime | None:
    return ts.replace(tzinfo=UTC) if ts is not None and ts.tzinfo is None else ts


def load_previous(con: duckdb.DuckDBPyConnection) -> PreviousState:
    assignments = dict(con.execute("SELECT mention_id, deal_id FROM deal_assignments").fetchall())
    reviews = {
        cid: (status, vhash)
        for cid, status, vhash in con.execute(
            "SELECT conflict_id, status, values_hash FROM conflict_reviews"
        ).fetchall()
    }
    return PreviousState(assignments=assignments, conflict_status=reviews)


def reconcile_database(con: duckdb.DuckDBPyConnection) -> ReconcileStats:
    """Recompute deals, conflicts and evidence from all mentions, in one transaction."""
    before = {
        r[0]
        for r in con.execute(
            "SELECT deal_id FROM deal_store WHERE coalesce(status, 'deal') = 'deal'"
        ).fetchall()
    }
    result = reconcile(load_mentions(con), load_previous(con))
    con.execute("BEGIN TRANSACTION")
    try:
        _write(con, result)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    after = {d["deal_id"] for d in result.deals if d.get("status", "deal") == "deal"}
    return ReconcileStats(
        deals=len(after),
        created=len(after - before),
        updated=len(after & before),
        conflicts=len(result.conflicts),
        open_conflicts=sum(1 for c in result.conflicts if c.get("status") != "acknowledged"),
        candidates=sum(1 for d in result.deals if d.get("status") == "candidate"),
    )


def _write(con: duckdb.DuckDBPyConnection, result: Reconciliation) -> None:
    deals = []
    for d in result.deals:
        row = {c: d.get(c) for c in STORED_DEAL_COLUMNS}
        row["first_seen"] = naive_utc(row["first_seen"])
        row["last_seen"] = naive_utc(row["last_seen"])
        for col in LIST_COLUMNS:
            row[col] = list(row[col] or [])
        row["extra"] = to_json({k: v for k, v in d.items() if k not in STORED_DEAL_COLUMNS})
        deals.append(row)
    replace_table(con, "deal_store", deals)
    replace_table(
        con,
        "deal_assignments",
        [{"mention_id": m, "deal_id": d} for m, d in sorted(result.assignments.items())],
    )
    conflicts = [
        {
            "conflict_id": c["conflict_id"],
            "deal_id": c["deal_id"],
            "field": c["field"],
            "severity": c["severity"],
            "values": to_json(c["values"]),
            "explanation": c["explanation"],
            "status": c.get("status") or "open",
            "values_hash": c.get("values_hash"),
            "kind": c.get("kind"),
        }
        for c in result.conflicts
    ]
    replace_table(con, "conflict_store", conflicts)
    evidence = [{k: e.get(k) for k in _EVIDENCE_COLUMNS} for e in result.evidence]
    replace_table(con, "evidence_store", evidence)


_EVIDENCE_COLUMNS = [
    "deal_id",
    "field",
    "value",
    "article_id",
    "url",
    "publisher",
    "sentence",
    "start_char",
    "end_char",
    "extractor",
    "confidence",
    "used",
    "mention_id",
    "why",
]


def set_review(con: duckdb.DuckDBPyConnection, conflict_id: str, status: str = "acknowledged") -> bool:
    """Mark a conflict reviewed ('acknowledged') or back to 'open'; a review holds until the
    conflicting values change. False when there is no such conflict."""
    row = con.execute(
        "SELECT values_hash FROM conflict_store WHERE conflict_id = ?", [conflict_id]
    ).fetchone()
    if row is None:
        return False
    con.execute(
        "INSERT OR REPLACE INTO conflict_reviews VALUES (?, ?, ?, ?)",
        [conflict_id, status, row[0], naive_utc(datetime.now(UTC))],
    )
    con.execute("UPDATE conflict_store SET status = ? WHERE conflict_id = ?", [status, conflict_id])
    return True
