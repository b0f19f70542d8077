"""Which pair of parties is the article's main deal, and which way round.

The main deal is the pair with the most role evidence: headline and lead sentences weigh more, a
headline pair ("A-B deal") and the article's subject break ties, and a one-sided claim counts only
when nothing else names a pair.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from extractors.companies import CompanyResolver
from extractors.deal_drafts import DealDraft, SentenceAnalysis
from extractors.parties import DESCRIPTOR, RoleClaim, context_hint, name_hint

_MIN_ONE_SIDED = 0.9


def _claim_weight(c: RoleClaim, a: SentenceAnalysis) -> float:
    w = c.weight
    if a.sentence.is_title:
        w *= 1.5
    elif a.sentence.index <= 3:
        w *= 1.2
    if c.counterpart_of is not None or c.other or c.in_passing:
        w *= 0.3  # deals in passing must not outvote the story's own deal
    elif _ASIDE.search(a.sentence.text):
        w *= 0.3  # "… under a separate arrangement", "Separately, …": told in passing
    elif c.standing and not a.sentence.is_title and a.sentence.index > 3:
        w *= 0.3  # "X is a customer of Y" deep in the body: a standing relation, not the story's news
    return w


_ASIDE = re.compile(
    r"\b(?:under|in|through)\s+(?:a|an)\s+(?:separate|earlier|older|previous|prior|existing)\s+"
    r"(?:[\w-]+\s+)?(?:arrangement|deal|agreement|contract|pact|partnership)\b|^Separately\b"
    # "X's other AI tenant, Y, took …": a relationship the story recalls, not its news
    r"|\b(?:other|another|existing|earlier)\s+(?:[\w-]+\s+){0,2}?(?:tenants?|customers?|clients?)\b"
    # "it also signed Y to a smaller deal": a further deal beside the story's own
    r"|\balso\s+(?:signed|inked|landed|won|struck|booked|added)\b"
    # "Scaleby already counts A as a customer": a standing relation the story recalls
    r"|\balready\s+(?:counts?|counted|lists?|listed|names?|serves?|served)\b",
    re.I,
)


Votes = dict[str, dict[str, float]]
PairClaims = dict[tuple[str, str], list[tuple[RoleClaim, SentenceAnalysis]]]


@dataclass
class _Tally:
    """Votes for (provider, customer) pairs, the sentence each was first seen in, and their claims."""

    votes: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    first_seen: dict[tuple[str, str], int] = field(default_factory=dict)
    claims: PairClaims = field(default_factory=lambda: defaultdict(list))

    def add(self, pair: tuple[str, str], c: RoleClaim, a: SentenceAnalysis) -> None:
        self.votes[pair] += _claim_weight(c, a)
        self.first_seen.setdefault(pair, a.sentence.index)
        self.claims[pair].append((c, a))


def main_deal(
    resolved: list[list[RoleClaim]], analyses: list[SentenceAnalysis], resolver: CompanyResolver
) -> DealDraft | None:
    """The article's main deal: the best-voted pair, else one side stated firmly (see the module doc)."""
    role_votes = _role_votes(resolved, analyses)
    hints = role_hints(analyses, resolver)

    def lean(name: str) -> float:
        v = role_votes.get(name, {"provider": 0.0, "customer": 0.0})
        return v["provider"] - v["customer"] + hints.get(name, 0.0)

    tally = _Tally()
    pair_votes, first_seen, pair_claims = tally.votes, tally.first_seen, tally.claims
    for fallback in (False, True):  # a vendor named by its hardware only when no pair is named
        if pair_votes:
            break
        _pair_votes(resolved, analyses, fallback, lean, tally)
    reverse = _merge_directions(pair_votes, pair_claims)
    if not pair_votes:
        _descriptor_pairs(resolved, analyses, resolver, lean, tally)
    if pair_votes:
        headline = _title_names(analyses, resolver)
        best = max(
            pair_votes,
            key=lambda k: (
                pair_votes[k]
                + _single_support(k, role_votes)
                + (_HEADLINE_PAIR if set(k) <= headline else 0.0),
                -first_seen[k],
            ),
        )
        deal = DealDraft(best[0], best[1], claims=pair_claims[best])
        back = reverse.get((best[1], best[0]))
        if back:
            deal.reverse = DealDraft(best[1], best[0], claims=back)
        return deal
    return _one_sided_deal(resolved, analyses, resolver, role_votes)


def _role_votes(resolved: list[list[RoleClaim]], analyses: list[SentenceAnalysis]) -> Votes:
    """Weighted votes for each name as provider and as customer, from claims whose roles are known."""
    role_votes: Votes = defaultdict(lambda: {"provider": 0.0, "customer": 0.0})
    for claims, a in zip(resolved, analyses, strict=True):
        for c in claims:
            w = _claim_weight(c, a)
            if c.roles_known and c.counterpart_of is None:
                for role in ("provider", "customer"):
                    name = getattr(c, role)
                    if name and name != DESCRIPTOR:
                        role_votes[name][role] += w
    return role_votes


def _merge_directions(pair_votes: dict[tuple[str, str], float], pair_claims: PairClaims) -> PairClaims:
    """Merge a pair seen both ways into the better-supported direction; return the two-way reverses.

    Each direction stated firmly in sentences of its own is a two-way announcement (A supplies B,
    B leases to A): the weaker direction is kept apart as the reverse deal.
    """
    reverse: PairClaims = {}
    for p, q in list(pair_votes):
        if (q, p) in pair_votes and pair_votes[(p, q)] >= pair_votes[(q, p)] and (p, q) != (q, p):
            if _two_way(pair_claims[(p, q)], pair_claims[(q, p)]):
                reverse[(q, p)] = pair_claims[(q, p)]
                pair_votes.pop((q, p))
                continue
            pair_votes[(p, q)] += pair_votes.pop((q, p))
            pair_claims[(p, q)] += pair_claims.pop((q, p), [])
    return reverse


def _descriptor_pairs(
    resolved: list[list[RoleClaim]],
    analyses: list[SentenceAnalysis],
    resolver: CompanyResolver,
    lean: Callable[[str], float],
    tally: _Tally,
) -> None:
    """Vote pairs where only "the company" stands for one side: it is the company the article is about.

    ("The Amsterdam-based cloud company disclosed a deal with Y".)
    """
    for claims, a in zip(resolved, analyses, strict=True):
        for c in claims:
            # A press release's defined term ("the Company will provide the Customer …") is the
            # most-named company other than the party the claim names itself.
            subject = _subject(
                analyses, resolver, exclude={c.provider, c.customer} if _defined(c, a) else None
            )
            if c.counterpart_of is not None or c.other or not subject:
                continue
            if (c.provider == DESCRIPTOR) == (c.customer == DESCRIPTOR) or subject in (
                c.provider,
                c.customer,
            ):
                continue
            c = replace(
                c,
                provider=subject if c.provider == DESCRIPTOR else c.provider,
                customer=subject if c.customer == DESCRIPTOR else c.customer,
            )
            p, q = c.provider, c.customer
            if not p or not q:
                continue
            if not c.roles_known and lean(p) < lean(q):
                p, q = q, p
            tally.add((p, q), c, a)


def _one_sided_deal(
    resolved: list[list[RoleClaim]],
    analyses: list[SentenceAnalysis],
    resolver: CompanyResolver,
    role_votes: Votes,
) -> DealDraft | None:
    """No sentence names both parties: take the best-supported provider and customer separately."""
    prov = max(role_votes, key=lambda n: role_votes[n]["provider"], default=None)
    cust = max(role_votes, key=lambda n: role_votes[n]["customer"], default=None)
    prov = prov if prov and role_votes[prov]["provider"] > role_votes[prov]["customer"] else None
    cust = cust if cust and role_votes[cust]["customer"] > role_votes[cust]["provider"] else None
    # One side alone must be stated firmly (a full frame with a descriptor, or repeated): a lone
    # "Oracle … to pay for new data centers" is not a deal.
    if prov and role_votes[prov]["provider"] < _MIN_ONE_SIDED:
        prov = None
    if cust and role_votes[cust]["customer"] < _MIN_ONE_SIDED:
        cust = None
    if not prov and not cust:
        return None
    if bool(prov) != bool(cust):
        # One side stated firmly ("the racks will be built by X"): the other is the company the
        # article is about, unless its own claims give it the same role.
        subject = _subject(analyses, resolver)
        if subject and subject not in (prov, cust):
            v = role_votes.get(subject, {"provider": 0.0, "customer": 0.0})
            if prov and v["customer"] >= v["provider"]:
                cust = subject
            elif cust and v["provider"] >= v["customer"]:
                prov = subject
    deal = DealDraft(prov, cust)
    for claims, a in zip(resolved, analyses, strict=True):
        for c in claims:
            if c.roles_known and (c.provider == prov or c.customer == cust) and c.counterpart_of is None:
                deal.claims.append((c, a))
    return deal


def _pair_votes(
    resolved: list[list[RoleClaim]],
    analyses: list[SentenceAnalysis],
    fallback: bool,
    lean: Callable[[str], float],
    tally: _Tally,
) -> None:
    """Votes for (provider, customer) pairs from claims that name both sides."""
    for claims, a in zip(resolved, analyses, strict=True):
        similar = _similar_names(claims)
        for c in claims:
            if c.counterpart_of is not None or c.other or c.fallback != fallback or c.in_passing:
                continue  # (a standing relation's label, "X's other tenant, Y", is never the main deal)
            p, q = c.provider, c.customer
            if not p or not q or DESCRIPTOR in (p, q):
                continue
            if {p, q} & similar:
                continue  # "X signed a similar agreement with Y": another deal, told in passing
            if not c.roles_known and lean(p) < lean(q):
                p, q = q, p
            tally.add((p, q), c, a)


def _single_support(pair: tuple[str, str], votes: dict[str, dict[str, float]]) -> float:
    """Role claims that name only one side still support a pair, at a discount."""
    p, q = pair
    return 0.3 * (votes.get(p, {}).get("provider", 0.0) + votes.get(q, {}).get("customer", 0.0))


#: Weight a pair gets for being the two companies the headline names: the story's own deal, not one
#: its body mentions in passing (a landlord of the provider, a supplier of the supplier).
_HEADLINE_PAIR = 1.0


def _title_names(analyses: list[SentenceAnalysis], resolver: CompanyResolver) -> set[str]:
    titles = [a for a in analyses[:1] if a.sentence.is_title or a.sentence.index == 0]
    return {n for a in titles for c in a.companies if (n := resolver.resolve(c.text))}


def _defined(c: RoleClaim, a: SentenceAnalysis) -> bool:
    """The claim's descriptor is a press release's defined term ("the Company") or a speaker's "we"."""
    span = c.provider_span if c.provider == DESCRIPTOR else c.customer_span
    if not span:
        return False
    text = a.sentence.text[span[0] - a.sentence.start : span[1] - a.sentence.start]
    return bool(re.fullmatch(r"(?:[Tt]he\s+)?Company|[Ww]e", text))


def _subject(
    analyses: list[SentenceAnalysis], resolver: CompanyResolver, exclude: set[str | None] | None = None
) -> str | None:
    """The company an article is about: named most often (the headline counts double), named at
    least twice, the earliest on a tie; never one of ``exclude``."""
    counts: dict[str, int] = defaultdict(int)
    order: dict[str, int] = {}
    for a in analyses:
        for c in a.companies:
            name = resolver.resolve(c.text)
            if name and name not in (exclude or ()):
                counts[name] += 2 if a.sentence.is_title else 1
                order.setdefault(name, c.start)
    if not counts:
        return None
    best = max(counts, key=lambda n: (counts[n], -order[n]))
    return best if counts[best] >= 2 else None


def _similar_names(claims: list[RoleClaim]) -> set[str]:
    """Names a sentence puts in a "similar/earlier/separate deal with X" frame."""
    out: set[str] = set()
    for c in claims:
        if c.rule == "similar_deals_with":
            out |= {n for n in (c.customer, c.counterpart_of) if n and n != DESCRIPTOR}
    return out


#: Weight a one-direction claim needs to stand as its own deal of a two-way announcement.
_TWO_WAY_WEIGHT = 0.9


def _two_way(
    forward: list[tuple[RoleClaim, SentenceAnalysis]], backward: list[tuple[RoleClaim, SentenceAnalysis]]
) -> bool:
    """Both directions of a pair told firmly: each by a role frame (not "A and B signed a deal") in a
    body sentence that says nothing of the other direction."""

    def firm(claims, other):
        other_sentences = {a.sentence.index for _, a in other}
        return any(
            c.roles_known
            and c.weight >= _TWO_WAY_WEIGHT
            and not a.sentence.is_title
            and a.sentence.index not in other_sentences
            for c, a in claims
        )

    return firm(forward, backward) and firm(backward, forward)


def role_hints(analyses: list[SentenceAnalysis], resolver: CompanyResolver) -> dict[str, float]:
    """Role leaning of each name: kind and name tail once, plus the descriptors before each mention."""
    out: dict[str, float] = defaultdict(float)
    for a in analyses:
        for c in a.companies:
            name = resolver.resolve(c.text)
            if name:
                if name not in out:  # the name's kind counts once, not once per mention
                    out[name] = name_hint(name)
                out[name] += context_hint(a.sentence.text, c.start - a.sentence.start)
    return out
