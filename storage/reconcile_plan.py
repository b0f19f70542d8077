"""What a reconcile reads before it reconciles: the plan (which mentions are new, changed or gone
and which part of the database they reach, storage/reconcile_db.py) and the context (direction
votes and landscape around that part), from light per-mention rows and only the facts needed.

Split from storage/reconcile_db.py (issue 13): the plan and its facts are the part of a run that
reads the whole history, kept apart so what each query costs stays in view.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import duckdb

from extractors.models import ArticleStatus, DealMention, Fact
from reconciliation.candidates import backer_keys
from reconciliation.compat import ClaimCache
from reconciliation.content_order import light_order
from reconciliation.grouping import MONEY_FIELDS, generic_tokens, party_key
from reconciliation.incremental import code_version
from reconciliation.reconcile import Context
from reconciliation.renames import current_name
from reconciliation.scope import Light, Reacher, make_context
from storage import mention_digest, rename_index
from storage.db import fetch_dicts
from storage.writer import to_json

#: Only the mentions of articles that were extracted take part in reconciliation.
OK_ARTICLE = f"a.status = '{ArticleStatus.OK}'"


def fact_of(r: dict[str, Any]) -> Fact:
    return fact_from(
        r["field"],
        r["value"],
        r["display"],
        r["sentence"],
        r["start_char"],
        r["end_char"],
        r["extractor"],
        r["extractor_version"],
        r["confidence"],
        r["attrs"],
    )


def fact_from(
    field: str,
    value: str | None,
    display: str,
    sentence: str,
    start: int,
    end: int,
    extractor: str,
    version: str,
    confidence: float,
    attrs: str | None,
) -> Fact:
    """A stored fact row's columns (as the queries below select them) as a Fact: they take the
    rows as tuples, not dicts (a dict per fact was ~1 ms per 1,000 facts)."""
    return Fact(
        field,
        _json(value) if value is not None else None,
        display,
        sentence,
        start,
        end,
        extractor,
        version,
        confidence,
        json.loads(attrs) if attrs and attrs != "{}" else {},
    )


def _json(text: str) -> Any:
    """A stored JSON value; a scalar (most values: names, numbers, dates) parsed once per text."""
    return json.loads(text) if text[:1] in ("[", "{") else _scalar(text)


@lru_cache(maxsize=65536)
def _scalar(text: str) -> Any:
    return json.loads(text)


@lru_cache(maxsize=65536)
def _money_set(text: str | None) -> frozenset[str]:
    """A mention's stored money figures (deal_assignments.money): one frozen set per text."""
    return frozenset(json.loads(text or "[]"))


#: Per usable mention of an 'ok' article: its parties, article and a digest of everything
#: reconciliation reads of it (its facts, its article's source fields). DuckDB's 64-bit hash; the
#: facts' count and summed hash as the writer stored them (storage/mention_digest.py). With its
#: source's fields, so the records a run reconciles are made from these rows without a query of
#: their own (storage/reconcile_db.py ``records_of``).
LIGHT_SQL = f"""
SELECT m.mention_id, m.article_id, m.mention_index, m.provider, m.customer, m.is_main, m.deal_type,
       coalesce(a.duplicate_of, a.article_id) AS source_key, a.published_at, a.text_hash AS content,
       a.publisher, a.url, a.fetched_at, a.is_deal_relevant,
       hash(m.mention_index, m.provider, m.customer, m.is_main, m.deal_type, a.publisher, a.url,
            a.published_at, a.fetched_at, coalesce(a.duplicate_of, a.article_id), a.is_deal_relevant,
            fd.facts, fd.facts_digest)::VARCHAR AS digest, fd.mention_id IS NULL AS no_digest
FROM mention_store m JOIN article_store a USING (article_id) LEFT JOIN mention_digest fd USING (mention_id)
WHERE {OK_ARTICLE} AND (m.provider IS NOT NULL OR m.customer IS NOT NULL)
ORDER BY a.fetched_at, m.article_id, m.mention_index
"""
#: related_party facts of the mentions a reconcile reads: who is a backer anywhere is decided over
#: the whole database, like the generic words (reconciliation/candidates.py ``backer_keys``).
BACKERS_SQL = f"""
SELECT f.mention_id, f.field, f.value, f.display, f.sentence, f.start_char, f.end_char, f.extractor,
       f.extractor_version, f.confidence, f.attrs
FROM fact_store f JOIN mention_store m ON m.mention_id = f.mention_id
JOIN article_store a ON a.article_id = m.article_id
WHERE f.field = 'related_party' AND {OK_ARTICLE} AND (m.provider IS NOT NULL OR m.customer IS NOT NULL)
"""
#: reconcile_state entries that move with the data without making a run a full one
TRACKED = ("backers",)
#: Facts of mentions in a list ($ids), of some fields ($fields; all when empty), in stored order.
FACTS_SQL = """
SELECT mention_id, field, value, display, sentence, start_char, end_char, extractor,
       extractor_version, confidence, attrs
FROM fact_store
WHERE list_contains($ids, mention_id) AND (len($fields) = 0 OR list_contains($fields, field))
ORDER BY rowid
"""
ALL_FACTS_SQL = FACTS_SQL.replace("list_contains($ids, mention_id) AND ", "")
#: Every fact of the new and changed mentions, and whether its sentence may state a rename (what
#: storage/rename_index.py indexes): one read serves the plan, the rename index and the records.
MOVED_FACTS_SQL = """
SELECT f.mention_id, f.field, f.value, f.display, f.sentence, f.start_char, f.end_char, f.extractor,
       f.extractor_version, f.confidence, f.attrs, ({hint}) AS rename_hint
FROM fact_store f
WHERE list_contains($ids, f.mention_id)
ORDER BY f.rowid
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


def read_facts(
    con: duckdb.DuckDBPyConnection, ids: Iterable[str] | None, fields: Iterable[str] = ()
) -> dict[str, list[Fact]]:
    """The facts of mentions ``ids`` (every mention's when None; only ``fields`` when given), per
    mention, in stored order."""
    if ids is None:
        cur = con.execute(ALL_FACTS_SQL, {"fields": sorted(fields)})
    elif not (wanted := sorted(ids)):
        return {}  # most runs' context needs no facts beyond the scope's: a 1.4 ms query less
    else:
        cur = con.execute(FACTS_SQL, {"ids": wanted, "fields": sorted(fields)})
    out: dict[str, list[Fact]] = {}
    for mention_id, *columns in cur.fetchall():
        out.setdefault(mention_id, []).append(fact_from(*columns))
    return out


def read_moved(
    con: duckdb.DuckDBPyConnection, ids: Iterable[str]
) -> tuple[dict[str, list[Fact]], list[tuple[str, str]]]:
    """Every fact of the mentions ``ids`` per mention, in stored order, and their distinct
    (mention, sentence) pairs that may state a rename (storage/rename_index.py ``refresh``)."""
    if not (wanted := sorted(ids)):
        return {}, []
    cur = con.execute(MOVED_FACTS_SQL.format(hint=rename_index.hint_sql()), {"ids": wanted})
    facts: dict[str, list[Fact]] = {}
    hinted: dict[tuple[str, str], None] = {}
    for mention_id, *columns, hint in cur.fetchall():
        fact = fact_from(*columns)
        facts.setdefault(mention_id, []).append(fact)
        if hint:
            hinted[(mention_id, fact.sentence)] = None
    return facts, list(hinted)


def money_of(facts: Iterable[Fact], claims: ClaimCache) -> frozenset[str]:
    """A mention's fee and total figures as grouping compares them (claim keys, as JSON)."""
    return frozenset(to_json([f.field, claims(f.field, f).key]) for f in facts if f.field in MONEY_FIELDS)


def scope_mains(plan: Plan) -> list[str]:
    """The main mentions of the scope's articles: the landscape reads their facts' spans (what an
    article's main deal owns, reconciliation/candidates.py)."""
    articles = {plan.light[m]["article_id"] for m in plan.ids or ()}
    return [m for m, r in plan.light.items() if r["is_main"] and r["article_id"] in articles]


def load_context(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    loaded: dict[str, list[Fact]] | None = None,
    mains: dict[str, list[Fact]] | None = None,
) -> Context:
    """Votes and landscape for the scope, from the mentions that decide them (reconciliation/scope.py).
    ``loaded``: the facts of mentions the run read already (the scope's), not read again;
    ``mains``: those of :func:`scope_mains` outside the scope, read with them."""
    loaded = loaded or {}
    # in content order, as a full reconcile votes (reconciliation/content_order.py)
    ids = sorted((m for m in plan.light if m in plan.context), key=lambda m: light_order(plan.light[m]))
    # Party facts decide a mention's vote weight and strong statements, which count only for the
    # pairs voted (a company of the scope in them); elsewhere its parties alone give the roles.
    voted = [m for m in ids if _touches(plan.light[m], plan.companies)]
    party = {m: [f for f in loaded[m] if f.field in PARTY_FIELDS] for m in voted if m in loaded}
    party.update({m: vote_facts(plan.votes[m]) for m in voted if m not in party and m in plan.votes})
    party.update(read_facts(con, [m for m in voted if m not in party], PARTY_FIELDS))
    voters = [(plan.light[m]["source_key"], _bare_mention(plan.light[m], party.get(m, []))) for m in ids]
    # what is known of companies: the parties of every main mention (their light rows suffice)
    scoped = scope_mains(plan)
    facts = {m: loaded[m] for m in scoped if m in loaded}
    facts.update({m: fs for m, fs in (mains or {}).items() if m not in facts})
    facts.update(read_facts(con, [m for m in scoped if m not in facts]))
    spans_of = [_bare_mention(plan.light[m], facts.get(m, [])) for m in scoped]
    parties = [plan.lights[m] for m, r in plan.light.items() if r["is_main"]]
    return make_context(voters, parties, spans_of, plan.companies, plan.backers)


#: The facts a direction vote reads (reconciliation/direction.py ``_strength``).
PARTY_FIELDS = ("provider", "customer")


def vote_inputs(facts: Iterable[Fact]) -> str:
    """What a mention's direction vote reads of its facts, as stored (deal_assignments.party_facts)."""
    return to_json([[f.field, f.confidence, f.extractor] for f in facts if f.field in PARTY_FIELDS])


def vote_facts(stored: str) -> list[Fact]:
    """Party facts bare of all but what a vote reads, from :func:`vote_inputs`."""
    return [Fact(f, None, "", "", 0, 0, x, confidence=c) for f, c, x in json.loads(stored)]


def _touches(r: dict[str, Any], companies: set[str]) -> bool:
    return party_key(r["provider"]) in companies or party_key(r["customer"]) in companies


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


@dataclass
class Plan:
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
    assigned: dict[str, str] = field(default_factory=dict)  # mention_id -> deal_id, last run's
    backers: frozenset[str] = frozenset()  # party keys named as a backer anywhere
    votes: dict[str, str] = field(default_factory=dict)  # mention_id -> vote_inputs
    backing: dict[str, str] = field(default_factory=dict)  # mention_id -> its backer_keys, as JSON
    lights: dict[str, Light] = field(default_factory=dict)  # mention_id -> its Light (the scope's graph)
    stored: dict[str, str] = field(default_factory=dict)  # reconcile_state as the last run left it
    facts: dict[str, list[Fact]] = field(default_factory=dict)  # of new and changed mentions, read once


def _backers(
    con: duckdb.DuckDBPyConnection,
    old: dict[str, dict[str, Any]],
    kept: Iterable[str],
    fresh: dict[str, list[Fact]],
) -> frozenset[str]:
    """Party keys named as a backer anywhere: those the last run stored for the ``kept`` mentions
    (unchanged) and those the ``fresh`` facts (of the new and changed ones) name; all related_party
    facts read when there is no last run or its rows do not say (from before migration 012)."""
    stored = [old[m].get("backers") for m in kept if m in old]
    if not old or None in stored:
        return frozenset(backer_keys(fact_of(r) for r in fetch_dicts(con.execute(BACKERS_SQL))))
    out = backer_keys(f for fs in fresh.values() for f in fs)
    for text in stored:
        if text != "[]":
            out.update(json.loads(text))
    return frozenset(out)


def _decisive(state: dict[str, str]) -> dict[str, str]:
    """The state entries whose change makes a run a full one (all but ``TRACKED``)."""
    return {k: v for k, v in state.items() if k not in TRACKED}


def make_plan(con: duckdb.DuckDBPyConnection, full: bool) -> Plan:
    """Compare the mentions with the last run's: the part of the database to reconcile again."""
    raw = fetch_dicts(con.execute(LIGHT_SQL))
    if any(r["no_digest"] for r in raw):  # a database from before migration 012: asked once, here
        mention_digest.fill_missing(con)
        raw = fetch_dicts(con.execute(LIGHT_SQL))
    stored = {
        r["name"]: r["value"] for r in fetch_dicts(con.execute("SELECT name, value FROM reconcile_state"))
    }
    old: dict[str, dict[str, Any]] = {}
    moved: dict[str, tuple[str | None, str | None]] = {}
    fresh: dict[str, list[Fact]] = {}  # every fact of the new and changed mentions
    version = code_version()
    if (
        full
        or stored.get("code_version") != version
        or stored.get(rename_index.STATE_KEY) != rename_index.VERSION
    ):
        rename_index.rebuild(con)
    else:
        old = {r["mention_id"]: r for r in fetch_dicts(con.execute("SELECT * FROM deal_assignments"))}
        moved = {
            r["mention_id"]: (r["provider"], r["customer"])
            for r in raw
            if r["mention_id"] not in old or old[r["mention_id"]]["digest"] != r["digest"]
        }
        gone = old.keys() - {r["mention_id"] for r in raw}
        fresh, hinted = read_moved(con, moved) if old else ({}, None)
        rename_index.refresh(con, moved, gone, hinted)
    renames = rename_index.links(con, (n for r in raw for n in (r["provider"], r["customer"])))
    light = {r["mention_id"]: _renamed(r, renames) for r in raw}
    generic = generic_tokens(n for r in light.values() for n in (r["provider"], r["customer"]))
    state = {"code_version": version, "generic": to_json(sorted(generic))}
    state["renames"] = to_json(sorted(renames.items()))
    state[rename_index.STATE_KEY] = rename_index.VERSION
    # the facts of new and changed mentions give their money figures and backers
    backers = _backers(con, old, light.keys() - moved.keys(), fresh)
    state["backers"] = to_json(sorted(backers))
    plan = Plan(light, generic, state, renames=renames, backers=backers, stored=stored, facts=fresh)
    if full or _decisive(stored) != _decisive(state) or "backers" not in stored:
        return plan  # new code, new generic words or renames: every deal may move
    standing = backers ^ frozenset(json.loads(stored["backers"]))
    plan.assigned = {m: r["deal_id"] for m, r in old.items()}
    plan.gone = old.keys() - light.keys()
    # new and changed mentions (those read in full above), in load order
    new = [m for m in light if m in moved]
    money, votes = plan.money, plan.votes
    for m in light:
        if m not in moved:
            row = old[m]
            money[m] = _money_set(row["money"])
            if row["party_facts"]:
                votes[m] = row["party_facts"]
    claims = ClaimCache()
    money.update({m: money_of(fs, claims) for m, fs in fresh.items()})
    lights = plan.lights = {m: _light(r, money) for m, r in light.items()}
    # the new and changed ones as they are, and as they were (changed ones with their money
    # figures now: a link too many is harmless); one pass over the light rows (was three)
    changed = [lights[m] for m in new]
    changed += [
        replace(_light(old[m]), money=money.get(m, frozenset())) for m in old.keys() & (plan.gone | set(new))
    ]
    members: dict[str, set[str]] = {}
    for m, r in old.items():
        members.setdefault(r["deal_id"], set()).add(m)
    reacher = Reacher(list(lights.values()), generic)
    found = reacher.reach(changed, standing)
    while True:  # every mention of a deal that is replaced is reconciled again, and what it reaches
        plan.replaced = {old[m]["deal_id"] for m in (found.scope | plan.gone) & old.keys()}
        missing = {m for d in plan.replaced for m in members[d]} & lights.keys() - found.scope
        if not missing:
            break
        found = reacher.grow([lights[m] for m in sorted(missing)])
    plan.ids, plan.context, plan.companies = found.scope, found.context, found.companies
    return plan
