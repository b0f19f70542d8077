"""Reconciliation against the database: load every mention, reconcile, write what changed.

Grouping and direction votes are recomputed from all mentions each run (a new article can move
any deal), but only the deals whose inputs changed are built and rewritten: the others keep their
rows in ``deal_store``, ``conflict_store`` and ``evidence_store`` (``deal_inputs`` holds each deal's
fingerprint, reconciliation/incremental.py). A full reconcile (``full=True``) builds and rewrites
every deal; both give identical tables. Conflict reviews carry over through ``conflict_reviews``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb

from extractors.models import (
    STORED_DEAL_COLUMNS,
    Conflict,
    ConflictStatus,
    Deal,
    DealMention,
    DealStatus,
    Fact,
)
from reconciliation.candidates import backer_keys
from reconciliation.compat import ClaimCache
from reconciliation.deal_row import restate
from reconciliation.reconcile import MentionRecord, PreviousState, Reconciliation, reconcile
from reconciliation.renames import current_name
from storage import rename_index
from storage.db import fetch_dicts, transaction
from storage.reconcile_plan import (
    OK_ARTICLE,
    Plan,
    load_context,
    make_plan,
    money_of,
    read_facts,
    scope_mains,
    vote_inputs,
)
from storage.writer import append_rows, naive_utc, to_json


@dataclass
class ReconcileStats:
    deals: int  # rows of the `deals` view (candidates are counted apart)
    created: int
    updated: int
    conflicts: int
    open_conflicts: int
    candidates: int = 0
    new_ids: int = 0  # rows of deal_store (deals and candidates) that were not there before
    changed: int = 0  # rows of deal_store whose values changed (not merely seen again)
    built: int = 0  # deals built this run (the others kept their rows)
    restated: int = 0  # kept deals whose row's direction text was written again (it moved)
    seconds: float = 0.0  # wall and CPU seconds of the reconcile, with its connection (the caller's)
    cpu_seconds: float = 0.0


def load_renames(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The renames the stored fact sentences state (reconciliation/renames.py), over all 'ok'
    articles: earlier name's party key -> current name."""
    return rename_index.scan(con)


def load_mentions(
    con: duckdb.DuckDBPyConnection, ids: set[str] | None = None, renames: dict[str, str] | None = None
) -> list[MentionRecord]:
    """Every stored mention of an article that is still 'ok' (only ``ids`` when given), with its
    facts and source; parties under their current names (``renames``, default: the database's)."""
    if renames is None:
        renames = load_renames(con)
    only = "" if ids is None else " AND list_contains($ids, m.mention_id)"
    params = {} if ids is None else {"ids": sorted(ids)}
    rows = fetch_dicts(
        con.execute(
            f"""
            SELECT m.mention_id, m.article_id, m.mention_index, m.provider, m.customer, m.is_main,
                   m.deal_type, a.publisher, a.url, a.published_at, a.fetched_at,
                   coalesce(a.duplicate_of, a.article_id) AS source_key, a.is_deal_relevant,
                   a.text_hash AS content
            FROM mention_store m JOIN article_store a USING (article_id)
            WHERE {OK_ARTICLE}{only}
            ORDER BY a.fetched_at, m.article_id, m.mention_index
            """,
            params,
        )
    )
    for r in rows:
        r["provider"], r["customer"] = (
            current_name(r["provider"], renames),
            current_name(r["customer"], renames),
        )
    return records_of(rows, read_facts(con, ids))


def _records(con: duckdb.DuckDBPyConnection, plan: Plan) -> tuple[list[MentionRecord], dict[str, list[Fact]]]:
    """The mentions to reconcile, from the plan's light rows (their parties under current names,
    their sources) and their facts: those the plan read already are not read again. Was a query of
    the mentions like :func:`load_mentions`' (6-7 ms at 10k articles); the light rows hold the
    same, in the same order. Also the facts of the scope's articles' main mentions outside the
    scope (the context's, ``load_context``), read in the same statement (one less, ~3 ms)."""
    ids = plan.ids
    facts = dict(plan.facts)
    if ids is None:
        facts.update(read_facts(con, None))
        return records_of(list(plan.light.values()), facts), {}
    outside = [m for m in scope_mains(plan) if m not in ids]
    facts.update(read_facts(con, (ids - facts.keys()).union(outside)))
    rows = [r for m, r in plan.light.items() if m in ids]
    return records_of(rows, facts), {m: facts.get(m, []) for m in outside}


def records_of(rows: list[dict[str, Any]], facts: dict[str, list[Fact]]) -> list[MentionRecord]:
    """Mention rows (parties under their current names) and their facts as records."""
    return [
        MentionRecord(
            mention=DealMention(
                article_id=r["article_id"],
                mention_index=r["mention_index"],
                provider=r["provider"],
                customer=r["customer"],
                is_main=r["is_main"],
                deal_type=r["deal_type"],
                facts=facts.get(r["mention_id"], []),
            ),
            publisher=r["publisher"] or source_label(r["url"]),
            url=r["url"],
            published_at=_aware(r["published_at"]),
            fetched_at=_aware(r["fetched_at"]),
            source_key=r["source_key"],
            deal_article=r["is_deal_relevant"],
            content=r["content"],
        )
        for r in rows
    ]


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


def load_previous(
    con: duckdb.DuckDBPyConnection, full: bool = False, assigned: dict[str, str] | None = None
) -> PreviousState:
    """Last run's assignments (``assigned`` when the plan read them already) and reviews; for an
    incremental run also each stored deal's inputs."""
    assignments = assigned
    if assignments is None:
        cur = con.execute("SELECT mention_id, deal_id FROM deal_assignments")
        assignments = {r["mention_id"]: r["deal_id"] for r in fetch_dicts(cur)}
    # the reviews and (incremental) the deals' inputs in one statement: ~1 ms a statement less
    sql = "SELECT true, conflict_id, status, values_hash FROM conflict_reviews"
    if not full:
        sql += " UNION ALL SELECT false, deal_id, NULL, inputs_hash FROM deal_inputs"
    reviews, inputs = {}, {}
    for review, key, status, value in con.execute(sql).fetchall():
        if review:
            reviews[key] = (status, value)
        else:
            inputs[key] = value
    return PreviousState(assignments=assignments, conflict_status=reviews, inputs=inputs)


def reconcile_database(con: duckdb.DuckDBPyConnection, full: bool = False) -> ReconcileStats:
    """Reconcile the part of the database that new, changed or removed mentions reach (all of it
    when ``full``) and write the deals that changed, in one transaction."""
    plan = make_plan(con, full)
    if plan.ids is not None and not plan.ids and not plan.gone:
        return _stats(con, {}, Reconciliation())  # nothing new: every row stands
    records, mains = _records(con, plan)
    claims = ClaimCache()
    for rec in records:
        mid = rec.mention.mention_id
        rec.digest = plan.light.get(mid, {}).get("digest")
        if mid not in plan.money:
            plan.money[mid] = money_of(rec.mention.facts, claims)
        plan.votes[mid] = vote_inputs(rec.mention.facts)
        plan.backing[mid] = to_json(sorted(backer_keys(rec.mention.facts)))
    loaded = {rec.mention.mention_id: rec.mention.facts for rec in records}
    context = load_context(con, plan, loaded, mains) if plan.ids is not None else None
    incremental = plan.ids is not None
    previous = load_previous(con, not incremental, plan.assigned if incremental else None)
    result = reconcile(records, previous, plan.generic, context, claims)
    with transaction(con):
        old_rows = _write(con, result, plan)
        restated = _restate(con, result)
    return _stats(con, old_rows, result, restated)


def _stats(
    con: duckdb.DuckDBPyConnection,
    old_rows: dict[str, dict[str, Any]],
    result: Reconciliation,
    restated: int = 0,
) -> ReconcileStats:
    """Counts over the whole stored result, kept and built deals alike; created, new and changed
    against the rows the built deals had before (``old_rows``), and the ``restated`` rows that
    changed (:func:`_restate`). Only a built deal can be created
    (a kept deal's row, status included, stands as it was), so the statuses of every deal before
    and after need not be read (two reads of 1,226 rows a run): the totals are one count."""
    deal, candidate = DealStatus.DEAL.value, DealStatus.CANDIDATE.value
    built = {d["deal_id"] for d in result.deals}
    # the totals and the built deals' rows now in one statement (a ~1.5 ms statement less a run):
    # one row per built deal, or a single row of totals without a deal when none was built
    cur = con.execute(
        f"""
        WITH totals AS (
            SELECT count(*) FILTER (WHERE coalesce(status, '{deal}') = '{deal}') AS _deals,
                   count(*) FILTER (WHERE status = '{candidate}') AS _candidates,
                   (SELECT count(*) FROM conflict_store) AS _conflicts,
                   (SELECT count(*) FROM conflict_store
                    WHERE coalesce(status, '{ConflictStatus.OPEN}') <> '{ConflictStatus.ACKNOWLEDGED}')
                   AS _open
            FROM deal_store
        )
        SELECT * FROM totals LEFT JOIN (
            SELECT * EXCLUDE (first_seen, last_seen) FROM deal_store WHERE list_contains($ids::VARCHAR[], deal_id)
        ) ON true
        """,
        {"ids": sorted(built)},
    )
    rows = fetch_dicts(cur)
    deals, candidates, conflicts, open_conflicts = (rows[0][k] for k in _TOTALS)
    new_rows = {}
    for r in rows:
        for k in _TOTALS:
            del r[k]
        if r["deal_id"] is not None:
            new_rows[r["deal_id"]] = r
    created = sum(
        1
        for d, r in new_rows.items()
        if (r["status"] or deal) == deal and (d not in old_rows or (old_rows[d]["status"] or deal) != deal)
    )
    return ReconcileStats(
        deals=deals,
        created=created,
        updated=deals - created,
        conflicts=conflicts,
        open_conflicts=open_conflicts,
        candidates=candidates,
        new_ids=len(built - old_rows.keys()),
        changed=restated + sum(1 for d, r in new_rows.items() if d in old_rows and old_rows[d] != r),
        built=len(built),
        restated=restated,
    )


#: The totals :func:`_stats` reads with the built deals' rows.
_TOTALS = ("_deals", "_candidates", "_conflicts", "_open")


def _deal_row(d: dict[str, Any]) -> dict[str, Any]:
    """A reconciled deal as a deal_store row: its columns (models.Deal), the rest as JSON."""
    deal = Deal.from_dict(d)
    row = {c: getattr(deal, c) for c in STORED_DEAL_COLUMNS}
    row["status"] = deal.status and deal.status.value
    row["first_seen"] = naive_utc(deal.first_seen)
    row["last_seen"] = naive_utc(deal.last_seen)
    row["extra"] = to_json(deal.extra)
    return row


def _conflict_row(c: dict[str, Any]) -> dict[str, Any]:
    """A reconciled conflict as a conflict_store row (models.Conflict; its values as JSON)."""
    row = asdict(Conflict.from_dict(c))
    row["values"] = to_json(row["values"])
    row["status"] = row["status"].value
    return row


def _write(con: duckdb.DuckDBPyConnection, result: Reconciliation, plan: Plan) -> dict[str, dict[str, Any]]:
    """Replace the rows of the deals reconciled again and not kept; every other row stays. Returns
    the rows the built deals had, without when they were first and last seen (bookkeeping that
    moves when an article is merely read again), as their DELETE returns them: a read of
    deal_store less per run (~4 ms at 10,000 articles)."""
    built = {d["deal_id"] for d in result.deals}
    returning = "RETURNING * EXCLUDE (first_seen, last_seen)"
    if plan.ids is None:
        old = fetch_dicts(con.execute(f"DELETE FROM deal_store {returning}"))
        for table in ("conflict_store", "evidence_store", "deal_inputs", "deal_assignments"):
            con.execute(f"DELETE FROM {table}")
    else:
        # IN (SELECT unnest(..)): 2.1 -> 1.5 ms a DELETE against list_contains (124 of 1,626 rows)
        drop = sorted((plan.replaced | built) - result.kept)  # every built deal among them
        where = "WHERE deal_id IN (SELECT unnest(?::VARCHAR[]))"
        old = fetch_dicts(con.execute(f"DELETE FROM deal_store {where} {returning}", [drop]))
        for table in ("conflict_store", "evidence_store"):
            con.execute(f"DELETE FROM {table} {where}", [drop])
        redo = sorted(plan.replaced | result.inputs.keys())
        con.execute("DELETE FROM deal_inputs WHERE deal_id IN (SELECT unnest(?::VARCHAR[]))", [redo])
        mentions = sorted(plan.ids | plan.gone)
        con.execute(
            "DELETE FROM deal_assignments WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))", [mentions]
        )
    append_rows(con, "deal_store", [_deal_row(d) for d in result.deals])
    append_rows(con, "conflict_store", [_conflict_row(c) for c in result.conflicts])
    append_rows(con, "evidence_store", _evidence_rows(result.evidence))
    append_rows(
        con, "deal_assignments", [_assignment(m, d, plan) for m, d in sorted(result.assignments.items())]
    )
    append_rows(
        con, "deal_inputs", [{"deal_id": d, "inputs_hash": h} for d, h in sorted(result.inputs.items())]
    )
    if plan.state != plan.stored:  # most incremental runs leave it as it was (a statement pair less)
        con.execute("DELETE FROM reconcile_state")
        append_rows(con, "reconcile_state", [{"name": k, "value": v} for k, v in sorted(plan.state.items())])
    return {r["deal_id"]: r for r in old if r["deal_id"] in built}


def _restate(con: duckdb.DuckDBPyConnection, result: Reconciliation) -> int:
    """Write the direction text of the restated deals (reconciliation/incremental.py) into their
    stored rows, where it moved; returns how many moved. A read and an update of their rows, where
    building them again cost ~0.7 ms of CPU a deal with its evidence and conflicts rewritten."""
    if not result.restated:
        return 0
    cur = con.execute(
        "SELECT deal_id, provider, customer, extra FROM deal_store WHERE deal_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(result.restated)],
    )
    ids, extras = [], []
    for deal_id, provider, customer, extra in cur.fetchall():
        # extra as the writer stored it (to_json): loaded and written again, its text is the same
        now = to_json(restate(json.loads(extra or "{}"), provider, customer, result.directions))
        if now != extra:
            ids.append(deal_id)
            extras.append(now)
    if ids:
        con.execute(
            "UPDATE deal_store SET extra = u.extra FROM (SELECT unnest(?::VARCHAR[]) AS deal_id, "
            "unnest(?::VARCHAR[]) AS extra) u WHERE deal_store.deal_id = u.deal_id",
            [ids, extras],
        )
    return len(ids)


def _assignment(mention_id: str, deal_id: str, plan: Plan) -> dict[str, Any]:
    light = plan.light.get(mention_id, {})
    return {
        "mention_id": mention_id,
        "deal_id": deal_id,
        "digest": light.get("digest"),
        "article_id": light.get("article_id"),
        "provider": light.get("provider"),
        "customer": light.get("customer"),
        "money": to_json(sorted(plan.money.get(mention_id, ()))),
        "party_facts": plan.votes.get(mention_id),
        "backers": plan.backing.get(mention_id),
    }


def _evidence_rows(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence as evidence_store rows: as built when each has exactly the table's columns (the
    insert names its columns, so their order is free; re-keying 655 rows cost ~5 ms a run)."""
    if all(e.keys() == _EVIDENCE_KEYS for e in evidence):
        return evidence
    return [{k: e.get(k) for k in _EVIDENCE_COLUMNS} for e in evidence]


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
_EVIDENCE_KEYS = frozenset(_EVIDENCE_COLUMNS)


def set_review(
    con: duckdb.DuckDBPyConnection, conflict_id: str, status: ConflictStatus = ConflictStatus.ACKNOWLEDGED
) -> bool:
    """Mark a conflict reviewed ('acknowledged') or back to 'open'; a review holds until the
    conflicting values change. False when there is no such conflict."""
    cur = con.execute("SELECT values_hash FROM conflict_store WHERE conflict_id = ?", [conflict_id])
    found = fetch_dicts(cur)
    if not found:
        return False
    con.execute(
        "INSERT OR REPLACE INTO conflict_reviews (conflict_id, status, values_hash, reviewed_at) "
        "VALUES (?, ?, ?, ?)",
        [conflict_id, status.value, found[0]["values_hash"], naive_utc(datetime.now(UTC))],
    )
    con.execute("UPDATE conflict_store SET status = ? WHERE conflict_id = ?", [status.value, conflict_id])
    return True
