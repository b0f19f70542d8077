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
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from extractors.models import DEAL_COLUMNS, DEAL_FIELDS, Fact
from reconciliation.arithmetic import Term, derived_term, fee_times_term, total_consistent
from reconciliation.candidates import Landscape, Member, judge, landscape
from reconciliation.compat import CONFLICT, ClaimCache, name_tokens
from reconciliation.consistency import Shown, date_drops, is_contract_date, total_drop
from reconciliation.deal_conflicts import ConflictMixin
from reconciliation.direction import Directions, decide
from reconciliation.explain import field_label
from reconciliation.grouping import Episode, MentionRecord, group_mentions
from reconciliation.resolution import Resolution, ValueGroup, _date, _float, _int, resolve_field
from reconciliation.rounding import honest_fee

log = logging.getLogger(__name__)

__all__ = ["MentionRecord", "PreviousState", "Reconciliation", "reconcile"]

#: The columns of the analyst view ``deals`` (ARCHITECTURE.md section 3) plus related_deal_id.
#: Fields resolved before total_value, so that fee × term can break ties between totals.
FIRST_FIELDS = ("monthly_fee", "start_date", "end_date", "term_months")
#: Fields that come from the grouping key; their facts are evidence, never conflicts.
PARTY_FIELDS = ("provider", "customer")
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


@dataclass
class Reconciliation:
    deals: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    assignments: dict[str, str] = field(default_factory=dict)


class _DealBuilder(ConflictMixin):
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

    # -- the row
    def currency(self) -> str | None:
        for fname in ("total_value", "monthly_fee"):
            w = self.winner(fname)
            if w is not None and isinstance(w.attrs, dict) and w.attrs.get("currency"):
                return str(w.attrs["currency"])
        found = Counter(
            str(f.attrs["currency"])
            for fname in ("total_value", "monthly_fee", "prepayment")
            for _, f in self.items.get(fname, [])
            if isinstance(f.attrs, dict) and f.attrs.get("currency")
        )
        return found.most_common(1)[0][0] if found else None

    def party(self, which: str) -> str | None:
        names = Counter(getattr(r.mention, which) for r in self.members if getattr(r.mention, which))
        return min(names, key=lambda n: (-names[n], n)) if names else None

    def hardware(self) -> list[str]:
        """Distinct hardware, dropping a name that a more specific one contains ('GB300' in 'Nvidia GB300')."""
        names = {str(f.value).strip() for _, f in self.items.get("hardware", []) if f.value}
        tokens = {n: name_tokens(n) for n in names}
        keep = {n for n in names if not any(tokens[n] < tokens[o] for o in names)}
        by_tokens: dict[frozenset[str], str] = {}
        for n in sorted(keep):
            by_tokens.setdefault(tokens[n], n)  # 'Nvidia GB300' and 'NVIDIA GB300' are one
        return sorted(by_tokens.values())

    def row(self, conflict_count: int) -> dict:
        total = self.winner("total_value")
        total_attrs = total.attrs if total is not None and isinstance(total.attrs, dict) else {}
        start, end = self.winner("start_date"), self.winner("end_date")
        deal_type = self.winner("deal_type")
        types = Counter(r.mention.deal_type for r in self.members if r.mention.deal_type)
        announced = [d for d in (_date(f) for _, f in self.items.get("announced_on", [])) if d]
        published = [r.published_at.date() for r in self.members if isinstance(r.published_at, datetime)]
        fetched = [r.fetched_at for r in self.members if isinstance(r.fetched_at, datetime)]
        term_stated = _int(self.winner("term_months"))
        derived = derived_term(_date(start), _date(end))
        fee, fee_note = honest_fee(self.winner("monthly_fee"))
        notes = {"monthly_fee": fee_note} if fee_note else {}
        if term_stated is None and derived:
            notes["term_months"] = f"term from the start and end dates ({derived.describe()})"
        provider, customer = self.party("provider"), self.party("customer")
        reasons = judge(
            provider,
            customer,
            self.judged_members(),
            self.directions.pair_of(provider, customer),
            self.land,
        )
        return {
            "deal_id": self.deal_id,
            "provider": provider,
            "customer": customer,
            "deal_type": str(deal_type.value)
            if deal_type
            else (min(types, key=lambda t: (-types[t], t)) if types else None),
            "currency": self.currency(),
            "monthly_fee": fee,
            "total_value": _float(total),
            "total_value_qualifier": total_attrs.get("qualifier")
            or (
                "between"
                if total_attrs.get("low") is not None and total_attrs.get("high") is not None
                else None
            ),
            "total_value_low": total_attrs.get("low"),
            "total_value_high": total_attrs.get("high"),
            "start_date": _date(start),
            "start_precision": (start.attrs.get("precision") or "day") if start else None,
            "end_date": _date(end),
            "end_precision": (end.attrs.get("precision") or "day") if end else None,
            "term_months": term_stated if term_stated is not None else (derived.months if derived else None),
            "term_source": "stated" if term_stated is not None else ("derived" if derived else None),
            "hardware": self.hardware(),
            "accelerator_count": _int(self.winner("accelerator_count")),
            "capacity_mw": _float(self.winner("capacity_mw")),
            "facility": str(self.winner("facility").value) if self.winner("facility") else None,
            "location": str(self.winner("location").value) if self.winner("location") else None,
            "termination_notice_days": _int(self.winner("termination_notice_days")),
            "termination_lockin_months": _int(self.winner("termination_lockin_months")),
            "termination_by": str(self.winner("termination_by").value)
            if self.winner("termination_by")
            else None,
            "announced_on": min(announced) if announced else (min(published) if published else None),
            "source_count": len({r.source_key for r in self.members}),
            "article_count": len({r.mention.article_id for r in self.members}),
            "mention_count": len(self.members),
            "conflict_count": conflict_count,
            "first_seen": min(fetched) if fetched else None,
            "last_seen": max(fetched) if fetched else None,
            "related_deal_id": self.ep.related_deal_id,
            "status": "candidate" if reasons else "deal",
            "reason_codes": [code for code, _ in reasons],
            "reason": "; ".join(dict.fromkeys(words for _, words in reasons)) or None,
            "derived_fields": sorted(notes),
            "derivation": "; ".join(notes[k] for k in sorted(notes)) or None,
            "dropped_fields": sorted(self.dropped),
            **self.direction_detail(provider, customer),
        }

    def direction_detail(self, provider: str | None, customer: str | None) -> dict:
        """The pair's direction vote, for ``show --why`` (kept in deal_store.extra)."""
        vote = self.directions.pair_of(provider, customer)
        if vote is None:
            return {}
        votes = [
            {
                "side": side,
                "mention_id": v.mention_id,
                "source": v.source_key,
                "rule": v.rule,
                "weight": round(v.weight, 3),
                "main": v.is_main,
            }
            for side, group in (("for", vote.votes_for), ("against", vote.votes_against))
            for v in group
        ]
        return {"direction": vote.summary(), "direction_status": vote.status, "direction_votes": votes}

    def judged_members(self) -> list[Member]:
        out = []
        for r in self.members:
            conf: dict[str, float] = {}
            for f in r.mention.facts:
                if f.field in PARTY_FIELDS:
                    conf[f.field] = max(conf.get(f.field, 0.0), float(f.confidence or 0.0))
            out.append(Member(r.source_key, bool(r.mention.is_main), r.deal_article is not False, conf))
        return out

    def why_not_used(self, rec: MentionRecord, fname: str, fact: Fact, res: Resolution | None) -> str | None:
        """Why a fact does not stand behind the value the deal shows (None: it does)."""
        if id(fact) in self.excluded:
            return self.excluded[id(fact)]
        if fname in PARTY_FIELDS:
            return self.directions.flipped.get(rec.mention.mention_id)
        if fname in self.dropped:
            return f"the deal does not show {field_label(fname).lower()}: {self.dropped[fname]}"
        if res is None or fname not in DEAL_FIELDS or res.winner is None:
            return None
        group = next((g for g in res.groups if any(f is fact for _, f in g.items)), None)
        if group is None or res.agrees(group):
            return None
        verdict = res.verdicts.get(group.key)
        reason = verdict.reason if verdict else "different"
        return (
            f"outweighed ({reason}): {len(res.winner.sources)} source(s) state "
            f"{self.display(fname, res.winner)}, {len(group.sources)} state {self.display(fname, group)}"
        )

    def evidence(self) -> list[dict]:
        out, seen = [], set()
        for fname, items in self.all_items.items():
            res = self.res.get(fname)
            for rec, fact in items:
                key = (
                    fname,
                    rec.mention.mention_id,
                    fact.start_char,
                    fact.end_char,
                    fact.extractor,
                    fact.display,
                )
                if key in seen:  # the same fact stated twice by one mention is one piece of evidence
                    continue
                seen.add(key)
                why = self.why_not_used(rec, fname, fact, res)
                out.append(
                    {
                        "deal_id": self.deal_id,
                        "field": fname,
                        "value": fact.display,
                        "article_id": rec.mention.article_id,
                        "mention_id": rec.mention.mention_id,
                        "url": rec.url,
                        "publisher": rec.publisher,
                        "sentence": fact.sentence,
                        "start_char": fact.start_char,
                        "end_char": fact.end_char,
                        "extractor": fact.extractor,
                        "confidence": fact.confidence,
                        "used": why is None,
                        "why": why,
                    }
                )
        return out


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
        status="candidate",
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


def reconcile(mentions: list[MentionRecord], previous: PreviousState | None = None) -> Reconciliation:
    """One deal per real agreement from all mentions; conflicts and evidence. Never raises."""
    previous = previous or PreviousState()
    out = Reconciliation()
    try:
        records = [_clean(r) for r in (mentions or []) if _usable(r)]
        directions = decide([(r.source_key, r.mention) for r in records])
        records = [_oriented(r, directions) for r in records]
        land = landscape([r.mention for r in records])
        claims = ClaimCache()
        episodes = group_mentions(records, previous.assignments or {}, claims)
    except Exception:
        log.exception("reconcile: grouping failed")
        return out
    for ep in episodes:
        for i in ep.members:
            out.assignments[records[i].mention.mention_id] = ep.deal_id or ""
        try:
            deal, conflicts, evidence = _build(ep, records, previous, claims, directions, land)
        except Exception:
            log.exception("reconcile: deal %s could not be built", ep.deal_id)
            deal, conflicts, evidence = _bare_row(ep, records), [], []
        out.deals.append(deal)
        out.conflicts.extend(conflicts)
        out.evidence.extend(evidence)
    return out
