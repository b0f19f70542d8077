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

A company renamed in any article ("X, formerly Y") is one company under its current name before
any of this (reconciliation/renames.py): the light rows carry the current names, and a change of
the rename links makes the run a full one, so a rename always reaches every deal of both names.

So mentions are linked through their companies, their articles, and pairs spelled alike; a
connected part that no new, changed or removed mention reaches is reconciled exactly as last
time, and its rows stand. Which words are generic is decided over the whole database (not over
one part), so every part sees the same words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from extractors.models import DealMention
from reconciliation.candidates import Landscape, landscape
from reconciliation.direction import decide
from reconciliation.grouping import party_key
from reconciliation.reconcile import Context

Unit = tuple[str, frozenset[str]]  # ('pair', {a, b}) or ('one', {a}): the mentions grouped together


@dataclass(slots=True)
class Light:
    """What the scope needs to know of one mention: its parties, its article, its money values.

    Not frozen: a plan makes one per stored mention each run, and a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__`` (about twice the cost)."""

    mention_id: str
    article_id: str
    provider: str | None
    customer: str | None
    money: frozenset = frozenset()  # its fee and total figures (storage.reconcile_plan.money_of)

    def party_keys(self) -> tuple[str | None, str | None]:
        return party_key(self.provider), party_key(self.customer)

    #: :meth:`unit`, once per mention (the graph and the reach ask for it several times)
    unit_of: Unit | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.unit_of = _unit(self.provider, self.customer)

    def unit(self) -> Unit | None:
        return self.unit_of


@lru_cache(maxsize=65536)
def _unit(provider: str | None, customer: str | None) -> Unit | None:
    """The unit of a mention naming these parties: one object per spelling pair, so the graph's
    sets hash each unit once."""
    p, c = party_key(provider), party_key(customer)
    return ("pair", frozenset((p, c))) if p and c else ("one", frozenset([p or c])) if p or c else None


@dataclass
class Reach:
    """What a run reconciles: ``scope`` (mention ids whose deals are built again) and ``context``
    (mention ids whose direction votes and strong statements decide those deals)."""

    scope: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)  # of the scope's deals


class _Graph:
    """Companies, their pairs, and the units grouping can join (see the module docstring)."""

    def __init__(self, generic: frozenset[str]) -> None:
        self.generic = generic
        self.units_of: dict[str, set[Unit]] = defaultdict(set)  # company -> its units
        self.neighbours: dict[str, set[str]] = defaultdict(set)
        self.money: dict[Unit, set] = defaultdict(set)
        self.by_word: dict[str, set[str]] = defaultdict(set)  # word -> companies with it
        self.by_token: dict[str, set[str]] = defaultdict(set)  # the same, for words not generic
        self.words: dict[str, frozenset[str]] = {}  # company -> its words
        self.alike: dict[str, set[str]] = {}  # company -> companies spelled alike (see _alike)

    def add(self, mentions: Iterable[Light]) -> None:
        money: dict[Unit, set] = {}  # per unit, once: most units hold several mentions
        for m in mentions:
            u = m.unit_of
            if u is None:
                continue
            found = money.get(u)
            if found is None:
                money[u] = set(m.money)
            elif m.money:
                found |= m.money
        for u, found in money.items():
            if found:
                self.money[u] |= found
            kind, companies = u
            if kind == "pair" and len(companies) == 2:  # each other's neighbours (no set per add)
                a, b = companies
                self.neighbours[a].add(b)
                self.neighbours[b].add(a)
            for c in companies:
                self.units_of[c].add(u)
                if c not in self.words:
                    self.alike.clear()  # a new company may be spelled like one seen before
                    self.words[c] = words = frozenset(c.split())
                    for w in words:
                        self.by_word[w].add(c)
                    for w in words - self.generic:
                        self.by_token[w].add(c)

    def short_forms(self, companies: set[str]) -> set[str]:
        """Companies whose words are some of a company's in ``companies``: a main deal naming
        "Acme Games" makes "Acme" a known company (reconciliation/candidates.py ``_known``)."""
        out = set()
        for k in companies:
            words = set(k.split())
            out |= {c for w in words for c in self.by_word.get(w, ()) if set(c.split()) < words}
        return out

    def joined(self, seeds: set[Unit], done: set[Unit] | None = None) -> set[Unit]:
        """``seeds`` and every unit grouping may join to them, step by step: pairs spelled alike,
        a mention naming one party of a pair, a renamed party (a party and a money figure in
        common). ``done``: units found before, with all they join (not walked again)."""
        done = done or set()
        found, todo = set(seeds), [u for u in seeds if u not in done]
        while todo:
            u = todo.pop()
            for v in self._joins(u):
                if v not in found and v not in done:
                    found.add(v)
                    todo.append(v)
        return found

    def _joins(self, u: Unit) -> Iterable[Unit]:
        money = self.money[u]
        for c in u[1]:
            for v in self.units_of[c]:
                if u[0] == "one" or v[0] == "one" or money & self.money[v]:
                    yield v
            if u[0] != "pair":
                continue
            for x in self._alike(c):
                yield from (v for v in self.units_of[x] if v[0] == "pair" and self._alike_rest(u, c, v, x))

    def _alike(self, c: str) -> set[str]:
        """Other companies spelled alike: one's words are some of the other's, a word in common
        not generic."""
        found = self.alike.get(c)
        if found is None:
            words = self.words[c]
            found = {
                x
                for t in words
                for x in self.by_token.get(t, ())
                if x != c and _related(words, self.words[x])
            }
            self.alike[c] = found
        return found

    def _alike_rest(self, ua: Unit, a: str, ux: Unit, x: str) -> bool:
        """The other parties of two pairs spelled alike too (each pair's one party when it has one)."""
        rest_a, rest_x = ua[1] - {a} or {a}, ux[1] - {x} or {x}
        return any(_related(self._words(b), self._words(y)) for b in rest_a for y in rest_x)

    def _words(self, c: str) -> frozenset[str]:
        return self.words.get(c) or frozenset(c.split())

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


def _related(x: frozenset[str], y: frozenset[str]) -> bool:
    """Two companies' words, one's all among the other's ("acme" / "acme games")."""
    return x <= y or y <= x


class Reacher:
    """The graph of every mention, built once for reaches that grow: a plan asks again with every
    mention of a deal that is replaced added to the changes (storage/reconcile_plan.py)."""

    def __init__(self, mentions: list[Light], generic: frozenset[str]) -> None:
        self.mentions = mentions
        self.graph = _Graph(generic)
        self.graph.add(mentions)
        # each reach reads the mentions of some units and articles: indexed once, so a reach costs
        # what it finds, not every mention again (in the order given, as the scope is read)
        self.by_unit: dict[Unit, list[str]] = defaultdict(list)
        self.by_article: dict[str, list[Light]] = defaultdict(list)
        for m in mentions:
            self.by_article[m.article_id].append(m)
            if m.unit_of is not None:
                self.by_unit[m.unit_of].append(m.mention_id)
        self.units: set[Unit] = set()  # of the last reach, grown by :meth:`grow`

    def reach(self, changed: list[Light], standing: Iterable[str] = ()) -> Reach:
        """The mentions to reconcile again and the mentions that decide their votes, for
        ``changed`` (new and changed mentions as they are now, and changed and removed ones as
        they were) and ``standing`` (party keys whose standing elsewhere moved: named as a backer
        or no longer)."""
        standing = set(standing)
        self.units = set()
        if not changed and not standing:
            return Reach()
        self.graph.add(changed)
        self.units = self.graph.joined(self.graph.around(self._touched(changed) | standing))
        return self._found()

    def grow(self, more: list[Light]) -> Reach:
        """The last reach with ``more`` mentions of the graph (as they are in it) added to its
        changes. A reach is the union of what each change reaches, and the units found before
        hold all they join, so only what ``more`` reaches beyond them is walked."""
        graph = self.graph
        self.units |= graph.joined(graph.around(self._touched(more)), done=self.units)
        return self._found()

    def _touched(self, changed: list[Light]) -> set[str]:
        """The companies of ``changed`` and of every mention of their articles, with their short
        forms."""
        articles = {m.article_id for m in changed}
        near = [m for a in sorted(articles) for m in self.by_article.get(a, ())]
        touched = {k for m in [*changed, *near] for k in m.party_keys() if k}
        return touched | self.graph.short_forms(touched)

    def _found(self) -> Reach:
        """The scope, context and companies of the units found (``self.units``)."""
        graph, units = self.graph, self.units
        companies = {c for u in units for c in u[1]}
        wide = companies | {n for c in companies for n in graph.neighbours.get(c, set())}
        out = Reach(companies=companies)
        for u in units:
            out.scope.update(self.by_unit.get(u, ()))
        # the pairs with a company of ``wide``: each is among the units of that company
        for u in {u for c in wide for u in graph.units_of.get(c, ()) if u[0] == "pair"}:
            out.context.update(self.by_unit.get(u, ()))
        return out


def reach(
    mentions: list[Light], changed: list[Light], generic: frozenset[str], standing: Iterable[str] = ()
) -> Reach:
    """:meth:`Reacher.reach` over a graph of ``mentions``, once."""
    return Reacher(mentions, generic).reach(changed, standing)


def _keys(m: DealMention | Light) -> Iterable[str | None]:
    """A mention's party keys (a Light's, from its unit: computed once)."""
    if isinstance(m, Light):
        return m.unit_of[1] if m.unit_of is not None else ()
    return party_key(m.provider), party_key(m.customer)


def make_context(
    voters: list[tuple[str, DealMention]],
    mains: Iterable[DealMention | Light],
    spans_of: Iterable[DealMention],
    companies: set[str],
    backers: frozenset[str] = frozenset(),
) -> Context:
    """The votes and landscape a full reconcile would give the scope's deals: ``voters`` are the
    reach's context mentions (source key, mention) in load order, ``mains`` every main mention
    (what is known of companies: only their parties are read), ``spans_of`` the main mentions
    of the scope's articles, ``companies`` the reach's (only pairs with one of them are voted),
    ``backers`` the whole database's (reconciliation/candidates.py ``backer_keys``)."""
    directions = decide(voters, lambda pair: bool(pair & companies))
    oriented = [
        replace(m, provider=m.customer, customer=m.provider) if m.mention_id in directions.flipped else m
        for _, m in voters
    ]
    known = {k for m in mains for k in _keys(m) if k}
    spans = {
        (m.article_id, f.field, f.start_char, f.end_char)
        for m in spans_of
        for f in m.facts
        if f.field not in ("provider", "customer")
    }
    roles = {
        (m.article_id, role, k)
        for m in spans_of
        for role, k in (("provider", party_key(m.provider)), ("customer", party_key(m.customer)))
        if k
    }
    land = Landscape(
        frozenset(known),
        landscape(oriented).strong,
        frozenset(spans),
        backers=frozenset(backers),
        main_roles=frozenset(roles),
    )
    return Context(directions, land)
