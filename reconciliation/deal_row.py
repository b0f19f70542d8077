"""A deal's row: its parties, values, dates, counts and whether the system stands behind it.

Split out of the deal builder in reconciliation/reconcile.py; the mixin reads the builder's members,
resolutions (``winner``), items, directions and landscape.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from extractors.models import DealStatus
from reconciliation.arithmetic import derived_term, end_from_term
from reconciliation.candidates import Member, judge
from reconciliation.compat import name_tokens
from reconciliation.direction import Directions, PairVote
from reconciliation.qualifier import carried_qualifier
from reconciliation.resolution import _date, _float, _int
from reconciliation.rounding import honest_fee

#: Fields that come from the grouping key; their facts are evidence, never conflicts.
PARTY_FIELDS = ("provider", "customer")


class RowMixin:
    """Row building for :class:`reconciliation.reconcile._DealBuilder`."""

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

    def text_of(self, fname: str) -> str | None:
        w = self.winner(fname)
        return str(w.value) if w else None

    def row(self, conflict_count: int) -> dict:
        """The deal's row; keys in the order analysts and ``deal_store.extra`` have always had."""
        provider, customer = self.party("provider"), self.party("customer")
        reasons = judge(
            provider,
            customer,
            self.judged_members(),
            self.directions.pair_of(provider, customer),
            self.land,
        )
        notes: dict[str, str] = {}
        return {
            "deal_id": self.deal_id,
            "provider": provider,
            "customer": customer,
            "deal_type": self.deal_type(),
            "currency": self.currency(),
            **self.money_values(notes),
            **self.dates_and_term(notes),
            "hardware": self.hardware(),
            "accelerator_count": _int(self.winner("accelerator_count")),
            "capacity_mw": _float(self.winner("capacity_mw")),
            "facility": self.text_of("facility"),
            "location": self.text_of("location"),
            "termination_notice_days": _int(self.winner("termination_notice_days")),
            "termination_lockin_months": _int(self.winner("termination_lockin_months")),
            "termination_by": self.text_of("termination_by"),
            **self.counts(conflict_count),
            "related_deal_id": self.ep.related_deal_id,
            "status": DealStatus.CANDIDATE if reasons else DealStatus.DEAL,
            "reason_codes": [code for code, _ in reasons],
            "reason": "; ".join(dict.fromkeys(words for _, words in reasons)) or None,
            "derived_fields": sorted(notes),
            "derivation": "; ".join(notes[k] for k in sorted(notes)) or None,
            "dropped_fields": sorted(self.dropped),
            **self.direction_detail(provider, customer),
        }

    def deal_type(self) -> str | None:
        deal_type = self.winner("deal_type")
        if deal_type:
            return str(deal_type.value)
        types = Counter(r.mention.deal_type for r in self.members if r.mention.deal_type)
        # a tie goes to what the articles whose main deal it is say (a passing mention says less)
        main = Counter(r.mention.deal_type for r in self.members if r.mention.deal_type and r.mention.is_main)
        return min(types, key=lambda t: (-types[t], -main[t], t)) if types else None

    def money_values(self, notes: dict[str, str]) -> dict[str, Any]:
        """Fee and total; an honest fee's note goes to ``notes``."""
        total = self.winner("total_value")
        attrs = total.attrs if total is not None and isinstance(total.attrs, dict) else {}
        fee, fee_note = honest_fee(self.winner("monthly_fee"))
        if fee_note:
            notes["monthly_fee"] = fee_note
        between = attrs.get("low") is not None and attrs.get("high") is not None
        return {
            "monthly_fee": fee,
            "total_value": _float(total),
            "total_value_qualifier": attrs.get("qualifier")
            or ("between" if between else None)
            or (carried_qualifier(self.res.get("total_value")) if total is not None else None),
            "total_value_low": attrs.get("low"),
            "total_value_high": attrs.get("high"),
        }

    def dates_and_term(self, notes: dict[str, str]) -> dict[str, Any]:
        """Start, end and term; a term derived from the dates is noted in ``notes``."""
        start, end = self.winner("start_date"), self.winner("end_date")
        term_stated = _int(self.winner("term_months"))
        derived = derived_term(_date(start), _date(end))
        if term_stated is None and derived:
            notes["term_months"] = f"term from the start and end dates ({derived.describe()})"
        start_precision = (start.attrs.get("precision") or "day") if start else None
        end_date, end_precision = _date(end), (end.attrs.get("precision") or "day") if end else None
        # No end stated, but a start and a term are: "18 months starting December 1" ends May 31.
        # Not when some end was stated and dropped (a construction date, one before the start).
        stated_end = end is not None or any(
            f.field == "end_date" for r in self.members for f in r.mention.facts
        )
        computed = None if stated_end else end_from_term(_date(start), term_stated, start_precision)
        if computed is not None:
            end_date, end_precision = computed
            notes["end_date"] = f"end from the start and the stated term ({term_stated} months)"
        return {
            "start_date": _date(start),
            "start_precision": start_precision,
            "end_date": end_date,
            "end_precision": end_precision,
            "term_months": term_stated if term_stated is not None else (derived.months if derived else None),
            "term_source": "stated" if term_stated is not None else ("derived" if derived else None),
        }

    def counts(self, conflict_count: int) -> dict[str, Any]:
        """When it was announced and seen, and how many sources, articles and mentions tell it."""
        announced = [d for d in (_date(f) for _, f in self.items.get("announced_on", [])) if d]
        published = [r.published_at.date() for r in self.members if isinstance(r.published_at, datetime)]
        fetched = [r.fetched_at for r in self.members if isinstance(r.fetched_at, datetime)]
        return {
            "announced_on": min(announced) if announced else (min(published) if published else None),
            "source_count": len({r.source_key for r in self.members}),
            "article_count": len({r.mention.article_id for r in self.members}),
            "mention_count": len(self.members),
            "conflict_count": conflict_count,
            "first_seen": min(fetched) if fetched else None,
            "last_seen": max(fetched) if fetched else None,
        }

    def direction_detail(self, provider: str | None, customer: str | None) -> dict:
        """The pair's direction vote, for ``show --why`` (kept in deal_store.extra)."""
        return direction_detail(self.directions.pair_of(provider, customer))

    def judged_members(self) -> list[Member]:
        out = []
        for r in self.members:
            conf: dict[str, float] = {}
            for f in r.mention.facts:
                if f.field in PARTY_FIELDS:
                    conf[f.field] = max(conf.get(f.field, 0.0), float(f.confidence or 0.0))
            out.append(
                Member(
                    r.source_key,
                    bool(r.mention.is_main),
                    r.deal_article is not False,
                    conf,
                    r.mention.article_id,
                    _best_sentence(r.mention.facts, "provider"),
                )
            )
        return out


def direction_detail(vote: PairVote | None) -> dict:
    """A deal's row's account of its pair's direction vote (none without a vote)."""
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


def restate(
    values: dict[str, Any], provider: str | None, customer: str | None, directions: Directions
) -> dict:
    """A stored deal's row (or its ``extra``) with its pair's direction vote as ``directions`` read
    it now: what a restated deal's row changes (reconciliation/incremental.py ``restated``). Its
    keys stay in their order."""
    return {**values, **direction_detail(directions.pair_of(provider, customer))}


def _best_sentence(facts: list, field: str) -> str:
    """The sentence of the most confident fact of ``field`` (first on a tie), or ''."""
    best = max((f for f in facts if f.field == field), key=lambda f: float(f.confidence or 0.0), default=None)
    return best.sentence if best is not None else ""
