"""A company's rename (or ticker) stated in any article links its names across the whole database.

"Veldhoven Cloud, formerly Pimlico Hosting" in one article and only "Pimlico Hosting" in another
are one company: every mention is read under the current name, so grouping joins its deals,
direction votes pool, the incremental scope (reconciliation/scope.py) sees one company, and the
row shows the name the company goes by now. A ticker stated after a name ("Veldhoven Cloud
(VLDC)") links the same way, so a market flash that names only "VLDC" joins the company's deal. A link counts only where one of its names is a party
of a stored mention whose own fact sentence states the rename, so a passing phrase about
unrelated words links nothing. The links are decided over the whole database (like the generic
words), and a change of them makes the next reconcile a full one (storage/reconcile_db.py).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from reconciliation.compat import name_tokens

RULES_FILE = Path(__file__).with_name("renames.toml")


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    patterns = tuple(re.compile(p.replace("{NAME}", data["name"])) for p in data["patterns"])
    return tuple(data["sentence_filter"]), patterns


def sentence_filters() -> tuple[str, ...]:
    """ILIKE patterns of the sentences that may state a rename (to select them in SQL)."""
    return _rules()[0]


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    return " ".join(sorted(name_tokens(name)))


def _stated(sentence: str, parties: set[str]) -> Iterable[tuple[str, str]]:
    """(old, new) renames in ``sentence`` of which one side is one of ``parties`` (party keys)."""
    for pattern in _rules()[1]:
        ticker = "ticker" in pattern.groupindex
        for m in pattern.finditer(sentence):
            old, new = m.group("ticker" if ticker else "old").strip(), m.group("new").strip()
            ko, kn = _key(old), _key(new)
            if not ko or not kn or ko == kn:
                continue
            named = kn in parties or any(_ends_with(new, p) for p in parties)
            if named or (ko in parties and not ticker):
                yield old, new


def _ends_with(name: str, party: str) -> bool:
    """A matched name that carries a leading word before the party's ("Today Acme Cloud")."""
    return bool(party) and _key(name) != party and set(party.split()) < name_tokens(name)


def rename_links(rows: Iterable[tuple[str | None, str | None, str | None]]) -> dict[str, str]:
    """Earlier name's party key -> current name, from (provider, customer, sentence) rows. A name
    renamed twice follows the chain; two different current names for one old name link nothing."""
    return combine_links(pair for row in rows for pair in row_links(*row))


def row_links(provider: str | None, customer: str | None, sentence: str | None) -> list[tuple[str, str]]:
    """(earlier name's party key, current name) that one row states: what :func:`rename_links`
    reads of each row, so a store can keep it per row and read no sentence again."""
    if not sentence:
        return []
    out = []
    parties = {_key(n) for n in (provider, customer) if n}
    for old, new in _stated(sentence, parties):
        current = next((n for n in (provider, customer) if n and _key(n) == _key(new)), new)
        if any(n and _ends_with(new, _key(n)) for n in (provider, customer)):
            current = next(n for n in (provider, customer) if n and _ends_with(new, _key(n)))
        out.append((_key(old), current))
    return out


def combine_links(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The links of all rows' (old key, current name) pairs (see :func:`rename_links`)."""
    found: dict[str, set[str]] = {}
    for old, current in pairs:
        found.setdefault(old, set()).add(current)
    # min: of one name's spellings the same one whatever the set's (hash-seeded) order
    links = {old: min(news) for old, news in found.items() if len({_key(n) for n in news}) == 1}
    return {old: _follow(links, old) for old in links if _key(_follow(links, old)) != old}


def links_in_use(links: dict[str, str], parties: Iterable[str]) -> dict[str, str]:
    """The links some party name reaches: its earlier name is a party, or a party shortens it.

    Every other link changes no party's current name, so leaving it out keeps the links (whose
    change makes the next reconcile a full one) as stable as the parties: a ticker stated after a
    name in every other article links something only once an article calls a company by it.
    """
    if not links:
        return {}  # the usual case: no party name needs reading
    keys = {_key(p) for p in parties if p}
    by_token: dict[str, list[set[str]]] = {}
    for k in keys:
        if k:
            tokens = set(k.split())
            for t in tokens:
                by_token.setdefault(t, []).append(tokens)

    def reached(old: str) -> bool:
        words = set(old.split())
        return old in keys or any(t < words for w in words for t in by_token.get(w, ()))

    return {old: new for old, new in links.items() if reached(old)}


def _follow(links: dict[str, str], old: str) -> str:
    name, seen = links[old], {old}
    while _key(name) in links and _key(name) not in seen:
        seen.add(_key(name))
        name = links[_key(name)]
    return name


def current_name(name: str | None, links: dict[str, str]) -> str | None:
    """The name a company goes by now: ``name`` unless a rename links it to a later one."""
    if not name or not links:
        return name
    key = _key(name)
    if key in links:
        return links[key]
    return _short_form_link(name, links) or name


def _short_form_link(name: str, links: dict[str, str]) -> str | None:
    """The current name of an earlier name that ``name`` shortens ("Pimlico" for "Pimlico Hosting",
    the way an article calls a company after its first mention): some of its words, and only one
    earlier name fits, so a short name common to two companies links nothing."""
    tokens = name_tokens(name)
    if not tokens:
        return None
    fits = {_key(new) for old, new in links.items() if tokens < set(old.split())}
    if len(fits) != 1:
        return None
    return min(new for old, new in links.items() if tokens < set(old.split()))
