"""Which mentions tell one deal: party keys, expansions between the same parties, stable ids.

Mentions are one deal when their canonical parties match in the same roles. Between the same two
companies, a mention announced well apart from an existing deal that also differs from it (its
start date, value or hardware contradict the deal's, or it speaks of an expansion / additional /
new agreement) starts a separate deal, related to the earlier one. Nearby mentions that disagree
on values are the same deal told wrongly: they join it and the disagreement becomes a conflict.

Order independence: grouping is recomputed from all mentions each run, in an order fixed by the
mentions themselves (announcement, then their content: reconciliation/content_order.py), and a deal's id is a hash of its parties and
its place among that pair's deals, so the same articles give the same deals and ids however and
whenever they arrived.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from extractors.models import DealMention
from reconciliation.compat import COMPATIBLE, CONFLICT, DISTINCT, SAME, Claim, ClaimCache, name_tokens, relate
from reconciliation.content_order import record_order

#: Mentions whose announcements are further apart than this may be different deals.
APART_DAYS = 60
EXPANSION_WORDS = re.compile(
    r"\b(expand(?:s|ed|ing)?|expansion|additional|new (?:agreement|contract|deal)|second (?:deal|contract|agreement)"
    r"|follow-on|another (?:deal|contract|agreement)|extend(?:s|ed|ing)?|extension|top[- ]up|add(?:s|ed|ing)? \w+ more)\b",
    re.IGNORECASE,
)
EXPANSION_STEMS = ("expan", "addition", "new ", "second ", "follow-on", "another ", "exten", "top", "add")
#: Fields whose disagreement, together with distance in time or expansion words, means another deal.
DISTINGUISHING_FIELDS = ("start_date", "total_value", "monthly_fee", "hardware")
MONEY_FIELDS = frozenset({"total_value", "monthly_fee"})

#: A word in the names of more companies than this (over all mentions) is generic; it does not
#: suggest a respelling.
GENERIC_TOKEN_KEYS = 64

Key = tuple[str | None, str | None]


@dataclass
class MentionRecord:
    """A mention with what reconciliation needs to know about its article."""

    mention: DealMention
    publisher: str | None
    url: str
    published_at: datetime | None
    fetched_at: datetime | None
    source_key: str  # article_id of the original when the article is a duplicate, else its own
    deal_article: bool | None = None  # the article's gate verdict (False: not about a deal)
    #: a digest of everything above and the mention's facts (storage/reconcile_db.py computes it in
    #: one query); stands for them in a deal's fingerprint (reconciliation/incremental.py)
    digest: str | None = None
    #: the article's text fingerprint (article_store.text_hash): orders mentions by content, not
    #: by URL-derived ids (reconciliation/content_order.py)
    content: str | None = None


@dataclass
class Episode:
    """One deal under construction: its party key and its member mentions (indices into records)."""

    key: Key
    members: list[int] = field(default_factory=list)
    deal_id: str | None = None
    anchor: date | None = None  # earliest announcement (stated, else publication) among members
    values: dict[str, dict[tuple, Claim]] = field(default_factory=dict)  # field -> distinct values
    articles: set[str] = field(default_factory=set)
    main_articles: set[str] = field(default_factory=set)  # articles whose main deal this is
    related_deal_id: str | None = None


@lru_cache(maxsize=65536)
def party_key(name: str | None) -> str | None:
    """A company's name as sorted tokens: one key for its spellings ("Acme, Inc." / "ACME")."""
    tokens = name_tokens(name) if name else frozenset()
    return " ".join(sorted(tokens)) or None


def mention_key(m: DealMention) -> Key:
    return party_key(m.provider), party_key(m.customer)


def anchor_of(rec: MentionRecord) -> date | None:
    """When the deal was announced per this mention: a stated announcement, else publication."""
    stated = []
    for f in rec.mention.facts:
        if f.field == "announced_on":
            try:
                stated.append(date.fromisoformat(str(f.value)[:10]))
            except (TypeError, ValueError):
                continue
    if stated:
        return min(stated)
    for ts in (rec.published_at, rec.fetched_at):
        if isinstance(ts, datetime):
            return ts.date()
    return None


def speaks_of_expansion(m: DealMention) -> bool:
    if not m.is_main:
        return False
    sentences = {f.sentence for f in m.facts if isinstance(f.sentence, str)}
    text = " ".join(sentences).lower()
    if not any(stem in text for stem in EXPANSION_STEMS):  # cheap filter before the regex
        return False
    return EXPANSION_WORDS.search(text) is not None


def mint_id(seed: str) -> str:
    return "d_" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def generic_tokens(names: Iterable[str | None]) -> frozenset[str]:
    """Words in the names of more than GENERIC_TOKEN_KEYS companies ("ai", "cloud"). Decided over
    all mentions at once, so a reconcile of one part of the database sees the same words as a
    full one (reconciliation/scope.py)."""
    counts: Counter[str] = Counter()
    for key in {party_key(n) for n in names if n}:
        if key:
            counts.update(set(key.split()))
    return frozenset(t for t, n in counts.items() if n > GENERIC_TOKEN_KEYS)


class _Grouper:
    def __init__(self, records: list[MentionRecord], claims: ClaimCache, generic: frozenset[str]) -> None:
        self.records = records
        self.claims = claims
        self.generic = generic
        self.anchors = [anchor_of(r) for r in records]
        self.keys = [mention_key(r.mention) for r in records]
        self.expansion = [speaks_of_expansion(r.mention) for r in records]
        #: per mention, the claims of its facts that can tell two deals apart
        self.distinguishing = [
            [(f.field, claims(f.field, f)) for f in r.mention.facts if f.field in DISTINGUISHING_FIELDS]
            for r in records
        ]
        self.episodes: list[Episode] = []
        self.by_key: dict[Key, list[Episode]] = {}
        self.keys_of_party: dict[tuple[int, str], set[Key]] = {}  # (role, name) -> keys with it
        self.keys_of_token: dict[tuple[int, str], set[Key]] = {}  # (role, word of name) -> keys

    # -- episode bookkeeping
    def new_episode(self, key: Key, deal_id: str | None = None) -> Episode:
        ep = Episode(key=key, deal_id=deal_id)
        self.episodes.append(ep)
        self.by_key.setdefault(key, []).append(ep)
        for role, name in enumerate(key):
            if name is not None:
                self.keys_of_party.setdefault((role, name), set()).add(key)
                for token in name.split():
                    self.keys_of_token.setdefault((role, token), set()).add(key)
        return ep

    def add(self, ep: Episode, i: int) -> None:
        ep.members.append(i)
        a = self.anchors[i]
        if a is not None and (ep.anchor is None or a < ep.anchor):
            ep.anchor = a
        rec = self.records[i]
        ep.articles.add(rec.mention.article_id)
        if rec.mention.is_main:
            ep.main_articles.add(rec.mention.article_id)
        for fname, c in self.distinguishing[i]:
            ep.values.setdefault(fname, {}).setdefault(c.key, c)

    # -- the rule
    def relation_to(self, ep: Episode, i: int) -> tuple[bool, bool]:
        """(differs, agrees): a distinguishing value of mention i fits none / some of the episode's."""
        differs = agrees = False
        for fname, mine in self.distinguishing[i]:
            known = ep.values.get(fname)
            if not known:
                continue
            bad = (CONFLICT, DISTINCT) if fname == "hardware" else (CONFLICT,)
            relations = [relate(mine, other).relation for other in known.values()]
            if all(r in bad for r in relations):
                differs = True
            else:
                agrees = True
        return differs, agrees

    def accepts(self, ep: Episode, i: int) -> bool:
        m = self.records[i].mention
        if not m.is_main and m.article_id in ep.main_articles and _told_apart(m) and _has_values(m):
            return False  # its own article tells it, with values, as another deal than its main one
        differs, agrees = self.relation_to(ep, i)
        expansion = self.expansion[i]
        if not differs and not expansion:
            return True
        if not m.is_main:
            return not differs
        a = self.anchors[i]
        apart = a is not None and ep.anchor is not None and abs((a - ep.anchor).days) > APART_DAYS
        if apart:
            # months later: a recap that repeats the deal's figures still belongs to it
            return not differs and agrees
        # same time: a disagreement is a conflict between sources, unless the article itself
        # tells a second deal between the parties or calls it an expansion
        return not (differs and (expansion or m.article_id in ep.articles))

    def nearest(self, eps: list[Episode], i: int) -> Episode:
        a = self.anchors[i]

        def distance(ep: Episode) -> int:
            return abs((a - ep.anchor).days) if a is not None and ep.anchor is not None else 0

        return min(eps, key=distance)

    def candidates(self, key: Key) -> list[Episode]:
        """Episodes a mention with ``key`` can join: same key, or for a partial key, any that fits it."""
        if None not in key:
            exact = self.by_key.get(key)
            if exact:
                return list(exact)
            similar = self.similar_keys(key)
            return list(self.by_key[similar[0]]) if len(similar) == 1 else []
        role, name = (0, key[0]) if key[0] is not None else (1, key[1])
        keys = sorted(self.keys_of_party.get((role, name), set()), key=str)
        return [ep for k in keys for ep in self.by_key[k]]

    def similar_keys(self, key: Key) -> list[Key]:
        """Other spellings of the same two parties: each name equal to, or a shorter/longer form
        of, the other's ("Acme" / "Acme AI"), in the same roles."""
        if None in key:
            return []
        near: set[Key] = set()
        for token in (key[0] or "").split():
            if token not in self.generic:  # "compute", "ai", "cloud" say nothing about who
                near |= self.keys_of_token.get((0, token), set())
        return sorted(
            (k for k in near if k != key and all(_same_name(a, b) for a, b in zip(k, key, strict=True))),
            key=str,
        )

    def place(self, i: int) -> None:
        key = self.keys[i]
        m = self.records[i].mention
        if key == (None, None):
            self.add(self.new_episode(key), i)
            return
        eps = self.candidates(key)
        fitting = [ep for ep in eps if self.accepts(ep, i)]
        partial = key[0] is None or key[1] is None
        if partial:
            full = [ep for ep in fitting if None not in ep.key]
            choice = full if full else fitting
            if len(choice) == 1:
                self.add(choice[0], i)
            else:
                self.add(self.new_episode(key), i)
            return
        if fitting:
            # of the deals it may join, one whose values it repeats before one that would only
            # take its disagreement as a conflict (an original and its expansion told at once)
            agreeing = [ep for ep in fitting if not self.relation_to(ep, i)[0]]
            self.add(self.nearest(agreeing or fitting, i), i)
        elif eps and not m.is_main and not _told_apart(m):
            self.add(self.nearest(eps, i), i)
        else:
            self.add(self.new_episode(key), i)


def group_mentions(
    records: list[MentionRecord],
    previous: dict[str, str] | None = None,
    claims: ClaimCache | None = None,
    generic: frozenset[str] | None = None,
) -> list[Episode]:
    """Group mentions into deals from the mentions alone, so the same articles give the same deals
    whatever order they arrived in (over one run or many). ``previous`` is accepted for callers
    that pass last run's assignments; it no longer decides membership or ids (deal ids are a
    function of the deal's parties, see :func:`_assign_ids`). ``generic``: the generic words of
    the whole database when ``records`` are only a part of it (default: those of ``records``)."""
    if generic is None:
        generic = generic_tokens(n for r in records for n in (r.mention.provider, r.mention.customer))
    g = _Grouper(records, claims or ClaimCache(), generic)
    order = sorted(range(len(records)), key=lambda i: _order_key(g, i))
    # full party keys before partial ones, oldest first, ties by content (not by URL-derived ids)
    for i in sorted(order, key=lambda i: (None in g.keys[i],)):
        g.place(i)
    _merge_renamed(g)
    _assign_ids(g)
    _relate(g)
    return [ep for ep in g.episodes if ep.members]


def _told_apart(m: DealMention) -> bool:
    """A mention in passing its article tells as another deal between the same parties ("on top of
    the 2025 contract under which A supplies B with 1,024 H100s"): when its values fit no deal of
    the pair it is that other deal, not a stray remark to fold into the nearest one."""
    return any(f.field == "provider" and (f.attrs or {}).get("sibling") for f in m.facts)


#: The terms that make a deal one (money, dates, term, what is supplied): a mention stating one
#: tells a deal of its own; a clause (who may terminate) tells no deal apart.
DEAL_TERMS = frozenset(
    {*DISTINGUISHING_FIELDS, "end_date", "term_months", "accelerator_count", "capacity_mw"}
)


def _has_values(m: DealMention) -> bool:
    """The mention states a term of its own (see DEAL_TERMS), not only the parties and clauses."""
    return any(f.field in DEAL_TERMS for f in m.facts)


def _same_name(a: str | None, b: str | None) -> bool:
    """Party keys (sorted tokens) naming one company: equal, or one's tokens inside the other's."""
    if a is None or b is None:
        return False
    x, y = set(a.split()), set(b.split())
    return x <= y or y <= x


def _order_key(g: _Grouper, i: int) -> tuple:
    a = g.anchors[i]
    return (a is None, a or date.min, record_order(g.records[i]))


def _fits(partial: Key, full: Key) -> bool:
    return all(x is None or x == y for x, y in zip(partial, full, strict=True))


def _assign_ids(g: _Grouper) -> None:
    """A deal's id is a hash of its two parties (in either role, so a direction decided anew
    keeps it) and its place among the deals of that pair by announcement: stable across runs
    and independent of arrival order."""
    by_pair: dict[tuple[str, ...], list[Episode]] = {}
    for ep in g.episodes:
        if ep.members:
            by_pair.setdefault(tuple(sorted(k or "?" for k in ep.key)), []).append(ep)
    for pair, eps in by_pair.items():
        eps.sort(key=lambda ep: (ep.anchor or date.max, min(_order_key(g, i) for i in ep.members)))
        for n, ep in enumerate(eps, start=1):
            ep.deal_id = mint_id(" | ".join(pair) + ("" if n == 1 else f" #{n}"))


def _agreement(g: _Grouper, a: Episode, b: Episode) -> tuple[set[str], bool]:
    """The distinguishing fields on which two episodes state the same value, and whether any
    field contradicts."""
    same: set[str] = set()
    for fname in DISTINGUISHING_FIELDS:
        mine, theirs = a.values.get(fname, {}), b.values.get(fname, {})
        if not mine or not theirs:
            continue
        relations = {relate(x, y).relation for x in mine.values() for y in theirs.values()}
        if fname != "hardware" and relations <= {CONFLICT}:
            return same, True
        if relations & {SAME, COMPATIBLE}:
            same.add(fname)
    return same, False


def _merge_renamed(g: _Grouper) -> None:
    """One agreement told under two names of one party (a company under its earlier name, one
    outlet's wording) is one deal: same other party in the same role, announced together, the
    same money figure and at least one more value alike, nothing contradicting, and each the
    other's only such match (two customers on identical standard terms stay two deals). The deal
    with fewer sources joins the other."""
    full = [ep for ep in g.episodes if ep.members and None not in ep.key]
    rank = {id(ep): (len({g.records[i].source_key for i in ep.members}), str(ep.key)) for ep in full}
    by_party: dict[tuple[int, str], list[Episode]] = {}
    for ep in full:
        for role in (0, 1):
            by_party.setdefault((role, ep.key[role] or ""), []).append(ep)
    fits = {id(ep): _fits_under_another_name(g, ep, by_party) for ep in full}
    for small in sorted(full, key=lambda ep: (rank[id(ep)], ep.anchor or date.max)):
        if len(fits[id(small)]) != 1 or not small.members:
            continue
        (big,) = fits[id(small)]
        mutual = len(fits[id(big)]) == 1 and fits[id(big)][0] is small
        if mutual and rank[id(big)] > rank[id(small)] and big.members:
            for k in small.members:
                g.add(big, k)
            small.members = []


def _fits_under_another_name(g: _Grouper, small: Episode, by_party: dict) -> list[Episode]:
    """Up to two other deals that ``small`` could be, told under another name (see above)."""
    money = {(f, k) for f in MONEY_FIELDS for k in small.values.get(f, {})}
    homes: list[Episode] = []
    for role in (0, 1):
        for big in by_party.get((role, small.key[role] or ""), []):
            if big is small or not big.members:
                continue
            if not money & {(f, k) for f in MONEY_FIELDS for k in big.values.get(f, {})}:
                continue  # cheap: not the same money figure, word for word
            if _same_name(big.key[1 - role], small.key[1 - role]):
                continue
            if big.anchor and small.anchor and abs((big.anchor - small.anchor).days) > APART_DAYS:
                continue
            same, contradicts = _agreement(g, big, small)
            if not contradicts and len(same) >= 2:
                homes.append(big)
                if len(homes) > 1:
                    return homes
    return homes


def _relate(g: _Grouper) -> None:
    """A later deal between the same parties points at the one before it."""
    for key, eps in g.by_key.items():
        if None in key:
            continue
        live = sorted(
            (ep for ep in eps if ep.members), key=lambda ep: (ep.anchor or date.max, ep.deal_id or "")
        )
        for before, after in zip(live, live[1:], strict=False):
            after.related_deal_id = before.deal_id
