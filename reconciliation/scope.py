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
from dataclasses import dataclass

from reconciliation.grouping import party_key


@dataclass(frozen=True)
class Light:
    """What the scope needs to know of one mention: its parties and its article."""

    mention_id: str
    article_id: str
    provider: str | None
    customer: str | None

    def party_keys(self) -> tuple[str | None, str | None]:
        return party_key(self.provider), party_key(self.customer)


class _Parts:
    """Union-find over company keys and articles."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _related(a: str, b: str) -> bool:
    x, y = set(a.split()), set(b.split())
    return x <= y or y <= x


def _link_alike(parts: _Parts, pairs: set[tuple[str, str]], generic: frozenset[str]) -> None:
    """Join the parts of two pairs spelled alike in some orientation: one name of each shares a
    word that is not generic and is a shorter/longer form of the other, and so are the others."""
    names = {n for pair in pairs for n in pair}
    by_token: dict[str, list[str]] = defaultdict(list)
    for n in names:
        for t in set(n.split()) - generic:
            by_token[t].append(n)
    alike: set[tuple[str, str]] = set()
    for group in by_token.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _related(a, b):
                    alike.update(((a, b), (b, a)))
    partners: dict[str, set[str]] = defaultdict(set)  # name -> the other names of its pairs
    for a, b in pairs:
        partners[a].add(b)
        partners[b].add(a)
    for a, x in alike:
        for b in partners[a]:
            if any(_related(b, y) for y in partners[x]):
                parts.union("c:" + a, "c:" + x)
                break


def scope(mentions: list[Light], changed: Iterable[Light], generic: frozenset[str]) -> set[str]:
    """The mention ids that share a part with any of ``changed`` (new and changed mentions as they
    are now, and changed and removed ones as they were)."""
    parts = _Parts()
    changed = list(changed)
    pairs: set[tuple[str, str]] = set()
    for m in [*mentions, *changed]:
        keys = [k for k in m.party_keys() if k]
        for k in keys:
            parts.union("a:" + m.article_id, "c:" + k)
        if len(keys) == 2 and keys[0] != keys[1]:
            pairs.add((keys[0], keys[1]))
    _link_alike(parts, pairs, generic)
    touched = {parts.find("a:" + m.article_id) for m in changed}
    return {m.mention_id for m in mentions if parts.find("a:" + m.article_id) in touched}
