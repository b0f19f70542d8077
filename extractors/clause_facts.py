"""Values per clause: each fact goes to the deal whose parties its clause names.

Money stated about another deal ("builds on its earlier $600M contract", "a separate agreement")
splits off into that deal, so it never leaks into the main one; "over the same period" inherits
the period of the deal it refers to.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.companies import CompanyResolver, kind_of
from extractors.deal_drafts import DealDraft, SentenceAnalysis
from extractors.models import Fact
from extractors.parties import DESCRIPTOR

#: … and an inline list item: "Key points - A signed B for … - Headline value is …" (a hyphen between
#: spaces before a capital; "12,000 GPUs - about $1.6 billion" stays one clause).
_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:while|whereas|but|although)\s+|\s+(?:while|whereas)\s+|\s+[—–]\s+|\s+-\s+(?=[A-Z])"
)


_SAME_PERIOD = re.compile(
    r"\b(?:over|for|during|through|in|within)\s+the\s+same\s+(?:period|term|time\s?frame|timeline|horizon|window|span)\b",
    re.IGNORECASE,
)


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
    r"(?:[\w-]+\s+){0,2}?(?:deal|agreement|contract|order|pact|lease|commitment)s?"
    # "The original contract, signed in 2025, covers …": an aside between the deal and its verb
    r"(?:\s*,[^,.;]{1,50},)?\s+"
    r"(?:covered|covers|included|includes|was|were|is|called|calls|involved|involves|comprised|had|has|"
    r"runs|ran|expires|expired|ends|ended|lasts|lasted)\b",
    re.I,
)


def assign_facts(deals: list[DealDraft], analyses: list[SentenceAnalysis], resolver: CompanyResolver) -> None:
    main = deals[0]
    # A sentence that names no company continues the deal its paragraph was telling: in a roundup
    # ("Nscale x Microsoft: …") or a paragraph about a deal in passing, not always the main deal.
    carry: DealDraft | None = None
    paragraph = -1
    elsewhere = False  # the paragraph's last named sentence named only other companies (two or more)
    for a in analyses:
        if a.paragraph != paragraph:
            paragraph, carry, elsewhere = a.paragraph, None, False
        if a.companies:
            carry = _clause_target(
                deals, a, a.sentence.start, a.sentence.start + len(a.sentence.text), resolver
            )
            # … a roundup item about another pair ("Gannet Cloud will train Pipistrelle AI's
            # models"), not one outsider named beside the deal (an adviser, a guarantor)
            elsewhere = carry is None and len({resolver.resolve(c.text) for c in a.companies} - {None}) >= 2
        if not a.facts:
            continue
        if elsewhere and not a.companies:
            continue  # a roundup item about other companies: "… Announced Wednesday." is theirs
        previous: DealDraft | None = None
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
    deals: list[DealDraft], a: SentenceAnalysis, start: int, end: int, facts: list[Fact]
) -> list[Fact]:
    """ "… builds on the two-year, $600 million contract the companies signed in February": values
    inside that phrase belong to an earlier deal between the same parties, not to this one."""
    main = deals[0]
    clause = a.sentence.text[start - a.sentence.start : end - a.sentence.start]
    comes_after = _COMES_AFTER.match(a.sentence.text)
    if comes_after and facts:
        # "The agreement comes weeks after A said it would supply B … under a $6.2 billion deal":
        # with the same parties named, the whole sentence tells an earlier deal; so does one that
        # names no company but an earlier agreement ("The expansion comes on top of the four-year
        # contract the two companies signed in March, which was valued at $2 billion").
        names = {c.text for c in a.companies}
        same_parties = all(any(n in p for n in names) for p in main.names)
        unnamed = not names and _EARLIER_DEAL.search(a.sentence.text, comes_after.start()) is not None
        if main.provider and main.customer and (same_parties or unnamed):
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


def _earlier(deals: list[DealDraft], kind: str = "earlier") -> DealDraft:
    """Another deal between the main deal's parties — an earlier one, or a separate one told in the
    same breath — created on first use."""
    main = deals[0]
    earlier = next((d for d in deals[1:] if d.earlier and d.sibling == kind), None)
    if earlier is None:
        earlier = DealDraft(
            main.provider, main.customer, claims=list(main.claims), earlier=True, sibling=kind
        )
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
    r"follows|followed|builds\s+on|adds\s+to|(?:sits|comes)\s+on\s+top\s+of)\b|"
    # what an expansion adds, added to what was bought before: "The new chips add to the 4,096 GB300s
    # that B agreed in August to rent from A for $18 million a month over three years."
    r"^(?:The|These|Those)\s+(?:new|additional|extra|added|further)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:chips|GPUs|accelerators|servers|systems|racks|machines|capacity|megawatts|units)\s+"
    r"(?:will\s+)?(?:add\s+to|adds\s+to|sit\s+on\s+top\s+of|come\s+on\s+top\s+of|join)\b"
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
    deals: list[DealDraft],
    a: SentenceAnalysis,
    start: int,
    end: int,
    resolver: CompanyResolver,
    fallback: DealDraft | None = None,
) -> DealDraft | None:
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
    # A main party's short form ("Cobbleton" for "Cobbleton Games") is the main party, even where a
    # deal in passing stored it short: it does not pull the clause to that deal.
    distinct = {n for n in names if not any(m.startswith(n + " ") for m in main.names if m)}
    for d in deals[1:]:
        if distinct & (d.names - main.names) and not _plays_other_role(d, a, start, end, resolver):
            return d
    if _serves_outsider(a, start, end, names, main, deals, resolver):
        return None
    if names & main.names:
        return main
    # Only companies outside every deal: their values ("Nvidia's revenue rose to $30 billion") are not
    # the deal's — unless the name comes after the values, as a source ("… reviewed by Example Wire").
    first_value = min((f.start_char for f in a.facts if start <= f.start_char < end), default=end)
    first_name = min(c.start for c in a.companies if start <= c.start < end)
    return main if first_name > first_value else None


_FIRM_FRAME = 0.8


def _plays_other_role(
    d: DealDraft, a: SentenceAnalysis, start: int, end: int, resolver: CompanyResolver
) -> bool:
    """The clause's own role frames put a party of the deal in passing ``d`` on the other side
    ("… is paying Acme $75 million" makes the payee of a deal in which it is the buyer): the
    clause tells another deal of that company, and its values are not ``d``'s. Only frames of a
    transaction count (weight >= 0.8): "installed at X's site" says where, not who supplies whom."""
    for c in a.claims:
        if c.weight < _FIRM_FRAME:
            continue
        for role, name, span in (
            ("provider", c.provider, c.provider_span),
            ("customer", c.customer, c.customer_span),
        ):
            if not name or name == DESCRIPTOR or not span or not start <= span[0] < end:
                continue
            n = resolver.resolve(name)
            if (role == "provider" and n == d.customer and n != d.provider) or (
                role == "customer" and n == d.provider and n != d.customer
            ):
                return True
    return False


#: Right before a name: the company is the counterparty of what the clause tells ("runs H100
#: clusters for the game publisher X", "already rents H200 clusters to X").
_COUNTERPARTY_BEFORE = re.compile(
    r"(?<!according )\b(?:to|for)\s+(?:(?:the|a|an|its)\s+)?(?:[a-z][\w-]*\s+){0,3}$"
)
#: Right before a name: a role noun says whose customer it is ("its other tenant in Leeds is X",
#: "whose clients include X", "its biggest customer, X,"): the clause tells that company's own deal.
_CUSTOMER_NOUN_BEFORE = re.compile(
    r"\b(?:customers?|clients?|tenants?|lessees?)\b(?:[^.;,]{0,30}?\s(?:is|are|was|were|include|includes|included)\s+"
    r"(?:(?:the|a|an)\s+)?|\s*,\s*)$"
)
#: Right after a name: it is someone's customer or tenant ("X, its largest customer").
_CUSTOMER_AFTER = re.compile(
    r"^,?\s+(?:its|their|the\s+\w+(?:'s|’s))\s+(?:[a-z][\w-]*\s+){0,2}(?:customers?|clients?|tenants?)\b"
)
#: Right after a name: it rents or buys, so the clause tells its own deal ("Bethesda Analytics has
#: rented a slice of the new cluster for two years").
_RENTS_AFTER = re.compile(
    r"^\s+(?:(?:has|have|had)\s+)?(?:also\s+|already\s+)?"
    r"(?:rent(?:s|ed)|leas(?:es|ed)|sign(?:s|ed)\s+(?:up|on)|subscribe[sd]?|buys|bought|took|takes)\b"
)


def _serves_outsider(
    a: SentenceAnalysis,
    start: int,
    end: int,
    names: set[str],
    main: DealDraft,
    deals: list[DealDraft],
    resolver: CompanyResolver,
) -> bool:
    """A clause that names at most one of the main deal's parties and serves a company of no deal
    ("Velmora currently runs H100 clusters for the game publisher X", "it already rents H200 clusters
    to X") tells that other relationship: its values are not the main deal's."""
    if main.provider and main.customer and {main.provider, main.customer} <= names:
        return False
    in_deals = set().union(*(d.names for d in deals))
    text = a.sentence.text
    for c in a.companies:
        if not start <= c.start < end:
            continue
        name = resolver.resolve(c.text)
        if not name or name in in_deals or any(m.startswith(name + " ") for m in in_deals if m):
            continue
        if kind_of(name) in ("chipmaker", "hardware"):
            continue  # "for Nvidia chips": what is bought, not who is served
        rel = c.start - a.sentence.start
        after = text[rel + len(c.text) : rel + len(c.text) + 60]
        before = text[max(0, rel - 60) : rel]
        if (
            _COUNTERPARTY_BEFORE.search(before[-40:])
            or _CUSTOMER_NOUN_BEFORE.search(before)
            or _CUSTOMER_AFTER.match(after)
            or _RENTS_AFTER.match(after)
        ):
            return True
    return False


def _inherit_period(
    target: DealDraft, source: DealDraft, a: SentenceAnalysis, s: int, e: int, text: str
) -> None:
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
