"""Reconciliation against the database: load every mention, reconcile, write what changed.

Grouping and direction votes are recomputed from all mentions each run (a new article can move
any deal), but only the deals whose inputs changed are built and rewritten: the others keep their
rows in ``deal_store``, ``conflict_store`` and ``evidence_store`` (``deal_inputs`` holds each deal's
fingerprint, reconciliation/incremental.py). A full reconcile (``full=True``) builds and rewrites
every deal; both give identical tables. Conflict reviews carry over through ``conflict_reviews``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb

from extractors.models import (
    STORED_DEAL_COLUMNS,
    ArticleStatus,
    Conflict,
    ConflictStatus,
    Deal,
    DealMention,
    DealStatus,
    Fact,
)
from reconciliation.compat import ClaimCache
from reconciliation.grouping import MONEY_FIELDS, generic_tokens
from reconciliation.incremental import code_version
from reconciliation.reconcile import Context, MentionRecord, PreviousState, Reconciliation, reconcile
from reconciliation.renames import current_name, links_in_use, rename_links, sentence_filters
from reconciliation.scope import Light, make_context, reach
from storage.db import fetch_dicts, transaction
from storage.writer import append_rows, naive_utc, to_json

#: Only the mentions of articles that were extracted take part in reconciliation.
_OK = f"a.status = '{ArticleStatus.OK}'"


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


def _fact(r: dict[str, Any]) -> Fact:
    return Fact(
        field=r["field"],
        value=json.loads(r["value"]) if r["value"] is not None else None,
        display=r["display"],
        sentence=r["sentence"],
        start_char=r["start_char"],
        end_char=r["end_char"],
        extractor=r["extractor"],
        extractor_version=r["extractor_version"],
        confidence=r["confidence"],
        attrs=json.loads(r["attrs"]) if r["attrs"] else {},
    )


def load_renames(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The renames the stored fact sentences state (reconciliation/renames.py), over all 'ok'
    articles: earlier name's party key -> current name."""
    likes = " OR ".join(f"f.sentence ILIKE '{p}'" for p in sentence_filters())
    rows = con.execute(
        f"""
        SELECT DISTINCT m.provider, m.customer, f.sentence
        FROM fact_store f JOIN mention_store m ON f.mention_id = m.mention_id
        JOIN article_store a ON a.article_id = m.article_id
        WHERE {_OK} AND ({likes})
        ORDER BY ALL
        """
    ).fetchall()
    links = rename_links(rows)
    if not links:
        return links
    names = con.execute(
        f"SELECT DISTINCT unnest([m.provider, m.customer]) FROM mention_store m "
        f"JOIN article_store a ON a.article_id = m.article_id WHERE {_OK}"
    ).fetchall()
    return links_in_use(links, (n for (n,) in names))


def load_mentions(
    con: duckdb.DuckDBPyConnection, ids: set[str] | None = None, renames: dict[str, str] | None = None
) -> list[MentionRecord]:
    """Every stored mention of an article that is still 'ok' (only ``ids`` when given), with its
    facts and source; parties under their current names (``renames``, default: the database's)."""
    if renames is None:
        renames = load_renames(con)
    only = "" if ids is None else " AND list_contains($ids, m.mention_id)"
    params = {} if ids is None else {"ids": sorted(ids)}
    mention_rows = fetch_dicts(
        con.execute(
            f"""
            SELECT m.mention_id, m.article_id, m.mention_index, m.provider, m.customer, m.is_main,
                   m.deal_type, a.publisher, a.url, a.published_at, a.fetched_at,
                   coalesce(a.duplicate_of, a.article_id) AS source_key, a.is_deal_relevant
            FROM mention_store m JOIN article_store a USING (article_id)
            WHERE {_OK}{only}
            ORDER BY a.fetched_at, m.article_id, m.mention_index
            """,
            params,
        )
    )
    fact_rows = fetch_dicts(
        con.execute(
            f"""
            SELECT m.mention_id, field, value, display, sentence, start_char, end_char, extractor,
                   extractor_version, confidence, attrs
            FROM fact_store m WHERE true{only}
            ORDER BY m.rowid
            """,
            params,
        )
    )
    facts: dict[str, list[Fact]] = {}
    for r in fact_rows:
        facts.setdefault(r["mention_id"], []).append(_fact(r))
    return [
        MentionRecord(
            mention=DealMention(
                article_id=r["article_id"],
                mention_index=r["mention_index"],
                provider=current_name(r["provider"], renames),
                customer=current_name(r["customer"], renames),
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
        )
        for r in mention_rows
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


#: Per usable mention of an 'ok' article: its parties, article and a digest of everything
#: reconciliation reads of it (its facts, its article's source fields). DuckDB's 64-bit hash, the
#: facts' summed (a fact order changes only with their content: extraction is deterministic).
LIGHT_SQL = f"""
WITH fd AS (
    SELECT mention_id, count(*) AS facts,
           sum(hash(field, value, display, sentence, start_char, end_char, extractor,
                    extractor_version, confidence, attrs)::HUGEINT) AS facts_digest
    FROM fact_store GROUP BY mention_id
)
SELECT m.mention_id, m.article_id, m.mention_index, m.provider, m.customer, m.is_main, m.deal_type,
       coalesce(a.duplicate_of, a.article_id) AS source_key,
       hash(m.mention_index, m.provider, m.customer, m.is_main, m.deal_type, a.publisher, a.url,
            a.published_at, a.fetched_at, coalesce(a.duplicate_of, a.article_id), a.is_deal_relevant,
            fd.facts, fd.facts_digest)::VARCHAR AS digest
FROM mention_store m JOIN article_store a USING (article_id) LEFT JOIN fd USING (mention_id)
WHERE {_OK} AND (m.provider IS NOT NULL OR m.customer IS NOT NULL)
ORDER BY a.fetched_at, m.article_id, m.mention_index
"""
#: Facts of mentions in a list ($ids), of some fields ($fields; all when empty), in stored order.
FACTS_SQL = """
SELECT mention_id, field, value, display, sentence, start_char, end_char, extractor,
       extractor_version, confidence, attrs
FROM fact_store
WHERE list_contains($ids, mention_id) AND (len($fields) = 0 OR list_contains($fields, field))
ORDER BY rowid
"""


def _renamed(r: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    """A light row with its parties under their current names (a rename changes the plan's state,
    so the stored rows of the last run never meet other names than these)."""
    if renames:
        r["provider"], r["customer"] = (
            current_name(r["provider"], renames),
            current_name(r["customer"], renames),
        )
    return r


def _light(r: dict[str, Any], money: dict[str, frozenset[str]] | None = None) -> Light:
    found = (money or {}).get(r["mention_id"], frozenset())
    return Light(r["mention_id"], r["article_id"], r["provider"], r["customer"], found)


def _facts(
    con: duckdb.DuckDBPyConnection, ids: Iterable[str], fields: Iterable[str] = ()
) -> dict[str, list[Fact]]:
    """The facts of mentions ``ids`` (only ``fields`` when given), per mention, in stored order."""
    cur = con.execute(FACTS_SQL, {"ids": sorted(ids), "fields": sorted(fields)})
    out: dict[str, list[Fact]] = {}
    for r in fetch_dicts(cur):
        out.setdefault(r["mention_id"], []).append(_fact(r))
    return out


def money_of(facts: Iterable[Fact], claims: ClaimCache) -> frozenset[str]:
    """A mention's fee and total figures as grouping compares them (claim keys, as JSON)."""
    return frozenset(to_json([f.field, claims(f.field, f).key]) for f in facts if f.field in MONEY_FIELDS)


def _money(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """Per mention among ``ids``, its money figures (see :func:`money_of`)."""
    claims = ClaimCache()
    return {m: money_of(fs, claims) for m, fs in _facts(con, ids, MONEY_FIELDS).items()}


def _context(con: duckdb.DuckDBPyConnection, plan: _Plan) -> Context:
    """Votes and landscape for the scope, from the mentions that decide them (reconciliation/scope.py)."""
    ids = [m for m in plan.light if m in plan.context]
    party = _facts(con, ids, ("provider", "customer"))
    voters = [(plan.light[m]["source_key"], _bare_mention(plan.light[m], party.get(m, []))) for m in ids]
    mains = [_bare_mention(r, []) for r in plan.light.values() if r["is_main"]]
    articles = {plan.light[m]["article_id"] for m in plan.ids or ()}
    scoped = [m.mention_id for m in mains if m.article_id in articles]
    facts = _facts(con, scoped)
    spans_of = [_bare_mention(plan.light[m], facts.get(m, [])) for m in scoped]
    return make_context(voters, mains, spans_of, plan.companies)


def _bare_mention(r: dict[str, Any], facts: list[Fact]) -> DealMention:
    return DealMention(
        article_id=r["article_id"],
        provider=r["provider"],
        customer=r["customer"],
        facts=facts,
        is_main=r["is_main"],
        deal_type=r["deal_type"],
        mention_index=r["mention_index"],
    )


def load_previous(con: duckdb.DuckDBPyConnection, full: bool = False) -> PreviousState:
    """Last run's assignments and reviews; for an incremental run also each stored deal's inputs."""
    assignments = {
        r["mention_id"]: r["deal_id"]
        for r in fetch_dicts(con.execute("SELECT mention_id, deal_id FROM deal_assignments"))
    }
    reviews = {
        r["conflict_id"]: (r["status"], r["values_hash"])
        for r in fetch_dicts(con.execute("SELECT conflict_id, status, values_hash FROM conflict_reviews"))
    }
    inputs = {}
    if not full:
        cur = con.execute("SELECT deal_id, inputs_hash FROM deal_inputs")
        inputs = {r["deal_id"]: r["inputs_hash"] for r in fetch_dicts(cur)}
    return PreviousState(assignments=assignments, conflict_status=reviews, inputs=inputs)


@dataclass
class _Plan:
    """What a run reconciles: all mentions (``ids`` None) or one part of the database."""

    light: dict[str, dict[str, Any]]  # mention_id -> light row with its digest
    generic: frozenset[str]
    state: dict[str, str]
    ids: set[str] | None = None  # mentions to reconcile; None: all
    context: set[str] = field(default_factory=set)  # mentions whose votes decide the scope's
    money: dict[str, frozenset[str]] = field(default_factory=dict)  # mention_id -> money_of
    companies: set[str] = field(default_factory=set)  # of the scope's deals
    replaced: set[str] = field(default_factory=set)  # stored deals whose rows may be replaced
    gone: set[str] = field(default_factory=set)  # assigned mentions no longer usable
    renames: dict[str, str] = field(default_factory=dict)  # reconciliation/renames.py


def _plan(con: duckdb.DuckDBPyConnection, full: bool) -> _Plan:
    """Compare the mentions with the last run's: the part of the database to reconcile again."""
    renames = load_renames(con)
    light = {r["mention_id"]: _renamed(r, renames) for r in fetch_dicts(con.execute(LIGHT_SQL))}
    generic = generic_tokens(n for r in light.values() for n in (r["provider"], r["customer"]))
    state = {"code_version": code_version(), "generic": to_json(sorted(generic))}
    state["renames"] = to_json(sorted(renames.items()))
    stored = {
        r["name"]: r["value"] for r in fetch_dicts(con.execute("SELECT name, value FROM reconcile_state"))
    }
    plan = _Plan(light, generic, state, renames=renames)
    if full or stored != state:
        return plan  # new code or new generic words: every deal may move
    old = {r["mention_id"]: r for r in fetch_dicts(con.execute("SELECT * FROM deal_assignments"))}
    plan.gone = old.keys() - light.keys()
    changed = [_light(r) for m, r in light.items() if m not in old or old[m]["digest"] != r["digest"]]
    # and as they were (changed ones with their money figures now: a link too many is harmless)
    new = {c.mention_id for c in changed}
    changed += [_light(old[m], plan.money) for m in old.keys() & (plan.gone | new)]
    plan.money.update({m: frozenset(json.loads(old[m]["money"] or "[]")) for m in light.keys() - new})
    plan.money.update(_money(con, new))
    changed = [replace(c, money=plan.money.get(c.mention_id, frozenset())) for c in changed]
    lights = {m: _light(r, plan.money) for m, r in light.items()}
    members: dict[str, set[str]] = {}
    for m, r in old.items():
        members.setdefault(r["deal_id"], set()).add(m)
    while True:  # every mention of a deal that is replaced is reconciled again, and what it reaches
        found = reach(list(lights.values()), changed, generic)
        plan.replaced = {old[m]["deal_id"] for m in (found.scope | plan.gone) & old.keys()}
        missing = {m for d in plan.replaced for m in members[d]} & lights.keys() - found.scope
        if not missing:
            break
        changed += [lights[m] for m in sorted(missing)]
    plan.ids, plan.context, plan.companies = found.scope, found.context, found.companies
    return plan


def reconcile_database(con: duckdb.DuckDBPyConnection, full: bool = False) -> ReconcileStats:
    """Reconcile the part of the database that new, changed or removed mentions reach (all of it
    when ``full``) and write the deals that changed, in one transaction."""
    statuses = {
        r["deal_id"]: r["status"] or DealStatus.DEAL
        for r in fetch_dicts(con.execute("SELECT deal_id, status FROM deal_store"))
    }
    plan = _plan(con, full)
    if plan.ids is not None and not plan.ids and not plan.gone:
        return _stats(con, statuses, {}, Reconciliation())  # nothing new: every row stands
    records = load_mentions(con, plan.ids, plan.renames)
    claims = ClaimCache()
    for rec in records:
        rec.digest = plan.light.get(rec.mention.mention_id, {}).get("digest")
        if rec.mention.mention_id not in plan.money:
            plan.money[rec.mention.mention_id] = money_of(rec.mention.facts, claims)
    context = _context(con, plan) if plan.ids is not None else None
    result = reconcile(records, load_previous(con, full or plan.ids is None), plan.generic, context)
    built = {d["deal_id"] for d in result.deals}
    old_rows = _deal_rows(con, built)
    with transaction(con):
        _write(con, result, plan)
    return _stats(con, statuses, old_rows, result)


def _deal_rows(con: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Stored rows of the deals ``ids``, without when they were first and last seen (bookkeeping
    that moves when an article is merely read again)."""
    cur = con.execute(
        "SELECT * EXCLUDE (first_seen, last_seen) FROM deal_store WHERE list_contains(?, deal_id)",
        [sorted(ids)],
    )
    return {r["deal_id"]: r for r in fetch_dicts(cur)}


def _stats(
    con: duckdb.DuckDBPyConnection,
    statuses: dict[str, str],
    old_rows: dict[str, dict[str, Any]],
    result: Reconciliation,
) -> ReconcileStats:
    """Counts over the whole stored result, kept and built deals alike."""
    row = fetch_dicts(
        con.execute(
            f"""
            SELECT (SELECT count(*) FROM deal_store WHERE {_IS_DEAL}) AS deals,
                   (SELECT count(*) FROM deal_store WHERE status = '{DealStatus.CANDIDATE}') AS candidates,
                   (SELECT count(*) FROM conflict_store) AS conflicts,
                   (SELECT count(*) FROM conflict_store
                    WHERE coalesce(status, '{ConflictStatus.OPEN}') <> '{ConflictStatus.ACKNOWLEDGED}')
                   AS open_conflicts
            """
        )
    )[0]
    built = {d["deal_id"] for d in result.deals}
    new_rows = _deal_rows(con, built)
    was_deal = {d for d, s in statuses.items() if s == DealStatus.DEAL}
    cur = con.execute(f"SELECT deal_id FROM deal_store WHERE {_IS_DEAL}")
    is_deal = {r["deal_id"] for r in fetch_dicts(cur)}
    return ReconcileStats(
        deals=row["deals"],
        created=len(is_deal - was_deal),
        updated=len(is_deal & was_deal),
        conflicts=row["conflicts"],
        open_conflicts=row["open_conflicts"],
        candidates=row["candidates"],
        new_ids=len(built - statuses.keys()),
        changed=sum(1 for d, r in new_rows.items() if d in old_rows and old_rows[d] != r),
        built=len(built),
    )


#: A deal_store row that is a deal (a row from before candidates existed has no status).
_IS_DEAL = f"coalesce(status, '{DealStatus.DEAL}') = '{DealStatus.DEAL}'"


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


def _write(con: duckdb.DuckDBPyConnection, result: Reconciliation, plan: _Plan) -> None:
    """Replace the rows of the deals reconciled again and not kept; every other row stays."""
    built = {d["deal_id"] for d in result.deals}
    if plan.ids is None:
        for table in ("deal_store", "conflict_store", "evidence_store", "deal_inputs", "deal_assignments"):
            con.execute(f"DELETE FROM {table}")
    else:
        drop = sorted((plan.replaced | built) - result.kept)
        for table in ("deal_store", "conflict_store", "evidence_store"):
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, deal_id)", [drop])
        redo = sorted(plan.replaced | result.inputs.keys())
        con.execute("DELETE FROM deal_inputs WHERE list_contains(?, deal_id)", [redo])
        mentions = sorted(plan.ids | plan.gone)
        con.execute("DELETE FROM deal_assignments WHERE list_contains(?, mention_id)", [mentions])
    append_rows(con, "deal_store", [_deal_row(d) for d in result.deals])
    append_rows(con, "conflict_store", [_conflict_row(c) for c in result.conflicts])
    append_rows(con, "evidence_store", [{k: e.get(k) for k in _EVIDENCE_COLUMNS} for e in result.evidence])
    append_rows(
        con, "deal_assignments", [_assignment(m, d, plan) for m, d in sorted(result.assignments.items())]
    )
    append_rows(
        con, "deal_inputs", [{"deal_id": d, "inputs_hash": h} for d, h in sorted(result.inputs.items())]
    )
    con.execute("DELETE FROM reconcile_state")
    append_rows(con, "reconcile_state", [{"name": k, "value": v} for k, v in sorted(plan.state.items())])


def _assignment(mention_id: str, deal_id: str, plan: _Plan) -> dict[str, Any]:
    light = plan.light.get(mention_id, {})
    return {
        "mention_id": mention_id,
        "deal_id": deal_id,
        "digest": light.get("digest"),
        "article_id": light.get("article_id"),
        "provider": light.get("provider"),
        "customer": light.get("customer"),
        "money": to_json(sorted(plan.money.get(mention_id, ()))),
    }


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
