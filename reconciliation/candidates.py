"""Which reconciled deals the system stands behind, and why the others are only candidates.

A deal row goes to ``deals`` only when its parties are evidently two organizations, its
direction is clear, and something more than one doubtful passing remark states it. Everything
else goes to ``deal_candidates`` with a reason code and the reason in plain words, so nothing
found is lost and nothing doubtful is shown as fact.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.companies import is_not_party, kind_of
from extractors.models import DealMention, Fact
from extractors.vocabulary import legal_suffix_alternation, phrase_alternation
from reconciliation.direction import PairVote, company_kind
from reconciliation.grouping import party_key

#: Legal forms (the vocabulary) and name endings that make a name evidently an organization.
ORG_WORDS_FILE = Path(__file__).parents[1] / "extractors" / "gazetteers" / "companies.toml"
LEGAL_FORMS = re.compile(rf"\b(?:{legal_suffix_alternation()}|group)\.?$", re.IGNORECASE)
#: What a name may not contain to be a company's whole name: money, a sentence break, a filing.
NOT_A_NAME = re.compile(r"[$€£%]|\.\s|\b(?:S-1|S-4|F-1|10-K|10-Q|8-K|20-F)\b")
#: Lower-case words allowed inside a company name ("Bank of X", "Loxley & Finch").
NAME_CONNECTORS = frozenset(
    {"of", "and", "&", "de", "du", "la", "le", "von", "van", "der", "the", "for", "y"}
)
#: Kinds of company (reconciliation/direction.toml) that back, lend, analyse or power: never a party.
NON_PARTY_KINDS = frozenset({"finance", "investor", "utility"})
#: … of which only a bank ("finance") is a customer when its own deal's role frame names it the buyer.
_BUYING_NON_PARTY_KINDS = frozenset({"finance"})
#: related_party roles (extractors/relations.py) that finance a company rather than buy from it.
_BACKING_ROLES = frozenset({"backer", "investor", "lender", "guarantor"})
#: A party rule at least this confident states a direction ("X will supply Y"), unlike a
#: symmetric "X signed a deal with Y" or a guess.
STRONG_RULE = 0.85
#: A party rule below this confidence is a guess (the first company named), not a reading.
GUESS_RULE = 0.6

REASONS = {
    "one_party": "only one party is named, so it is not known who supplies whom",
    "not_an_organization": "{name} is not evidently an organization",
    "not_a_compute_party": "{name} is a backer, lender, analyst or utility, not a supplier or buyer of compute",
    "passing_doubtful_party": "only one passing mention in one article states it, and {name} {why}",
    "direction_split": "the sources disagree on who supplies whom and the vote is too close to call",
    "direction_against_sentences": "who supplies whom was decided by what the companies are, against the only sentences",
    "not_about_a_deal": "it is stated only in articles that are not about a deal",
    "chain_shortcut": "{a} supplies {b}, which supplies {c}; only a sentence that gives no direction links {a} to {c} directly",
    "passing_guess_is_main_party": "{name} is only a guess (the first company named) and is the buyer of the article's own deal from another provider",
}


@dataclass(frozen=True)
class Landscape:
    """What all the articles together say about the companies, for judging one deal.

    ``known``: party keys some article names as a party of its main deal; ``strong``: (provider,
    customer) keys some sentence states with a strongly directional rule."""

    known: frozenset[str] = frozenset()
    strong: frozenset[tuple[str, str]] = frozenset()
    #: (article_id, field, start_char, end_char) of the values each article's main deal states
    main_spans: frozenset[tuple] = frozenset()
    #: party keys some article names as a backer, investor, lender or guarantor (related_party facts)
    backers: frozenset[str] = frozenset()
    #: (article_id, role, party key) of each article's main-deal parties
    main_roles: frozenset[tuple[str, str, str]] = frozenset()

    def owned_by_main(self, article_id: str, f: Fact) -> bool:
        """A value of a deal named in passing that the article's main deal states at the same place."""
        return (article_id, f.field, f.start_char, f.end_char) in self.main_spans

    def via(self, provider: str, customer: str) -> str | None:
        """A company B with provider -> B and B -> customer both strongly stated."""
        p, c = party_key(provider), party_key(customer)
        middles = sorted(b for b in _supplied(self.strong).get(p, ()) if (b, c) in self.strong)
        return middles[0] if middles else None


@lru_cache(maxsize=4)
def _supplied(strong: frozenset[tuple[str, str]]) -> dict[str, list[str]]:
    """Per company, the companies it strongly supplies (an index of ``strong``, built once)."""
    out: dict[str, list[str]] = {}
    for a, b in strong:
        out.setdefault(a, []).append(b)
    return out


def backer_keys(facts: Iterable[Fact]) -> set[str]:
    """Party keys that facts name as a backer, investor, lender or guarantor (``Landscape.backers``)."""
    return {
        party_key(str(f.value))
        for f in facts
        if f.field == "related_party" and (f.attrs or {}).get("role") in _BACKING_ROLES
    }


def landscape(mentions: list[DealMention]) -> Landscape:
    known, strong, spans, backers, roles = set(), set(), set(), set(), set()
    for m in mentions:
        backers.update(backer_keys(m.facts))
        p, c = party_key(m.provider), party_key(m.customer)
        if m.is_main:
            known.update(k for k in (p, c) if k)
            roles.update((m.article_id, role, k) for role, k in (("provider", p), ("customer", c)) if k)
            spans.update(
                (m.article_id, f.field, f.start_char, f.end_char)
                for f in m.facts
                if f.field not in ("provider", "customer")
            )
        if p and c and _party_confidence(m) >= STRONG_RULE:
            strong.add((p, c))
    return Landscape(
        frozenset(known), frozenset(strong), frozenset(spans), frozenset(backers), frozenset(roles)
    )


def _party_confidence(m: DealMention) -> float:
    """The weaker of the best provider and best customer rule confidences of a mention."""
    best: dict[str, float] = {}
    for f in m.facts:
        if f.field in ("provider", "customer"):
            best[f.field] = max(best.get(f.field, 0.0), float(f.confidence or 0.0))
    return min(best.values()) if len(best) == 2 else 0.0


@dataclass
class Member:
    """What the judgement needs to know about one mention of the deal."""

    source_key: str
    is_main: bool
    deal_article: bool
    party_confidence: dict[str, float]  # 'provider'/'customer' -> best rule confidence
    article_id: str = ""
    provider_sentence: str = ""  # the sentence of the best provider rule


@lru_cache(maxsize=1)
def _name_tails() -> frozenset[str]:
    data = tomllib.loads(ORG_WORDS_FILE.read_text(encoding="utf-8"))
    rules = data.get("name_rules", {})
    return frozenset(t.lower() for t in [*rules.get("tails", []), *rules.get("trade_tails", [])])


def evidently_organization(name: str) -> bool | None:
    """True: known or shaped like a company; False: evidently not one; None: cannot tell."""
    clean = " ".join(name.split())
    if not clean or is_not_party(clean) or len(clean) < 2 or not any(ch.isupper() for ch in clean):
        return False
    if not any(ch.isalpha() for ch in clean) or NOT_A_NAME.search(clean):
        return False
    if any(w[0].islower() and w not in NAME_CONNECTORS for w in clean.split()[1:] if w[0].isalpha()):
        return False
    if kind_of(clean) or company_kind(clean) or LEGAL_FORMS.search(clean):
        return True
    words = clean.split()
    if len(words) > 1 and words[-1].lower() in _name_tails():
        return True
    return None


def _known(name: str, land: Landscape) -> bool:
    """A party of some main deal, or its short form: "Acme" where an article's own deal names
    "Acme Games" (the words left out are ones that end company names)."""
    key = party_key(name)
    if not key or key in land.known:
        return bool(key)
    tokens = set(key.split())
    return any(tokens < (full := set(k.split())) and full - tokens <= _name_tails() for k in land.known)


def _plausible(provider: str | None, customer: str | None, vote: PairVote | None) -> bool:
    """A guessed pair still stands when both are evidently companies and what they are agrees
    with the direction (a GPU cloud supplying a lab, not the reverse)."""
    return (
        vote is not None
        and vote.prior > 0
        and all(n and evidently_organization(n) is True for n in (provider, customer))
    )


def _guess_is_main_customer(name: str, members: list[Member], land: Landscape) -> bool:
    """A buyer of a passing remark that is only guessed (the first company named), is the buyer of
    the article's own deal, and the remark's sentence tells of reselling: "C rents from broker B. The
    broker resells capacity it leases from A" guesses C as A's buyer, but the unnamed buyer is the
    middleman B, so A -> C is a shortcut of the reseller chain A -> B -> C, never a deal of its own.
    (Without a reseller word the guess is often right: "it also rents TPUs from A" tells the main
    buyer's second supplier; and a guessed provider that is the article's own provider is too.)"""
    key = party_key(name)
    return bool(key) and any(
        (m.article_id, "customer", key) in land.main_roles and _RESELLER.search(m.provider_sentence)
        for m in members
    )


CHAINS_FILE = Path(__file__).with_name("chains.toml")
_RESELLER = re.compile(
    r"(?<![\w-])(?:"
    + phrase_alternation(tomllib.loads(CHAINS_FILE.read_text(encoding="utf-8"))["reseller_cues"])
    + r")(?![\w-])",
    re.IGNORECASE,
)


def _buys_as_main(members: list[Member]) -> bool:
    """A company named like a bank or a fund ("… Bank", "… Capital") that an article's own deal
    names as the buyer in a role frame ("X Bank has committed to spend $350M on Y's cloud") is a
    customer of compute: banks buy cloud. Only its name's ending says finance; the frame says more.
    (As a provider such a name stays a backer or lender.)"""
    return any(m.is_main and m.party_confidence.get("customer", 0.0) >= STRONG_RULE for m in members)


def _vouched(
    name: str, provider: str | None, customer: str | None, best_rule: float, land: Landscape
) -> bool:
    """An unknown name in a passing mention stands when a role frame names both sides ("X still
    provides Y with a cluster", "the hall is leased by X from Y": STRONG_RULE) and its counterpart
    is a company the articles know (a party of some main deal) or is evidently one. A multi-word
    name is asked for: a lone word beside a known company is as often a product or model."""
    other = customer if name == provider else provider
    if best_rule < STRONG_RULE or not other or len(name.split()) < 2:
        return False
    return party_key(other) in land.known or evidently_organization(other) is True


def judge(
    provider: str | None,
    customer: str | None,
    members: list[Member],
    vote: PairVote | None,
    land: Landscape | None = None,
) -> list[tuple[str, str]]:
    """Reasons (code, plain words) the deal is only a candidate; empty when it is a deal.

    ``land``: what all articles say about the companies (see :class:`Landscape`)."""
    land = land or Landscape()
    reasons: list[tuple[str, str]] = []

    def add(code: str, **kw: str) -> None:
        reasons.append((code, REASONS[code].format(**kw)))

    if not provider or not customer:
        add("one_party")
    for role, name in (("provider", provider), ("customer", customer)):
        if name and evidently_organization(name) is False:
            add("not_an_organization", name=name)
        elif (
            name
            and not kind_of(name)
            and company_kind(name) in NON_PARTY_KINDS
            and not (
                role == "customer"
                and company_kind(name) in _BUYING_NON_PARTY_KINDS
                and party_key(name) not in land.backers
                and _buys_as_main(members)
            )
        ):
            add("not_a_compute_party", name=name)
    if members and not any(m.deal_article for m in members):
        add("not_about_a_deal")
    if vote is not None and vote.status in ("split", "against_sentences"):
        add("direction_" + vote.status)
    best_rule = max((min(m.party_confidence.values(), default=0.0) for m in members), default=0.0)
    middle = land.via(provider, customer) if provider and customer and best_rule < STRONG_RULE else None
    if middle:
        add("chain_shortcut", a=provider, b=middle, c=customer)
    sources = {m.source_key for m in members}
    if len(sources) == 1 and not any(m.is_main for m in members):
        for role, name in (("provider", provider), ("customer", customer)):
            conf = max((m.party_confidence.get(role, 0.0) for m in members), default=0.0)
            if not name:
                continue
            if conf < GUESS_RULE and role == "customer" and _guess_is_main_customer(name, members, land):
                add("passing_guess_is_main_party", name=name)
                break
            if conf < GUESS_RULE and not _plausible(provider, customer, vote):
                add("passing_doubtful_party", name=name, why="is only a guess (the first company named)")
                break
            if (
                evidently_organization(name) is None
                and not _known(name, land)
                and not _vouched(name, provider, customer, best_rule, land)
            ):
                add("passing_doubtful_party", name=name, why="is not known as a company anywhere else")
                break
    return reasons
