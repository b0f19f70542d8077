"""Which mentions a run must reconcile again: the parts of the database its changes can reach.

Every decision of reconciliation is local to a part of the database that can be named from the
mentions' party names alone:

- direction votes are per pair of companies, with a prior from each company's role in its other
  pairs (reconciliation/direction.py): every mention of both companies;
- grouping joins a mention to deals of the same pair, of a pair spelled alike ("Acme" / "Acme AI"
  in the same roles, found through a word that is not generic), or, for a mention naming one
  party, of any pair with that party; a renamed party merges deals that share the other party
  (reconciliation/grouping.py);
- candidates read what all articles say about the deal's own companies, and chains through a
  company both are linked to (reconciliation/candidates.py); a passing deal's values may belong
  to its article's main deal.

So mentions are linked through their companies, their articles, and pairs spelled alike; a
connected part that no new, changed or removed mention reaches is reconciled exactly as last
time, and its rows stand. Which words are generic is decided over the whole database (not over
one part), so every part sees the same words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from extractors.models import DealMention
from reconciliation.candidates import Landscape, landscape
from reconciliation.direction import decide
from reconciliation.grouping import party_key
from reconciliation.reconcile import Context

Unit = tuple[str, frozenset[str]]  # ('pair', {a, b}) or ('one', {a}): the mentions grouped together


@dataclass(frozen=True)
class Light:
    """What the scope needs to know of one mention: its parties, its article, its money values."""

    mention_id: str
    article_id: str
    provider: str | None
    customer: str | None
    money: frozenset[tuple] = frozenset()  # (field, claim key) of its fee and total facts

    def party_keys(self) -> tuple[str | None, str | None]:
        return party_key(self.provider), party_key(self.customer)

    def unit(self) -> Unit | None:
        p, c = self.party_keys()
        if p and c:
            return ("pair", frozenset((p, c)))
        return ("one", frozenset([p or c])) if p or c else None


@dataclass
class Reach:
    """What a run reconciles: ``scope`` (mention ids whose deals are built again) and ``context``
    (mention ids whose direction votes and strong statements decide those deals)."""

    scope: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)  # of the scope's deals


class _Parts:
    """Union-find."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _related(a: str, b: str) -> bool:
    x, y = set(a.split()), set(b.split())
    return x <= y or y <= x


class _Graph:
    """Companies, their pairs, and the units grouping can join (see the module docstring)."""

    def __init__(self, mentions: Iterable[Light]) -> None:
        self.units_of: dict[str, set[Unit]] = defaultdict(set)  # company -> its units
        self.neighbours: dict[str, set[str]] = defaultdict(set)
        self.money: dict[Unit, set[tuple]] = defaultdict(set)
        for m in mentions:
            u = m.unit()
            if u is None:
                continue
            self.money[u] |= m.money
            for c in u[1]:
                self.units_of[c].add(u)
                self.neighbours[c] |= u[1] - {c}

    def links(self, generic: frozenset[str]) -> _Parts:
        """Units grouping may join: spelled alike, one party named, or a renamed party (the same
        money figure and a party in common)."""
        parts = _Parts()
        for units in self.units_of.values():
            ones = [u for u in units if u[0] == "one"]
            for u in units:  # a mention naming only `company` may join any deal of it
                for one in ones:
                    parts.union(one, u)
            by_money: dict[tuple, list[Unit]] = defaultdict(list)
            for u in units:
                for k in self.money[u]:
                    by_money[k].append(u)
            for same in by_money.values():
                for u in same[1:]:
                    parts.union(same[0], u)
        self._link_alike(parts, generic)
        return parts

    def _link_alike(self, parts: _Parts, generic: frozenset[str]) -> None:
        """Pairs spelled alike in some orientation: one name of each shares a word that is not
        generic and is a shorter/longer form of the other, and so are the other names."""
        by_token: dict[str, list[str]] = defaultdict(list)
        for n in self.units_of:
            for t in set(n.split()) - generic:
                by_token[t].append(n)
        for group in by_token.values():
            for i, a in enumerate(group):
                for x in group[i + 1 :]:
                    if not _related(a, x):
                        continue
                    for ua in self.units_of[a]:
                        for ux in self.units_of[x]:
                            if ua[0] == ux[0] == "pair" and _alike_rest(ua, a, ux, x):
                                parts.union(ua, ux)

    def around(self, companies: set[str]) -> set[Unit]:
        """Units a change at ``companies`` may move: their pairs (votes, leans, what is known of
        them) and pairs of two of their partners (a chain through the company)."""
        out: set[Unit] = set()
        for b in companies:
            out |= self.units_of.get(b, set())
            partners = self.neighbours.get(b, set())
            for x in partners:
                out |= {u for u in self.units_of.get(x, set()) if u[0] == "pair" and u[1] - {x} <= partners}
        return out


def _alike_rest(ua: Unit, a: str, ux: Unit, x: str) -> bool:
    rest_a, rest_x = ua[1] - {a} or {a}, ux[1] - {x} or {x}
    return any(_related(b, y) for b in rest_a for y in rest_x)


def reach(mentions: list[Light], changed: list[Light], generic: frozenset[str]) -> Reach:
    """The mentions to reconcile again and the mentions that decide their votes, for ``changed``
    (new and changed mentions as they are now, and changed and removed ones as they were)."""
    if not changed:
        return Reach()
    graph = _Graph([*mentions, *changed])
    articles = {m.article_id for m in changed}
    touched = {
        k for m in [*changed, *(m for m in mentions if m.article_id in articles)] for k in m.party_keys() if k
    }
    seeds = graph.around(touched)
    parts = graph.links(generic)
    roots = {parts.find(u) for u in seeds}
    units = {u for units in graph.units_of.values() for u in units if parts.find(u) in roots}
    companies = {c for u in units for c in u[1]}
    wide = companies | {n for c in companies for n in graph.neighbours.get(c, set())}
    out = Reach(companies=companies)
    for m in mentions:
        u = m.unit()
        if u in units:
            out.scope.add(m.mention_id)
        if u is not None and u[0] == "pair" and u[1] & wide:
            out.context.add(m.mention_id)
    return out


def make_context(
    voters: list[tuple[str, DealMention]], mains: Iterable[DealMention], spans_of: Iterable[DealMention]
) -> Context:
    """The votes and landscape a full reconcile would give the scope's deals: ``voters`` are the
    reach's context mentions (source key, mention) in load order, ``mains`` every main mention
    (what is known of companies), ``spans_of`` the main mentions of the scope's articles."""
    directions = decide(voters)
    oriented = [
        replace(m, provider=m.customer, customer=m.provider) if m.mention_id in directions.flipped else m
        for _, m in voters
    ]
    known = {k for m in mains for k in (party_key(m.provider), party_key(m.customer)) if k}
    spans = {
        (m.article_id, f.field, f.start_char, f.end_char)
        for m in spans_of
        for f in m.facts
        if f.field not in ("provider", "customer")
    }
    return Context(directions, Landscape(frozenset(known), landscape(oriented).strong, frozenset(spans)))
