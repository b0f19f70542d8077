"""From role claims and value facts to DealMentions: which deals an article tells, and whose values.

The main deal is the pair of parties with the most role evidence (headline and lead sentences weigh
more). Every other pair the article names in a deal frame — "it already has similar contracts with
A and B", "A has agreed to pay the company $X, while B has agreed to pay $Y" — is a deal in passing
with its own mention. Values are assigned per clause, to the deal whose parties that clause names,
so money stated about another deal never leaks into the main one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.clause_facts import assign_facts
from extractors.companies import CompanyResolver, known_companies
from extractors.deal_drafts import DealDraft, SentenceAnalysis
from extractors.deal_type import deal_type_of
from extractors.headline_deal import headline_deal_unread, headline_names
from extractors.main_deal import main_deal, role_hints
from extractors.models import DealMention, Fact, Sentence
from extractors.parties import DESCRIPTOR, RoleClaim
from extractors.provider_landlords import drop_provider_landlords
from extractors.role_claims import modifier_rules, passing_frame_rules

VERSION = "1"


_PRECISION_RANK = {"day": 5, "month": 4, "quarter": 3, "half": 2, "year": 1}


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
    frames = passing_frame_rules()  # frames for deals told in passing never choose the main deal
    main = main_deal([[c for c in cs if c.rule not in frames] for cs in resolved], analyses, resolver)
    if main is None:
        return _passing_only(article_id, resolved, analyses, resolver)
    if headline_deal_unread(main, analyses, resolver):
        return _passing_only(article_id, resolved, analyses, resolver, headline_names(analyses, resolver))
    passing = _passing_deals(main, resolved, analyses, role_hints(analyses, resolver))
    passing = _facility_is_its_operator(main, passing, analyses)
    passing = drop_provider_landlords(main, passing)
    deals = [main] + ([main.reverse] if main.reverse else []) + passing
    assign_facts(deals, analyses, resolver)
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
    first = _to_mention(article_id, deals[0], 0, analyses, title)
    main_type = (deals[0].provider, first.deal_type)
    return [first] + [
        _to_mention(article_id, d, i, analyses, title, main_type) for i, d in enumerate(deals) if i
    ]


def _facility_is_its_operator(
    main: DealDraft, passing: list[DealDraft], analyses: list[SentenceAnalysis]
) -> list[DealDraft]:
    """ "Marlow Ridge already hosts Acme, which took the campus's first building": a campus the
    article's own deal takes capacity at (its ``facility`` value) stands for the main provider that
    operates it, so its other tenants are that provider's customers, not a campus's."""
    facilities = {
        str(f.value).casefold() for a in analyses for f in a.facts if f.field == "facility" and f.value
    }
    if not main.provider or not facilities:
        return passing
    out: dict[tuple[str | None, str | None], DealDraft] = {}
    for d in passing:
        name = (d.provider or "").casefold()
        if (
            name
            and d.customer
            and d.customer != main.provider
            and any(fac == name or fac.startswith(name + " ") for fac in facilities)
        ):
            d = replace(d, provider=main.provider)
        if (d.provider, d.customer) == (main.provider, main.customer):
            main.claims.extend(d.claims)
            continue
        if (d.provider, d.customer) in out:
            out[(d.provider, d.customer)].claims.extend(d.claims)
            continue
        out[(d.provider, d.customer)] = d
    return list(out.values())


#: A claim this heavy, with both roles named, states a deal firmly enough to stand without a main deal.
_FIRM_PASSING = 0.85


def _passing_only(
    article_id: str,
    resolved: list[list[RoleClaim]],
    analyses: list[SentenceAnalysis],
    resolver: CompanyResolver,
    headline: set[str] | frozenset[str] = frozenset(),
) -> list[DealMention]:
    """An article whose own deal cannot be read ("X is taking 12 MW at the building Y is putting up")
    still states the deals it names in passing with a firm role frame ("Y's other tenant, Z, took
    6 MW"): those become mentions in passing (none is the article's main deal), so one unreadable
    lead does not lose them. Only pairs with a firm claim naming both roles qualify."""
    anchor = DealDraft(None, None)  # stands for the unread main deal: takes the values of no pair
    passing = [
        d
        for d in _passing_deals(anchor, resolved, analyses, role_hints(analyses, resolver))
        if any(
            _firm(c) or (_firm(c, _SUBJECT_PASSING) and {d.provider, d.customer} & headline)
            for c, _ in d.claims
        )
    ]
    if not passing:
        return []
    assign_facts([anchor, *passing], analyses, resolver)
    for d in passing:  # with no main deal read, a sentence naming neither pair belongs to none
        told = [(a.sentence.start, a.sentence.start + len(a.sentence.text)) for _, a in d.claims]
        d.facts = [f for f in d.facts if any(lo <= f.start_char < hi for lo, hi in told)]
    title = next((a.sentence.text for a in analyses if a.sentence.is_title), None)
    out = []
    for i, d in enumerate(passing, start=1):
        d.provider, d.customer = _uncapitalise(d.provider), _uncapitalise(d.customer)
        out.append(replace(_to_mention(article_id, d, i, analyses, title), is_main=False))
    return out


#: … or this heavy when one of the pair is a company the headline names: the article is about it
#: ("Globex continues to run its inference on Initech Cloud" in Globex's own release).
_SUBJECT_PASSING = 0.8


def _firm(c: RoleClaim, weight: float = _FIRM_PASSING) -> bool:
    """A claim that names both companies in known roles with a directional rule."""
    return (
        c.roles_known
        and c.weight >= weight
        and not c.fallback
        and c.counterpart_of is None
        and c.provider not in (None, DESCRIPTOR)
        and c.customer not in (None, DESCRIPTOR)
    )


def _uncapitalise(name: str | None) -> str | None:
    """A name seen only in an ALL-CAPS headline: "DOVECOTE AI" → "Dovecote AI" (short words stay)."""
    if not name or not name.isupper() or len(name) <= 4:
        return name
    return " ".join(w if len(w) <= 3 else w.capitalize() for w in name.split(" "))


def _bare_word(name: str | None) -> bool:
    """One capitalised word the article never writes as a fuller company name and no gazetteer
    knows ("Aarhus" in "Tregantle's Aarhus deal"): too weak to be read as a party by its position alone."""
    return bool(name) and name != DESCRIPTOR and " " not in name and name.lower() not in known_companies()


def _resolve_claims(a: SentenceAnalysis, resolver: CompanyResolver) -> list[RoleClaim]:
    out = []
    for c in a.claims:
        prov = c.provider if c.provider in (None, DESCRIPTOR) else resolver.resolve(c.provider)
        cust = c.customer if c.customer in (None, DESCRIPTOR) else resolver.resolve(c.customer)
        if c.rule in modifier_rules() and (_bare_word(prov) or _bare_word(cust)):
            continue  # a name read only as the modifier of "deal"/"lease" must be a company's full name
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


def _passing_deals(
    main: DealDraft,
    resolved: list[list[RoleClaim]],
    analyses: list[SentenceAnalysis],
    hints: dict[str, float] | None = None,
) -> list[DealDraft]:
    """Other deals the article states: any named pair other than the main one, in reading order."""
    found: dict[tuple[str | None, str | None], DealDraft] = {}
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
            if c.rule not in passing_frame_rules():  # a passing frame tells other deals, never the main one
                main.claims.append((c, a))
            return
        if (q, p) in found:
            key = (q, p)
        found.setdefault(key, DealDraft(key[0], key[1])).claims.append((c, a))

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


#: A difference of role leaning (extractors.parties.role_hint) that outweighs a party's role in the main deal.
_CLEAR_HINT = 0.6


def _flip(p: str, q: str, main: DealDraft, hints: dict[str, float] | None) -> bool:
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
    p: str | None, q: str | None, c: RoleClaim, siblings: list[RoleClaim], main: DealDraft
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


def _party_fact(role: str, name: str, deal: DealDraft, analyses: list[SentenceAnalysis]) -> Fact | None:
    """The sentence that says who pays whom, with the name's span in it (body beats headline)."""
    ranked = sorted(
        deal.claims, key=lambda ca: (ca[1].sentence.is_title, -ca[0].weight, ca[1].sentence.index)
    )
    for c, a in ranked:
        span = c.provider_span if role == "provider" else c.customer_span
        raw = c.provider if role == "provider" else c.customer
        if span and raw not in (None, DESCRIPTOR) and not (not c.roles_known and raw is None):
            return _name_fact(role, name, a.sentence, span, c.rule, 0.9 if c.roles_known else 0.7)
    implied = max((c.weight for c, _ in deal.claims if c.other == "implied"), default=0.0)
    for a in analyses:
        for m in a.companies:
            if m.text == name or name.startswith(m.text):
                if implied >= _FIRM_PASSING:  # "another 40 MW there is leased to Y": the main deal's party
                    return _name_fact(role, name, a.sentence, (m.start, m.end), "implied_main_party", implied)
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


def _to_mention(
    article_id: str,
    d: DealDraft,
    index: int,
    analyses: list[SentenceAnalysis],
    title: str | None,
    main_type: tuple[str | None, str] | None = None,
) -> DealMention:
    facts = []
    for role, name in (("provider", d.provider), ("customer", d.customer)):
        if name:
            f = _party_fact(role, name, d, analyses)
            if f:
                facts.append(f)
    if d.earlier:  # another deal between the same parties, told as such: reconciliation keeps it apart
        facts = [replace(f, attrs={**(f.attrs or {}), "sibling": d.sibling}) for f in facts]
    values = [_termination_role(f, d) for f in d.facts]
    deal_type = deal_type_of(d, title, index == 0, main_type)
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


def _termination_role(f: Fact, d: DealDraft) -> Fact | None:
    """termination_by naming a company → 'provider' or 'customer' of this deal."""
    if f.field != "termination_by" or not f.attrs.get("party_text"):
        return f
    text = str(f.attrs["party_text"]).lower()
    for role, name in (("provider", d.provider), ("customer", d.customer)):
        if name and (name.lower() in text or text in name.lower()):
            return replace(f, value=role)
    return f
