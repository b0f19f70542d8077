"""Resolving one field of one deal: its distinct values, the one the deal shows, how the others relate.

Per field, facts are grouped into distinct values (facts of one value from one source count once);
the resolved value is the best-supported one (independent sources stating it or something it
refines), then the most specific, then the most confident. Pure functions, no SQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from urllib.parse import urlparse

from extractors.models import Fact
from reconciliation.compat import (
    COMPATIBLE,
    CONFLICT,
    MINOR,
    SAME,
    Claim,
    ClaimCache,
    Verdict,
    field_kind,
    relate,
)
from reconciliation.grouping import MentionRecord

AGREE = (SAME, COMPATIBLE)


@dataclass
class ValueGroup:
    """One distinct value of a field and every fact (with its article) that states it."""

    key: tuple
    claim: Claim
    items: list[tuple[MentionRecord, Fact]] = field(default_factory=list)
    rep: Fact | None = None  # the most confident fact stating it (set by resolve_field)

    @cached_property
    def sources(self) -> set[str]:
        return {r.source_key for r, _ in self.items}

    @cached_property
    def first_published(self) -> str:
        times = [r.published_at.isoformat() for r, _ in self.items if isinstance(r.published_at, datetime)]
        return min(times) if times else "9999"

    @cached_property
    def article_ids(self) -> list[str]:
        return sorted({r.mention.article_id for r, _ in self.items})

    @cached_property
    def publishers(self) -> list[str]:
        return sorted({publisher_of(r) for r, _ in self.items})


@dataclass
class Resolution:
    """A field's distinct values, the one the deal shows, and how each other value relates to it."""

    field: str
    groups: list[ValueGroup]
    winner: ValueGroup | None = None
    verdicts: dict[tuple, Verdict] = field(default_factory=dict)  # group key -> verdict vs winner

    def agrees(self, group: ValueGroup) -> bool:
        return self.winner is None or self.verdicts.get(group.key, Verdict(SAME, "equal")).relation in AGREE


def publisher_of(rec: MentionRecord) -> str:
    if rec.publisher:
        return rec.publisher
    host = urlparse(rec.url or "").hostname or ""
    return host.removeprefix("www.") or rec.mention.article_id


# ------------------------------------------------------------------------------------- resolution


def _better(a: Fact, b: Fact) -> bool:
    return (a.confidence or 0.0, -len(a.display or "")) > (b.confidence or 0.0, -len(b.display or ""))


def _merge_same(groups: list[ValueGroup]) -> list[ValueGroup]:
    """Join groups that say the same thing in other words ("$1.8B a year" / "$150M a month").

    The merged group takes the wording (claim) of its most widely stated member.
    """
    if len(groups) < 2:
        return groups
    groups = sorted(groups, key=lambda g: (-len(g.sources), str(g.key)))
    merged: list[ValueGroup] = []
    for g in groups:
        home = next((m for m in merged if relate(m.claim, g.claim).relation == SAME), None)
        if home is None:
            merged.append(ValueGroup(g.key, g.claim, list(g.items), g.rep))
        else:
            home.items.extend(g.items)
    return merged


def resolve_field(
    fname: str, items: list[tuple[MentionRecord, Fact]], claims: ClaimCache, prefer=None
) -> Resolution:
    """Pick the value of ``fname`` the deal shows, and relate every other value to it."""
    by_key: dict[tuple, ValueGroup] = {}
    for rec, fact in items:
        c = claims(fname, fact)
        group = by_key.get(c.key)
        if group is None:
            group = by_key[c.key] = ValueGroup(c.key, c)
        group.items.append((rec, fact))
        if group.rep is None or _better(fact, group.rep):
            group.rep = fact  # the most confident wording of this very value
    groups = _merge_same(list(by_key.values()))
    res = Resolution(fname, groups)
    if field_kind(fname) == "item" or not groups:
        return res
    if len(groups) == 1:  # the common case: every source agrees word for word
        res.winner = groups[0]
        res.verdicts[groups[0].key] = Verdict(SAME, "equal")
        return res
    reps = [g.claim for g in groups]
    rel = [
        [relate(a, b) if i != j else Verdict(SAME, "equal") for j, b in enumerate(reps)]
        for i, a in enumerate(reps)
    ]

    def support(i: int) -> set[str]:
        out: set[str] = set()
        for j, g in enumerate(groups):
            if rel[i][j].relation in AGREE:
                out |= g.sources
        return out

    supports = [support(i) for i in range(len(groups))]

    def rank(i: int) -> tuple:
        g = groups[i]
        miss = prefer(g) if prefer else 0.0
        miss = math.inf if miss is None or miss is False else float(miss)
        return (
            -len(supports[i]),
            math.isinf(miss),  # fee × term contradicts it
            round(
                miss, 3
            ),  # the body's "$6.3B" over the same outlet's "$6B" headline when fee × term = $6.3B
            g.claim.width,
            -len(g.sources),
            -(g.rep.confidence or 0),
            g.first_published,  # a tie goes to the outlet that reported it first
            str(g.key),
        )

    best = min(range(len(groups)), key=rank)
    res.winner = groups[best]
    for j, g in enumerate(groups):
        v = rel[best][j]
        if g.sources <= supports[best] and v.relation in (MINOR, CONFLICT):
            # The only outlets stating it also state the resolved value (a rounded headline over
            # a precise body, two figures in one story): not independent sources disagreeing, but
            # a reader of that headline was told something else, so it is shown as minor.
            v = Verdict(MINOR, "same source")
        res.verdicts[g.key] = v
    return res


# ------------------------------------------------------------------------------------------ deals


def _date(fact: Fact | None) -> date | None:
    if fact is None:
        return None
    try:
        return date.fromisoformat(str(fact.value)[:10])
    except (TypeError, ValueError):
        return None


def _int(fact: Fact | None) -> int | None:
    try:
        return int(round(float(fact.value))) if fact is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


def _float(fact: Fact | None) -> float | None:
    try:
        return float(fact.value) if fact is not None else None
    except (TypeError, ValueError):
        return None
