"""From role claims and value facts to DealMentions: which deals an article tells, and whose values.

The main deal is the pair of parties with the most role evidence (headline and lead sentences weigh
more). Every other pair the article names in a deal frame — "it already has similar contracts with
A and B", "A has agreed to pay the company $X, while B has agreed to pay $Y" — is a deal in passing
with its own mention. Values are assigned per clause, to the deal whose parties that clause names,
so money stated about another deal never leaks into the main one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from extractors.companies import CompanyResolver, kind_of
from extractors.models import DealMention, Fact, Sentence
from extractors.parties import DESCRIPTOR, CompanyMention, RoleClaim, context_hint, name_hint, role_patterns

VERSION = "1"
_MIN_ONE_SIDED = 0.9
_PRECISION_RANK = {"day": 5, "month": 4, "quarter": 3, "half": 2, "year": 1}
_CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although)\s+|\s+(?:while|whereas)\s+|\s+[—–]\s+")
_SAME_PERIOD = re.compile(
    r"\b(?:over|for|during|through|in|within)\s+the\s+same\s+(?:period|term|time\s?frame|timeline|horizon|window|span)\b",
    re.IGNORECASE,
)


@dataclass
class SentenceAnalysis:
    """What the pipeline learned about one sentence."""

    sentence: Sentence
    companies: list[CompanyMention] = field(default_factory=list)
    claims: list[RoleClaim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    paragraph: int = 0  # index of the line (paragraph) the sentence is on


@dataclass
class _Deal:
    provider: str | None
    customer: str | None
    claims: list[tuple[RoleClaim, SentenceAnalysis]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    earlier: bool = False  # an earlier deal between the same parties ("builds on the $600M contract")
    sibling: str = "earlier"  # which kind of other deal between the same parties: earlier | separate
    context: list[str] = field(default_factory=list)  # sentences that name both parties
    reverse: _Deal | None = None  # the other direction of a two-way announcement (B supplies A too)

    @property
    def names(self) -> set[str]:
        return {n for n in (self.provider, self.customer) if n}


def build_mentions(article_id: str, analyses: list[SentenceAnalysis]) -> list[DealMention]:
    """DealMentions (main first) for one article; empty when no party could be found."""
    resolver = CompanyResolver()
    for a in analyses:
        for c in a.companies:
            resolver.resolve(c.text)
    for a in analyses:
        for alias, parent in a.aliases:
            resolver.add_alias(alias, parent)
    resolved = [_resolve_claims(a, resolver) for a in analyses]
    main = _main_deal(resolved, analyses, resolver)
    if main is None:
        return []
    passing = _passing_deals(main, resolved, analyses, _hints(analyses, resolver))
    deals = [main] + ([main.reverse] if main.reverse else []) + [d for d in passing if not _existing_only(d)]
    _assign_facts(deals, analyses, resolver)
    title = next((a.sentence.text for a in analyses if a.sentence.is_title), None)
    twin = {id(main): main.reverse, id(main.reverse): main} if main.reverse else {}
    for d in deals:  # sentences naming both parties also tell what kind of deal it is
        # … except, in a two-way announcement, a sentence that tells only the other direction
        other = (
            {id(a) for _, a in twin[id(d)].claims} - {id(a) for _, a in d.claims} if id(d) in twin else set()
        )
        for a in analyses:
            if (
                d.provider
                and d.customer
                and id(a) not in other
                and {d.provider, d.customer} <= {resolver.resolve(c.text) for c in a.companies}
            ):
                d.context.append(a.sentence.text)
    if main.reverse:  # the other direction is told by its own sentences; the rest tell the first
        main.reverse.context = []
    for d in deals:
        d.provider, d.customer = _uncapitalise(d.provider), _uncapitalise(d.customer)
    return [_to_mention(article_id, d, i, analyses, title) for i, d in enumerate(deals)]


def _uncapitalise(name: str | None) -> str | None:
    """A name seen only in an ALL-CAPS headline: "DOVECOTE AI" → "Dovecote AI" (short words stay)."""
    if not name or not name.isupper() or len(name) <= 4:
        return name
    return " ".join(w if len(w) <= 3 else w.capitalize() for w in name.split(" "))


# ---------------------------------------------------------------------------------------------
# Parties


def _resolve_claims(a: SentenceAnalysis, resolver: CompanyResolver) -> list[RoleClaim]:
    out = []
    for c in a.claims:
        prov = c.provider if c.provider in (None, DESCRIPTOR) else resolver.resolve(c.provider)
        cust = c.customer if c.customer in (None, DESCRIPTOR) else resolver.resolve(c.customer)
        cp = (
            c.counterpart_of if c.counterpart_of in (None, DESCRIPTOR) else resolver.resolve(c.counterpart_of)
        )
        if prov is None and cust is None:
            continue
        if prov and prov == cust:
            continue
        extra = [(r, resolver.resolve(n) or n, s) for r, n, s in c.extra]
        out.append(replace(c, provider=prov, customer=cust, counterpart_of=cp, extra=extra))
    return out


def _claim_weight(c: RoleClaim, a: SentenceAnalysis) -> float:
    w = c.weight
    if a.sentence.is_title:
        w *= 1.5
    elif a.sentence.index <= 3:
        w *= 1.2
    if c.counterpart_of is not None or c.other:
        w *= 0.3  # deals in passing must not outvote the story's own deal
    elif _ASIDE.search(a.sentence.text):
        w *= 0.3  # "… under a separate arrangement", "Separately, …": told in passing
    return w


_ASIDE = re.compile(
    r"\b(?:under|in|through)\s+(?:a|an)\s+(?:separate|earlier|older|previous|prior|existing)\s+"
    r"(?:[\w-]+\s+)?(?:arrangement|deal|agreement|contract|pact|partnership)\b|^Separately\b",
    re.I,
)


def _main_deal(
    resolved: list[list[RoleClaim]], analyses: list[SentenceAnalysis], resolver: CompanyResolver
) -> _Deal | None:
    role_votes: dict[str, dict[str, float]] = defaultdict(lambda: {"provider": 0.0, "customer": 0.0})
    for claims, a in zip(resolved, analyses, strict=True):
        for c in claims:
            w = _claim_weight(c, a)
            if c.roles_known and c.counterpart_of is None:
                for role in ("provider", "customer"):
                    name = getattr(c, role)
                    if name and name != DESCRIPTOR:
                        role_votes[name][role] += w
    hints = _hints(analyses, resolver)

    def lean(name: str) -> float:
        v = role_votes.get(name, {"provider": 0.0, "customer": 0.0})
        return v["provider"] - v["customer"] + hints.get(name, 0.0)

    pair_votes: dict[tuple[str, str], float] = defaultdict(float)
    first_seen: dict[tuple[str, str], int] = {}
    pair_claims: dict[tuple[str, str], list[tuple[RoleClaim, SentenceAnalysis]]] = defaultdict(list)
    reverse: dict[tuple[str, str], list[tuple[RoleClaim, SentenceAnalysis]]] = {}
    for fallback in (False, True):  # a vendor named by its hardware only when no pair is named
        if pair_votes:
            break
        _pair_votes(resolved, analyses, fallback, lean, pair_votes, first_seen, pair_claims)
    # A pair seen both ways: merge into the better-supported direction — unless each direction is
    # stated firmly in sentences of its own (a two-way announcement: A supplies B, B leases to A).
    for p, q in list(pair_votes):
        if (q, p) in pair_votes and pair_votes[(p, q)] >= pair_votes[(q, p)] and (p, q) != (q, p):
            if _two_way(pair_claims[(p, q)], pair_claims[(q, p)]):
                reverse[(q, p)] = pair_claims[(q, p)]
                pair_votes.pop((q, p))
                continue
            pair_votes[(p, q)] += pair_votes.pop((q, p))
            pair_claims[(p, q)] += pair_claims.pop((q, p), [])
    if not pair_votes:
        # Only "the company" stands for one side ("The Amsterdam-based cloud company disclosed a deal
        # with Y"): it is the company the article is about.
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
                pair_votes[(p, q)] += _claim_weight(c, a)
                first_seen.setdefault((p, q), a.sentence.index)
                pair_claims[(p, q)].append((c, a))
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
        deal = _Deal(best[0], best[1], claims=pair_claims[best])
        back = reverse.get((best[1], best[0]))
        if back:
            deal.reverse = _Deal(best[1], best[0], claims=back)
        return deal
    # No sentence names both parties: take the best-supported provider and customer separately.
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
    deal = _Deal(prov, cust)
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
    pair_votes: dict[tuple[str, str], float],
    first_seen: dict[tuple[str, str], int],
    pair_claims: dict[tuple[str, str], list[tuple[RoleClaim, SentenceAnalysis]]],
) -> None:
    """Votes for (provider, customer) pairs from claims that name both sides."""
    for claims, a in zip(resolved, analyses, strict=True):
        similar = _similar_names(claims)
        for c in claims:
            if c.counterpart_of is not None or c.other or c.fallback != fallback:
                continue
            p, q = c.provider, c.customer
            if not p or not q or DESCRIPTOR in (p, q):
                continue
            if {p, q} & similar:
                continue  # "X signed a similar agreement with Y": another deal, told in passing
            if not c.roles_known and lean(p) < lean(q):
                p, q = q, p
            pair_votes[(p, q)] += _claim_weight(c, a)
            first_seen.setdefault((p, q), a.sentence.index)
            pair_claims[(p, q)].append((c, a))


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


def _hints(analyses: list[SentenceAnalysis], resolver: CompanyResolver) -> dict[str, float]:
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


def _passing_deals(
    main: _Deal,
    resolved: list[list[RoleClaim]],
    analyses: list[SentenceAnalysis],
    hints: dict[str, float] | None = None,
) -> list[_Deal]:
    """Other deals the article states: any named pair other than the main one, in reading order."""
    found: dict[tuple[str | None, str | None], _Deal] = {}
    main_key = (main.provider, main.customer)

    def add(p: str | None, q: str | None, c: RoleClaim, a: SentenceAnalysis) -> None:
        if not p or not q or p == q or DESCRIPTOR in (p, q):
            return
        key = (p, q)
        if main.reverse is not None and key == (main.reverse.provider, main.reverse.customer):
            if all(c is not x for x, _ in main.reverse.claims):
                main.reverse.claims.append((c, a))
            return
        if key == main_key or (q, p) == main_key:
            main.claims.append((c, a))
            return
        if (q, p) in found:
            key = (q, p)
        found.setdefault(key, _Deal(key[0], key[1])).claims.append((c, a))

    for claims, a in zip(resolved, analyses, strict=True):
        for c in claims:
            if c.counterpart_of is not None:
                names = [(c.customer, c.customer_span)] + [(n, s) for _, n, s in c.extra]
                holder = c.counterpart_of
                for name, _span in names:
                    if holder in (DESCRIPTOR, main.provider) or holder is None:
                        add(main.provider, name, c, a)
                    elif holder == main.customer:
                        add(name, main.customer, c, a)
                continue
            p = main.provider if c.provider == DESCRIPTOR else c.provider
            q = main.customer if c.customer == DESCRIPTOR else c.customer
            if c.fallback:
                continue  # "X deploys 9,000 Nvidia GPUs" beside another deal: that deal's hardware
            if c.other == "implied":
                p = p or main.provider
                q = q or main.customer
            elif (p is None) != (q is None) and not ({p, q} & main.names):
                p, q = _parallel(p, q, c, claims, main)
            if not c.roles_known and p and q and _flip(p, q, main, hints):
                p, q = q, p
            add(p, q, c, a)
            for role, name, _span in c.extra:
                if role == "customer":
                    add(p, name, c, a)
                elif role == "provider":
                    add(name, q, c, a)
    return list(found.values())


@lru_cache(maxsize=1)
def _share_rules() -> frozenset[str]:
    return frozenset(r["id"] for r in role_patterns() if r.get("share"))


def _existing_only(d: _Deal) -> bool:
    """A deal in passing told only as someone's share of a business ("counts X among its biggest
    customers", "X is Y's largest customer"): a customer relationship, not a deal."""
    return bool(d.claims) and all(c.rule in _share_rules() for c, _ in d.claims)


#: A difference of role leaning (extractors.parties.role_hint) that outweighs a party's role in the main deal.
_CLEAR_HINT = 0.6


def _flip(p: str, q: str, main: _Deal, hints: dict[str, float] | None) -> bool:
    """ "A signed a cloud deal with B" does not say who supplies whom: a party of the main deal keeps
    its role there, unless what each company is says clearly otherwise (a GPU cloud that rents from one
    company and resells to a lab is the customer of one deal and the provider of the other)."""
    if hints and abs(hints.get(p, 0.0) - hints.get(q, 0.0)) >= _CLEAR_HINT:
        return hints.get(p, 0.0) < hints.get(q, 0.0)
    if q == main.provider or p == main.customer:
        return True
    if p == main.provider or q == main.customer:
        return False
    return bool(hints) and hints.get(p, 0.0) < hints.get(q, 0.0)


def _parallel(
    p: str | None, q: str | None, c: RoleClaim, siblings: list[RoleClaim], main: _Deal
) -> tuple[str | None, str | None]:
    """ "A agreed to pay X $30 billion, while B agreed to pay $45 billion": B's provider is X too.

    A one-sided claim about a company outside the main deal borrows the missing side from a
    complete claim in the same sentence.
    """
    for o in siblings:
        if o is c:
            continue
        op = main.provider if o.provider == DESCRIPTOR else o.provider
        oq = main.customer if o.customer == DESCRIPTOR else o.customer
        if op and oq:
            return p or op, q or oq
    return p, q


# ---------------------------------------------------------------------------------------------
# Values


def _clauses(a: SentenceAnalysis) -> list[tuple[int, int]]:
    """Absolute (start, end) spans of the sentence's clauses."""
    s, text = a.sentence.start, a.sentence.text
    cuts = [0] + [m.start() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    return [(s + cuts[i], s + cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] > cuts[i]]


#: ("the initial term of 10 years" is this deal's own term, not an earlier deal)
_EARLIER_DEAL = re.compile(
    r"\b(?:separate\s+from|on\s+top\s+of|builds?\s+on|in\s+addition\s+to|adds?\s+to|expands?|extends?|"
    r"follows?|earlier|previous|prior|original|initial|first|existing|older)\b"
    r"(?!\s+(?:term|period|lease\s+term|contract\s+term|lock-?in|lock-?up|minimum|commitment\s+period)\b)"
    r"(?:[^.;]|\.(?=\d)){0,80}?"
    r"\b(?:contract|deal|agreement|pact|lease)s?\b"
    r"(?:(?:[^.;]|\.(?=\d)){0,40}?\b(?:signed|struck|inked|agreed|announced|from)\s+(?:in\s+|last\s+)?\w+)?",
    re.IGNORECASE,
)


#: A clause whose subject is an earlier deal: "That first agreement covered …", "The original order was for …".
_EARLIER_SUBJECT = re.compile(
    r"^\W*(?:that|the|this|its|their)\s+(?:first|earlier|previous|prior|original|initial|older)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:deal|agreement|contract|order|pact|lease|commitment)s?\s+"
    r"(?:covered|covers|included|includes|was|were|is|called|calls|involved|involves|comprised|had|has)\b",
    re.I,
)


def _assign_facts(deals: list[_Deal], analyses: list[SentenceAnalysis], resolver: CompanyResolver) -> None:
    main = deals[0]
    # A sentence that names no company continues the deal its paragraph was telling: in a roundup
    # ("Nscale x Microsoft: …") or a paragraph about a deal in passing, not always the main deal.
    carry: _Deal | None = None
    paragraph = -1
    for a in analyses:
        if a.paragraph != paragraph:
            paragraph, carry = a.paragraph, None
        if a.companies:
            carry = _clause_target(
                deals, a, a.sentence.start, a.sentence.start + len(a.sentence.text), resolver
            )
        if not a.facts:
            continue
        previous: _Deal | None = None
        for start, end in _clauses(a):
            facts = [f for f in a.facts if start <= f.start_char < end]
            target = _clause_target(deals, a, start, end, resolver, fallback=carry or main)
            if target is None:
                previous = None
                continue
            if target is main:
                facts = _split_off_earlier_deal(deals, a, start, end, facts)
            cumulative = _CUMULATIVE.search(a.sentence.text)
            if cumulative:
                at = a.sentence.start + cumulative.start()
                facts = [f for f in facts if not (f.field == "total_value" and f.start_char >= at)]
            target.facts.extend(facts)
            clause = a.sentence.text[start - a.sentence.start : end - a.sentence.start]
            m = _SAME_PERIOD.search(clause)
            if m and previous is not None and previous is not target:
                _inherit_period(target, previous, a, start + m.start(), start + m.end(), m.group())
            previous = target


def _split_off_earlier_deal(
    deals: list[_Deal], a: SentenceAnalysis, start: int, end: int, facts: list[Fact]
) -> list[Fact]:
    """ "… builds on the two-year, $600 million contract the companies signed in February": values
    inside that phrase belong to an earlier deal between the same parties, not to this one."""
    main = deals[0]
    clause = a.sentence.text[start - a.sentence.start : end - a.sentence.start]
    if _COMES_AFTER.match(a.sentence.text) and facts:
        # "The agreement comes weeks after A said it would supply B … under a $6.2 billion deal":
        # with the same parties named, the whole sentence tells an earlier deal.
        names = {c.text for c in a.companies}
        if main.provider and main.customer and all(any(n in p for n in names) for p in main.names):
            # "… follows the initial $11.9 billion agreement and the subsequent $4 billion expansion":
            # each earlier deal named in the list keeps its own figures.
            cuts = [a.sentence.start + m.start() for m in _AND_LATER.finditer(a.sentence.text)]
            for f in facts:
                i = sum(1 for c in cuts if c <= f.start_char)
                _earlier(deals, "earlier" if i == 0 else f"earlier{i + 1}").facts.append(f)
            return []
    if _SEPARATE_DEAL.match(a.sentence.text) and facts:
        # "In a separate, smaller agreement, A will pay $200 million …": another deal, same parties.
        names = {c.text for c in a.companies}
        if main.provider and main.customer and all(any(n in p for n in names) for p in main.names):
            _earlier(deals, "separate").facts.extend(facts)
            return []
    if _EARLIER_SUBJECT.match(clause) and facts:
        # "That first agreement covered 18,000 GB300 chips": the whole clause tells the earlier deal
        _earlier(deals).facts.extend(facts)
        return []
    m = _EARLIER_DEAL.search(clause)
    if not m or any(c.start - start < m.end() and c.start >= start for c in a.companies):
        return facts
    lo, hi = start + m.start(), start + m.end()
    inside = [
        f for f in facts if lo <= f.start_char < hi and f.field not in ("hardware", "location", "facility")
    ]
    if not inside:
        return facts
    _earlier(deals).facts.extend(inside)
    return [f for f in facts if f not in inside]


def _earlier(deals: list[_Deal], kind: str = "earlier") -> _Deal:
    """Another deal between the main deal's parties — an earlier one, or a separate one told in the
    same breath — created on first use."""
    main = deals[0]
    earlier = next((d for d in deals[1:] if d.earlier and d.sibling == kind), None)
    if earlier is None:
        earlier = _Deal(main.provider, main.customer, claims=list(main.claims), earlier=True, sibling=kind)
        deals.append(earlier)
    return earlier


_SEPARATE_DEAL = re.compile(
    r"^(?:Separately,\s+)?(?:In|Under)\s+(?:a|an|another)\s+(?:[\w-]+,?\s+){0,3}?"
    r"(?:agreement|deal|contract|pact|arrangement|order)\b",
    re.I,
)


_COMES_AFTER = re.compile(
    r"^(?:It|This|That)\s+(?=follows|builds\s+on|adds\s+to|comes\s+(?:[\w-]+\s+){0,4}?(?:after|on\s+top\s+of))|"  # "It follows the two leases …"
    r"^(?:The|This|That|Today's|Monday's|Tuesday's|Wednesday's|Thursday's|Friday's)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:agreement|deal|contract|pact|order|announcement|news|expansion)\s+(?:"
    r"(?:comes|came|arrives|lands)\s+(?:just\s+|only\s+)?(?:[\w-]+\s+){0,4}?(?:after|on\s+the\s+heels\s+of)|"
    r"follows|followed|builds\s+on|adds\s+to|(?:sits|comes)\s+on\s+top\s+of)\b"
)
_AND_LATER = re.compile(
    r"\b(?:and|plus)\s+(?:the|a|an)\s+(?:subsequent|later|second|follow-on|further|additional|third)\b", re.I
)
#: "…'s total contract value with Y reaches $22.4 billion": a running total over several deals.
_CUMULATIVE = re.compile(
    r"\b(?:total|combined|cumulative|aggregate)\s+(?:[\w-]+\s+){0,2}?(?:value|commitments?|contracts?|spending)\b"
    r"[^.;]{0,80}?\b(?:reach\w*|rises|rose|risen|brings?|bringing|climbs?|climbed|totals?|stands?\s+at|now\s+(?:at|tops))\b",
    re.I,
)


def _clause_target(
    deals: list[_Deal],
    a: SentenceAnalysis,
    start: int,
    end: int,
    resolver: CompanyResolver,
    fallback: _Deal | None = None,
) -> _Deal | None:
    """The deal a clause talks about, or None when it names only companies outside every deal."""
    main = deals[0]
    spans = []
    for d in deals:
        for c, ca in d.claims:
            if ca is a:
                for span in (c.customer_span, c.provider_span, *[x[2] for x in c.extra]):
                    if span and start <= span[0] < end:
                        spans.append((span[0], d is main, d))
    if spans:
        return sorted(spans, key=lambda t: (t[1], t[0]))[0][2]
    names = {resolver.resolve(c.text) for c in a.companies if start <= c.start < end} - {None}
    if not names:
        return fallback or main
    for d in deals[1:]:
        if names & (d.names - main.names):
            return d
    if names & main.names:
        return main
    # Only companies outside every deal: their values ("Nvidia's revenue rose to $30 billion") are not
    # the deal's — unless the name comes after the values, as a source ("… reviewed by Example Wire").
    first_value = min((f.start_char for f in a.facts if start <= f.start_char < end), default=end)
    first_name = min(c.start for c in a.companies if start <= c.start < end)
    return main if first_name > first_value else None


def _inherit_period(target: _Deal, source: _Deal, a: SentenceAnalysis, s: int, e: int, text: str) -> None:
    """ "… while B agreed to pay $45 billion over the same period": B's deal ends when A's does."""
    if any(f.field == "end_date" for f in target.facts):
        return
    for f in source.facts:
        if f.field in ("end_date", "start_date", "term_months") and f.sentence == a.sentence.text:
            target.facts.append(
                replace(
                    f,
                    display=text,
                    start_char=s,
                    end_char=e,
                    extractor="mentions.same_period",
                    confidence=f.confidence * 0.9,
                )
            )


def _best_facts(facts: list[Fact], title: str | None) -> list[Fact]:
    """One fact per field (the clearest statement), all distinct hardware values."""
    best: dict[str, Fact] = {}
    hardware: dict[str, Fact] = {}
    for f in facts:
        if f.field == "hardware":
            hardware.setdefault(repr(f.value), f)
            continue
        if f.field not in best or _clarity(f, title) > _clarity(best[f.field], title):
            best[f.field] = f
    # A family ("Blackwell") beside a model of the same vendor ("GB200") in another sentence of the
    # deal adds nothing: the model is what was bought.
    specific = {f.attrs.get("vendor") for f in hardware.values() if not f.attrs.get("family")}
    hw = [f for f in hardware.values() if not (f.attrs.get("family") and f.attrs.get("vendor") in specific)]
    return list(best.values()) + hw + _headline_variants(facts, best, title)


def _headline_variants(facts: list[Fact], best: dict[str, Fact], title: str | None) -> list[Fact]:
    """A headline figure that differs from the body's ("$4 billion" over "$4.2 billion") is kept as
    evidence, a little less confident than the body's, so reconciliation can show the rounding."""
    out: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for f in facts:
        chosen = best.get(f.field)
        key = (f.field, repr(f.value))
        if title is None or f.sentence != title or chosen is None or chosen is f or key in seen:
            continue
        if f.field in ("provider", "customer", "deal_type") or repr(f.value) == repr(chosen.value):
            continue
        seen.add(key)
        out.append(
            replace(
                f,
                confidence=min(f.confidence, (chosen.confidence or 0.0) - 0.05),
                attrs={**f.attrs, "headline": True},
            )
        )
    return out


def _clarity(f: Fact, title: str | None) -> tuple[int, float, int]:
    """Body before headline (headlines round), then confidence, then finer date precision."""
    return (int(f.sentence != title), f.confidence, _PRECISION_RANK.get(f.attrs.get("precision", ""), 0))


# ---------------------------------------------------------------------------------------------
# Output


def _party_fact(role: str, name: str, deal: _Deal, analyses: list[SentenceAnalysis]) -> Fact | None:
    """The sentence that says who pays whom, with the name's span in it (body beats headline)."""
    ranked = sorted(
        deal.claims, key=lambda ca: (ca[1].sentence.is_title, -ca[0].weight, ca[1].sentence.index)
    )
    for c, a in ranked:
        span = c.provider_span if role == "provider" else c.customer_span
        raw = c.provider if role == "provider" else c.customer
        if span and raw not in (None, DESCRIPTOR) and not (not c.roles_known and raw is None):
            return _name_fact(role, name, a.sentence, span, c.rule, 0.9 if c.roles_known else 0.7)
    for a in analyses:
        for m in a.companies:
            if m.text == name or name.startswith(m.text):
                return _name_fact(role, name, a.sentence, (m.start, m.end), "first_mention", 0.5)
    return None


def _name_fact(role: str, name: str, s: Sentence, span: tuple[int, int], rule: str, conf: float) -> Fact:
    return Fact(
        field=role,
        value=name,
        display=name,
        sentence=s.text,
        start_char=span[0],
        end_char=span[1],
        extractor=f"parties.{rule}",
        extractor_version=VERSION,
        confidence=conf,
    )


_HARDWARE_SALE = re.compile(
    r"\b(?:buy|buys|bought|purchas\w*|order\w*|sell|sells|sold|ship\w*|suppl\w*|deliver\w*)\b[^.;]{0,60}"
    r"\b(?:servers|accelerators|systems|racks|GPUs|chips)\b|\b(?:sells|buys)\b",
    re.I,
)
_CLOUD = re.compile(
    r"\bcloud\s+(?:services?|contract|deal|agreement|commitment|capacity|spend|regions?)\b|"
    r"\bcloud provider\b",
    re.I,
)
_DATACENTER = re.compile(
    r"\bcolocation\b|\bcolo\b|\bcritical\s+IT\b|\bIT\s+load\b|\bdata[- ]?cent(?:er|re)\s+(?:capacity|space|lease|campus)|\bmegalease\b|"
    r"\bleas(?:e|es|ed|ing)\b[^.;]{0,60}\b(?:campus|data[- ]?cent(?:er|re)|site|building|halls?|megawatts?)\b|"
    r"\bleas(?:e|es|ed|ing)\b[^.;]{0,60}(?<![A-Za-z])MW\b|\b(?:campus|halls)\b[^.;]{0,40}\bleas(?:e|es|ed|ing)\b|\bpowered shell|\bbuild-to-suit|\blandlord\b|"
    r"\btenant\s+(?:at|of|in|on)\s+[^.;]{0,60}?\b(?:campus|data[- ]?cent(?:er|re)|site|facility)\b",
    re.I,
)
_SITE_LEASED_FROM = re.compile(
    r"\b(?:campus|site|facility|data[- ]?cent(?:er|re)|building|halls?)\b[^.;]{0,60}\bleas(?:ed|ing|es|e)\s+from\b",
    re.I,
)
#: A chipmaker renting out capacity it runs itself: "750 MW of computing power", "its inference capacity".
_CHIP_RENTAL = re.compile(
    r"\b(?:comput(?:e|ing)\s+(?:power|time)|(?:inference|training|cloud|GPU)\s+capacity|"
    r"rent(?:s|ed|ing|al)?|leas(?:e|es|ed|ing)|per\s+(?:month|hour)|a\s+month|cloud\s+services?|as\s+a\s+service)\b",
    re.I,
)
#: Space and power let by the megawatt: the tenant's own GPUs in the hall do not make it a GPU rental.
_POWER_LEASE = re.compile(
    r"\b(?:critical\s+IT|IT\s+load|colocation)\b|"
    r"\b(?:leas(?:e|es|ed|ing)|let|lets|letting)\b[^.;]{0,40}?\b\d[\d.,]*\s*(?:MW|megawatts?)\b|"
    r"\b\d[\d.,]*\s*(?:MW|megawatts?)\b[^.;]{0,40}?\b(?:leas(?:e|es|ed|ing)|colocation)\b",
    re.I,
)
#: A counted number of accelerators: "36,000 GB200", "512 Nvidia H200 GPUs".
_GPU_COUNT = re.compile(
    r"\b\d[\d,.]*\s*(?:K\s+)?(?:[A-Z][\w-]*\s+){0,2}(?:GPUs?|accelerators|chips|GB\d+|[HB]\d00s?)\b"
)
_GPU_RENTAL = re.compile(r"\b(?:GPUs?|accelerators|chips|TPUs?|GB\d+|H\d00s?|B\d00s?)\b", re.I)


def _deal_type(deal: _Deal, title: str | None, is_main: bool = True) -> str:
    """compute | cloud | datacenter | hardware, from the words of the sentences that state the deal."""
    sentences = {a.sentence.text for _, a in deal.claims} | set(deal.context)
    text = " ".join(sentences | ({title} if title and is_main else set()))
    provider_kind = kind_of(deal.provider)
    if provider_kind == "cloud":
        return "cloud"
    # An unknown "X Cloud" renting out a counted number of GPUs is a GPU cloud: it sells compute.
    if provider_kind is None and (deal.provider or "").endswith(" Cloud"):
        return "compute" if _GPU_COUNT.search(text) and not _CLOUD.search(text) else "cloud"
    # What a known provider sells settles it: a server maker sells hardware, a landlord leases
    # space and power; a GPU cloud ("neocloud") rents compute even when an outlet calls it a cloud.
    if provider_kind in ("hardware", "datacenter"):
        return provider_kind
    # A chipmaker sells chips and systems, unless the words say it rents out its own capacity.
    if provider_kind == "chipmaker":
        return "compute" if _CHIP_RENTAL.search(text) else "hardware"
    # A sale has no term: "for $1 billion over three years" or "a five-year deal" is a rental.
    rental = re.search(
        r"\b(?:access to|rent\w*|lease\w*|capacity|per month|a month|per year|a year|"
        r"over\s+(?:the\s+next\s+)?(?:\w+\s+)?years|\w+-year)\b",
        text,
        re.I,
    )
    if provider_kind != "compute" and _HARDWARE_SALE.search(text) and not rental:
        return "hardware"
    if provider_kind != "compute" and _CLOUD.search(text):
        return "cloud"
    if _SITE_LEASED_FROM.search(text):
        return "datacenter"  # "a campus … that A is leasing from B": B is the landlord
    if _DATACENTER.search(text) and (
        not _GPU_RENTAL.search(text) or provider_kind == "datacenter" or _POWER_LEASE.search(text)
    ):
        return "datacenter"
    return "compute"


def _to_mention(
    article_id: str, d: _Deal, index: int, analyses: list[SentenceAnalysis], title: str | None
) -> DealMention:
    facts = []
    for role, name in (("provider", d.provider), ("customer", d.customer)):
        if name:
            f = _party_fact(role, name, d, analyses)
            if f:
                facts.append(f)
    values = [_termination_role(f, d) for f in d.facts]
    deal_type = _deal_type(d, title, index == 0)
    if deal_type == "hardware":  # a sale has no contract period: only its deliveries have a start
        values = [f for f in values if f is None or not _deployment_date(f)]
    facts.extend(_best_facts([f for f in values if f is not None], title))
    return DealMention(
        article_id=article_id,
        provider=d.provider,
        customer=d.customer,
        facts=facts,
        is_main=index == 0,
        deal_type=deal_type,
        mention_index=index,
    )


#: What starts on a hardware sale's start date: deliveries ("Deliveries begin in Q4", "shipments from").
_DELIVERY = re.compile(r"\b(?:deliver\w*|shipments?|shipping|ships?|shipped)\b[^.;]{0,40}$", re.I)


def _deployment_date(f: Fact) -> bool:
    """A start or end date of a chip sale that dates installing or expanding, not deliveries:
    "starting to install the racks in the second half of 2026", "from Q3 2026, with more in 2027"."""
    if f.field not in ("start_date", "end_date"):
        return False
    at = f.sentence.find(f.display) if f.display else -1
    before = f.sentence[max(0, at - 60) : at] if at >= 0 else ""
    return f.field == "end_date" or not _DELIVERY.search(before)


def _termination_role(f: Fact, d: _Deal) -> Fact | None:
    """termination_by naming a company → 'provider' or 'customer' of this deal."""
    if f.field != "termination_by" or not f.attrs.get("party_text"):
        return f
    text = str(f.attrs["party_text"]).lower()
    for role, name in (("provider", d.provider), ("customer", d.customer)):
        if name and (name.lower() in text or text in name.lower()):
            return replace(f, value=role)
    return f
