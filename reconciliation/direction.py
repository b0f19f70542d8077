"""One direction per pair of companies: who supplies whom, decided from every article at once.

Outlets and rules disagree on direction (the customer of a GPU cloud named as its provider, a
symmetric "X signed a deal with Y"). Before grouping, the mentions of each pair of companies are
gathered from all articles, in both orientations, and vote:

- each independent source votes once per orientation, with the strength of its party rule
  (confidence above a floor: a symmetric "deal with" counts little, "X will supply Y" a lot),
  halved for a deal named in passing;
- a weak prior from what each company is (its place in the compute supply chain: gazetteer kind,
  or its name's ending) and from its role in its other pairs across the database.

The winner's orientation is used for every mention of the pair; an outvoted mention keeps its
values (they tell the same agreement) but its party facts are marked not used, with why. Both
orientations stand only when each is evidenced as its own agreement (strong rules from enough
independent sources, or different deal types). A close vote is a split: the deal becomes a
candidate. Nothing here depends on the order of the records.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.companies import kind_of
from extractors.models import DealMention
from reconciliation.compat import name_tokens

RULES_FILE = Path(__file__).with_name("direction.toml")

Key = tuple[str, str]


@dataclass(frozen=True)
class Rules:
    tiers: dict[str, int]
    tails: dict[str, str]
    weights: dict[str, float]


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    tails = {k.lower(): v for k, v in data["name_tail_kinds"].items()}
    return Rules(dict(data["tiers"]), tails, {k: float(v) for k, v in data["weights"].items()})


@dataclass
class Vote:
    """One source's vote for one orientation of a pair."""

    source_key: str
    mention_id: str
    weight: float
    rule: str
    is_main: bool
    strong: bool = False  # a strongly directional rule (whatever the kind of mention)
    #: place of the mention in the caller's content order: ties go to the first, never to a
    #: URL-derived id (reconciliation/content_order.py); a position in one call's input, so no
    #: part of the vote as a deal's inputs fingerprint sees it (reconciliation/incremental.py)
    rank: int = field(default=0, repr=False, compare=False)


@dataclass
class PairVote:
    """The decision for one pair of companies, kept for ``show --why``."""

    winner: Key  # (provider name, customer name) as first stated by the winning side
    score: dict[str, float] = field(default_factory=dict)  # 'for' / 'against' the winner
    prior: float = 0.0  # the supply-chain and history prior in the winner's favour (may be < 0)
    votes_for: list[Vote] = field(default_factory=list)
    votes_against: list[Vote] = field(default_factory=list)
    status: str = "clear"  # 'clear' | 'split' | 'against_sentences' | 'two_agreements'

    def as_built(self) -> tuple:
        """Everything a deal's build reads of the vote but the prior's printed value
        (:meth:`prior_text`): its row's direction text without it and listed votes
        (reconciliation/deal_row.py), its status and the prior's sign (reconciliation/candidates.py).
        A deal's inputs fingerprint (reconciliation/incremental.py) hashes this, so a prior that
        moves in digits no row shows rebuilds no deal, and one that moves only in the digits the
        direction text shows restates that text (a new article of a company moves the prior of
        every pair it is in); a new reader of a vote belongs here."""
        votes = [
            (side, v.mention_id, v.source_key, v.rule, round(v.weight, 3), v.is_main)
            for side, group in (("for", self.votes_for), ("against", self.votes_against))
            for v in group
        ]
        scores = (f"{self.score['for']:.2f}", f"{self.score['against']:.2f}")
        return (self.winner, scores, self.status, self.prior > 0, votes)

    def prior_text(self) -> str:
        """The prior as :meth:`summary` prints it: with :meth:`as_built`, all the summary reads."""
        return f"{self.prior:+.2f}"

    def summary(self) -> str:
        p, c = self.winner
        text = (
            f"{p} supplies {c}: {len(self.votes_for)} source vote(s) for ({self.score['for']:.2f}), "
            f"{len(self.votes_against)} against ({self.score['against']:.2f}), "
            f"prior from what the companies are {self.prior_text()}"
        )
        return (
            text
            + {
                "clear": ".",
                "split": "; the vote is too close to call.",
                "against_sentences": "; decided by what the companies are, against the only sentences.",
                "two_agreements": "; both directions are separate agreements, each with its own sources.",
            }[self.status]
        )


@dataclass
class Directions:
    """Per mention id: the orientation to use and, when it was outvoted, why."""

    flipped: dict[str, str] = field(default_factory=dict)  # mention_id -> plain-words reason
    pairs: dict[frozenset[str], PairVote] = field(default_factory=dict)

    def pair_of(self, provider: str | None, customer: str | None) -> PairVote | None:
        a, b = _key(provider), _key(customer)
        return self.pairs.get(frozenset((a, b))) if a and b else None


@lru_cache(maxsize=65536)
def _key(name: str | None) -> str | None:
    tokens = name_tokens(name) if name else frozenset()
    return " ".join(sorted(tokens)) or None


@lru_cache(maxsize=65536)  # asked per pair and per candidate: ~500 times a run (the rules are read once)
def company_kind(name: str) -> str | None:
    """The gazetteer kind, else the kind its name's ending tells ('… Data Centers', '… AI')."""
    kind = kind_of(name)
    if kind:
        return kind
    low = " ".join(name.lower().split())
    for tail in sorted(rules().tails, key=len, reverse=True):
        if low.endswith(" " + tail):
            return rules().tails[tail]
    return None


def _tier(name: str) -> int | None:
    kind = company_kind(name)
    return rules().tiers.get(kind) if kind else None


def _strength(m: DealMention) -> tuple[float, str, bool]:
    """How directional this mention's party rules are, and the rule id that set it."""
    w = rules().weights
    best: dict[str, tuple[float, str]] = {}
    for f in m.facts:
        if f.field in ("provider", "customer"):
            conf = float(f.confidence or 0.0)
            if f.field not in best or conf > best[f.field][0]:
                best[f.field] = (conf, str(f.extractor))
    if not best:
        conf, rule = 0.6, "unknown rule"
    else:
        conf, rule = min(best.values())
    weight = max(0.05, conf - w["confidence_floor"])
    return weight * (1.0 if m.is_main else w["passing_factor"]), rule, conf >= w["strong"]


def _role_lean(mentions: list[tuple[str, DealMention]]) -> dict[str, dict[frozenset[str], list[int]]]:
    """Per company key and pair: [times provider, times customer], one per source."""
    seen: set[tuple[str, str, str]] = set()
    lean: dict[str, dict[frozenset[str], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for source, m in mentions:
        p, c = _key(m.provider), _key(m.customer)
        if not p or not c or p == c or (source, p, c) in seen:
            continue
        seen.add((source, p, c))
        pair = frozenset((p, c))
        lean[p][pair][0] += 1
        lean[c][pair][1] += 1
    return lean


def _lean_outside(lean: dict, company: str, pair: frozenset[str]) -> float:
    """+1 a pure supplier, -1 a pure buyer, 0 unknown, over the company's other pairs."""
    pc = [v for k, v in lean.get(company, {}).items() if k != pair]
    p, c = sum(x[0] for x in pc), sum(x[1] for x in pc)
    return (p - c) / (p + c + 1)


def decide(
    mentions: list[tuple[str, DealMention]], only: Callable[[frozenset[str]], bool] | None = None
) -> Directions:
    """Vote every pair's direction (only the pairs ``only`` accepts, when given: the others are
    there for their companies' roles). ``mentions``: (source_key, mention) for every usable
    mention (of every pair of those pairs' companies), in content order
    (reconciliation/content_order.py): of a source's equally strong votes the first counts."""
    lean = _role_lean(mentions)
    by_pair: dict[frozenset[str], dict[Key, dict[str, Vote]]] = defaultdict(lambda: defaultdict(dict))
    names: dict[Key, str] = {}
    types: dict[Key, set[str]] = defaultdict(set)
    members: dict[Key, list[str]] = defaultdict(list)
    voted: dict[Key, frozenset[str] | None] = {}  # per orientation: its pair when voted, else None
    for rank, (source, m) in enumerate(mentions):
        key = (_key(m.provider), _key(m.customer))
        if key not in voted:
            p, c = key
            pair = frozenset(key) if p and c and p != c else None
            voted[key] = pair if pair is not None and (only is None or only(pair)) else None
        pair = voted[key]
        if pair is None:
            continue  # a pair not voted counts only for its companies' roles (``lean``)
        weight, rule, strong = _strength(m)
        members[key].append(m.mention_id)
        vote = Vote(source, m.mention_id, weight, rule, bool(m.is_main), strong, rank)
        side = by_pair[pair][key]
        current = side.get(source)
        if current is None or _stronger(vote, current):
            side[source] = vote
        name = f"{m.provider}\x00{m.customer}"
        if key not in names or name < names[key]:
            names[key] = name
        if m.deal_type and strong:
            types[key].add(m.deal_type)
    out = Directions()
    for pair, sides in sorted(by_pair.items(), key=lambda kv: sorted(kv[0])):
        if only is not None and not only(pair):
            continue
        vote = _decide_pair(pair, sides, names, types, lean)
        out.pairs[pair] = vote
        if vote.status == "two_agreements":
            continue
        win = (_key(vote.winner[0]), _key(vote.winner[1]))
        lose = (win[1], win[0])
        reason = f"outvoted: {vote.summary()}"
        for mid in members.get(lose, []):
            out.flipped[mid] = reason
    return out


def _stronger(vote: Vote, current: Vote) -> bool:
    """Which of one source's votes counts: the stronger; of equal ones the first in content order."""
    return (vote.weight, vote.strong, vote.is_main, vote.rule, -vote.rank) > (
        current.weight,
        current.strong,
        current.is_main,
        current.rule,
        -current.rank,
    )


def _prior(a: str, b: str, a_name: str, b_name: str, lean: dict, pair: frozenset[str]) -> float:
    """In favour of a supplying b (negative: b supplying a)."""
    w = rules().weights
    ta, tb = _tier(a_name), _tier(b_name)
    tier = w["tier_step"] * max(-3, min(3, ta - tb)) if ta is not None and tb is not None else 0.0
    history = w["history"] * (_lean_outside(lean, a, pair) - _lean_outside(lean, b, pair)) / 2
    return tier + history


def _decide_pair(pair, sides, names, types, lean) -> PairVote:
    w = rules().weights
    orients = sorted(sides, key=lambda k: (-sum(v.weight for v in sides[k].values()), k))
    first = orients[0]
    a, b = first
    a_name, b_name = names[first].split("\x00")
    score = {o: sum(v.weight for v in sides[o].values()) for o in orients}
    reverse = (b, a)
    prior = _prior(a, b, a_name, b_name, lean, pair)
    diff = score[first] - score.get(reverse, 0.0) + prior
    if reverse in sides:
        strong = {o: [v for v in sides[o].values() if v.strong] for o in orients}
        distinct_types = (
            bool(types.get(first)) and bool(types.get(reverse)) and not (types[first] & types[reverse])
        )
        # a side stated only by outlets that mostly tell the other side is a misreading, not
        # an agreement of its own
        echo = set(sides[reverse]) < set(sides[first]) or set(sides[first]) < set(sides[reverse])
        if not echo and (
            all(len(strong[o]) >= 1 for o in orients)
            and distinct_types
            or all(len([v for v in strong[o] if v.is_main]) >= 2 for o in orients)
        ):
            vote = PairVote((a_name, b_name), {"for": score[first], "against": score[reverse]}, prior)
            vote.votes_for, vote.votes_against = list(sides[first].values()), list(sides[reverse].values())
            vote.status = "two_agreements"
            return vote
    win, lose = (first, reverse) if diff >= 0 else (reverse, first)
    win_names = tuple(names[win].split("\x00")) if win in names else (b_name, a_name)
    vote = PairVote(win_names, {"for": score.get(win, 0.0), "against": score.get(lose, 0.0)})
    vote.prior = prior if win == first else -prior
    vote.votes_for = sorted(sides.get(win, {}).values(), key=lambda v: v.rank)
    vote.votes_against = sorted(sides.get(lose, {}).values(), key=lambda v: v.rank)
    if not vote.votes_for:
        vote.status = "against_sentences"
    elif vote.votes_against:
        total = vote.score["for"] + vote.score["against"] + abs(vote.prior)
        share = (vote.score["for"] + max(0.0, vote.prior)) / total if total else 0.0
        if share < w["clear_share"] and vote.prior < w["decisive_prior"]:
            vote.status = "split"
    return vote
