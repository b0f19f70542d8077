"""Reconciliation: every stored mention → one deal row per real agreement, its conflicts, its evidence.

Pure logic (no DuckDB): the caller passes all mentions and last run's state, and writes the result.
Recomputed from scratch each run; deal ids and analysts' acknowledgements carry over through
:class:`PreviousState`.

Per field the value the deal shows is resolved in reconciliation/resolution.py; every other value that
is not a refinement of it is a conflict (reconciliation/deal_conflicts.py). Directions are voted per pair
(reconciliation/direction.py), rows are kept self-consistent (reconciliation/consistency.py), and a deal the
system cannot stand behind is a candidate (reconciliation/candidates.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from extractors.models import DEAL_COLUMNS, DealStatus, Fact
from reconciliation.arithmetic import Term, derived_term, fee_times_term, total_consistent
from reconciliation.candidates import Landscape, landscape
from reconciliation.compat import CONFLICT, ClaimCache
from reconciliation.consistency import Shown, date_drops, is_contract_date, total_drop
from reconciliation.content_order import record_order
from reconciliation.deal_conflicts import ConflictMixin
from reconciliation.deal_evidence import EvidenceMixin
from reconciliation.deal_row import RowMixin
from reconciliation.direction import Directions, decide
from reconciliation.explain import field_label
from reconciliation.grouping import Episode, MentionRecord, group_mentions
from reconciliation.incremental import deal_inputs, restated, unchanged
from reconciliation.resolution import Resolution, ValueGroup, _date, _int, resolve_field

log = logging.getLogger(__name__)

__all__ = ["Context", "MentionRecord", "PreviousState", "Reconciliation", "reconcile"]

#: Fields resolved before total_value, so that fee × term can break ties between totals.
FIRST_FIELDS = ("monthly_fee", "start_date", "end_date", "term_months")
#: Fields whose arithmetic conflict already explains why a field is left out of the row.
RELATED = {
    "monthly_fee": ("total_value",),
    "total_value": ("total_value",),
    "end_date": ("term_months",),
    "term_months": ("term_months",),
    "start_date": (),
}


@dataclass
class PreviousState:
    assignments: dict[str, str] = field(default_factory=dict)  # mention_id -> deal_id
    conflict_status: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (status, hash)
    #: deal_id -> fingerprint of the inputs its stored rows were built from (reconciliation/incremental.py);
    #: empty for a full reconcile, which builds every deal
    inputs: dict[str, str] = field(default_factory=dict)


@dataclass
class Reconciliation:
    deals: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    assignments: dict[str, str] = field(default_factory=dict)
    #: deal_id -> fingerprint of its inputs, for every deal of this run (built or kept)
    inputs: dict[str, str] = field(default_factory=dict)
    #: deals whose inputs are those of their stored rows: not built, their rows stand
    kept: set[str] = field(default_factory=set)
    #: kept deals whose direction text moved: their stored row is restated with ``directions``
    #: (reconciliation/deal_row.py ``restate``), their other rows stand
    restated: set[str] = field(default_factory=set)
    directions: Directions = field(default_factory=Directions)


class _DealBuilder(ConflictMixin, RowMixin, EvidenceMixin):
    """One deal's resolution, row, conflicts and evidence (the parts live in the mixins)."""

    def __init__(
        self,
        ep: Episode,
        records: list[MentionRecord],
        previous: PreviousState,
        claims: ClaimCache,
        directions: Directions | None = None,
        land: Landscape | None = None,
    ) -> None:
        self.ep = ep
        self.directions = directions or Directions()
        self.land = land or Landscape()
        #: fields the row does not show although they were resolved (self-consistency), with why
        self.dropped: dict[str, str] = {}
        #: facts left out before resolution (a construction date is no contract date), with why
        self.excluded: dict[int, str] = {}
        self.claims = claims
        self.deal_id = ep.deal_id or ""
        self.members = [records[i] for i in ep.members]
        self.previous = previous
        self.items: dict[str, list[tuple[MentionRecord, Fact]]] = {}
        self.all_items: dict[str, list[tuple[MentionRecord, Fact]]] = {}
        for rec in self.members:
            for fact in rec.mention.facts:
                if isinstance(fact, Fact) and isinstance(fact.field, str):
                    self.all_items.setdefault(fact.field, []).append((rec, fact))
                    why = self._left_out(rec, fact)
                    if why:
                        self.excluded[id(fact)] = why
                    else:
                        self.items.setdefault(fact.field, []).append((rec, fact))
        self.res: dict[str, Resolution] = {}
        self.conflicts: list[dict] = []
        self.term: Term | None = None

    def _left_out(self, rec: MentionRecord, fact: Fact) -> str | None:
        """Why a fact may not speak for this deal at all (None: it may)."""
        if not rec.mention.is_main and self.land.owned_by_main(rec.mention.article_id, fact):
            return "the article's main deal states this very value: it is that deal's"
        if fact.field in ("start_date", "end_date") and not is_contract_date(fact):
            return "a construction, handover or phase date, not a contract date"
        return None

    def winner(self, fname: str) -> Fact | None:
        r = self.res.get(fname)
        return r.winner.rep if r and r.winner and fname not in self.dropped else None

    def shown(self, fname: str) -> Shown:
        r = self.res.get(fname)
        return Shown(self.winner(fname), len(r.winner.sources) if r and r.winner else 0)

    def enforce_consistency(self) -> None:
        """Drop the weakest of values that contradict each other; conflicts already explain them."""
        stated = _int(self.winner("term_months"))
        drops = date_drops(
            self.shown("start_date"), self.shown("end_date"), stated, self.shown("term_months")
        )
        self._drop(drops)
        self.term = self._term()
        fee, total = self.winner("monthly_fee"), self.winner("total_value")
        if fee is not None and total is not None:
            drops = total_drop(
                self.claims("monthly_fee", fee).amount,
                self.shown("monthly_fee"),
                self.term,
                self.claims("total_value", total).amount,
                self.shown("total_value"),
            )
            self._drop(drops)

    def _drop(self, drops: dict[str, str]) -> None:
        for fname, why in drops.items():
            self.dropped[fname] = why
            related = next((c for c in self.conflicts if c["field"] in RELATED[fname]), None)
            if related is not None:
                related["explanation"] += f" The deal does not show the {field_label(fname).lower()}."
            elif not any(c["field"] == fname for c in self.conflicts):
                res = self.res[fname]
                self.conflicts.append(
                    {
                        "field": fname,
                        "kind": "consistency",
                        "severity": CONFLICT,
                        "values": [self.value_entry(fname, g) for g in res.groups],
                        "explanation": f"{field_label(fname)} is not shown: {why}.",
                        "keys": [list(map(str, g.key)) for g in res.groups],
                    }
                )
            else:
                row = next(c for c in self.conflicts if c["field"] == fname)
                row["explanation"] += f" The deal does not show it: {why}."

    def resolve_all(self) -> None:
        for fname in FIRST_FIELDS:
            self.res[fname] = resolve_field(fname, self.items.get(fname, []), self.claims)
        self.term = self._term()
        fee = self.winner("monthly_fee")
        fee_amt = self.claims("monthly_fee", fee).amount if fee else None
        prefer = None
        if fee_amt is not None and fee_amt.point and self.term is not None:
            computed = fee_times_term(fee_amt, self.term)

            def prefer(g: ValueGroup) -> float | None:
                """How far a total is from fee × term (relative); None when it contradicts it."""
                amt = g.claim.amount
                if amt is None or not total_consistent(amt, computed):
                    return None
                if amt.point is None or not computed.point:
                    return 0.0
                return abs(amt.point - computed.point) / abs(computed.point)

        self.res["total_value"] = resolve_field(
            "total_value", self.items.get("total_value", []), self.claims, prefer
        )
        for fname in self.items:
            if fname not in self.res:
                self.res[fname] = resolve_field(fname, self.items[fname], self.claims)

    def _term(self) -> Term | None:
        stated = _int(self.winner("term_months"))
        start = _date(self.winner("start_date"))
        if stated is not None and stated > 0:
            return Term(stated, "stated", start, None)
        end = _date(self.winner("end_date"))
        return derived_term(start, end)


def _build(
    ep: Episode,
    records: list[MentionRecord],
    previous: PreviousState,
    claims: ClaimCache,
    directions: Directions | None = None,
    land: Landscape | None = None,
) -> tuple[dict, list[dict], list[dict]]:
    """The deal's row, conflicts and evidence. A failing check costs its conflicts, not the deal."""
    b = _DealBuilder(ep, records, previous, claims, directions, land)
    b.resolve_all()
    for check in (b.value_conflicts, b.arithmetic_conflicts, b.enforce_consistency):
        try:
            check()
        except Exception:
            log.exception("reconcile: %s failed for deal %s", check.__name__, ep.deal_id)
    conflicts = b.finish_conflicts()
    return b.row(len(conflicts)), conflicts, b.evidence()


def _bare_row(ep: Episode, records: list[MentionRecord]) -> dict:
    """A deal row with its parties and counts only, for a deal whose values could not be resolved."""
    members = [records[i] for i in ep.members]
    row = dict.fromkeys(DEAL_COLUMNS)
    row.update(
        deal_id=ep.deal_id,
        provider=next((r.mention.provider for r in members if r.mention.provider), None),
        customer=next((r.mention.customer for r in members if r.mention.customer), None),
        hardware=[],
        source_count=len({r.source_key for r in members}),
        article_count=len({r.mention.article_id for r in members}),
        conflict_count=0,
        related_deal_id=ep.related_deal_id,
        status=DealStatus.CANDIDATE,
        reason_codes=["unresolved"],
        reason="its values could not be resolved (see the log)",
    )
    return row


def _clean(rec: MentionRecord) -> MentionRecord:
    """The record with only well-formed facts (a copy when some are not; the caller's is untouched)."""
    facts = rec.mention.facts
    if isinstance(facts, list) and all(isinstance(f, Fact) and isinstance(f.field, str) for f in facts):
        return rec
    good = [f for f in (facts or []) if isinstance(f, Fact) and isinstance(f.field, str)]
    return replace(rec, mention=replace(rec.mention, facts=good))


def _oriented(rec: MentionRecord, directions: Directions) -> MentionRecord:
    """The record in its pair's voted direction (a copy when outvoted; the caller's is untouched)."""
    if rec.mention.mention_id not in directions.flipped:
        return rec
    m = rec.mention
    return replace(rec, mention=replace(m, provider=m.customer, customer=m.provider))


def _usable(rec: Any) -> bool:
    """A mention that names neither party says nothing an analyst could file under a deal."""
    return (
        isinstance(rec, MentionRecord)
        and getattr(rec.mention, "article_id", None) is not None
        and bool(rec.mention.provider or rec.mention.customer)
    )


@dataclass
class Context:
    """Direction votes and landscape decided over more mentions than those reconciled (the
    neighbourhood that decides them, reconciliation/scope.py)."""

    directions: Directions
    land: Landscape


def reconcile(
    mentions: list[MentionRecord],
    previous: PreviousState | None = None,
    generic: frozenset[str] | None = None,
    context: Context | None = None,
    claims: ClaimCache | None = None,
) -> Reconciliation:
    """One deal per real agreement from all mentions; conflicts and evidence. Never raises.

    Deals whose inputs match ``previous.inputs`` are not built (listed in ``kept``): their stored
    rows are what a build would give; those whose inputs match but for their pairs' priors are
    ``restated`` too: their stored row takes its direction text from ``directions``. ``mentions`` may be one part of the database closed under
    grouping (reconciliation/scope.py), with ``generic`` the generic words of the whole database
    and ``context`` the votes and landscape of the mentions around it. ``claims``: a cache the
    caller parsed these mentions' facts into already (storage/reconcile_db.py: money figures)."""
    previous = previous or PreviousState()
    out = Reconciliation()
    try:
        # in content order: every tie and "first" below follows the articles' content, never
        # their URL-derived ids or arrival order (reconciliation/content_order.py)
        records = sorted((_clean(r) for r in (mentions or []) if _usable(r)), key=record_order)
        if context is None:
            directions = decide([(r.source_key, r.mention) for r in records])
        else:
            directions = context.directions
        records = [_oriented(r, directions) for r in records]
        land = landscape([r.mention for r in records]) if context is None else context.land
        claims = claims if claims is not None else ClaimCache()
        episodes = group_mentions(records, previous.assignments or {}, claims, generic)
        out.directions = directions
    except Exception:
        log.exception("reconcile: grouping failed")
        return out
    for ep in episodes:
        for i in ep.members:
            out.assignments[records[i].mention.mention_id] = ep.deal_id or ""
        try:
            inputs = deal_inputs(ep, records, directions, land)
        except Exception:
            log.exception("reconcile: the inputs of deal %s could not be fingerprinted", ep.deal_id)
            inputs = None
        if inputs is not None:
            out.inputs[ep.deal_id or ""] = inputs
            if unchanged(ep.deal_id, inputs, previous.inputs):
                out.kept.add(ep.deal_id or "")
                continue
            if restated(ep.deal_id, inputs, previous.inputs):
                out.kept.add(ep.deal_id or "")
                out.restated.add(ep.deal_id or "")
                continue
        try:
            deal, conflicts, evidence = _build(ep, records, previous, claims, directions, land)
        except Exception:
            log.exception("reconcile: deal %s could not be built", ep.deal_id)
            deal, conflicts, evidence = _bare_row(ep, records), [], []
        out.deals.append(deal)
        out.conflicts.extend(conflicts)
        out.evidence.extend(evidence)
    return out
