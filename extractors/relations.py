"""Relations between two companies that are not a compute deal, told as role claims.

A lender, an investor, a guarantor of a lease, a joint-venture partner, a utility selling power or an
analyst disclosing fees names two companies with supply-like words ("a loan from X", "X backstops
Y's rent"). Such a claim must not make a provider/customer pair; it is kept as a ``related_party``
Fact on the article's main mention instead (``attrs['role']``: lender, investor, guarantor,
partner, power_supplier, acquirer, analyst; ``attrs['counterpart']``: the other company), so that
reconciliation and analysts can see who backs, finances or hosts whom.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.companies import canonical_name
from extractors.gate import STORY_BREAK, denies_deal, finances_deal, hypothetical_deal, not_compute_sentence
from extractors.models import Fact, Sentence

VERSION = "1"
#: The not-compute kind of a claim (extractors/patterns/deal_cues.toml) → the relation it tells.
ROLE_OF_KIND = {
    "lender": "lender",
    "backstop": "guarantor",
    "equity": "investor",
    "venture": "partner",
    "power": "power_supplier",
    "power_purchase": "power_supplier",
    "electricity": "power_supplier",
    "acquisition": "acquirer",
    "disclosure": "analyst",
}


def claim_relation(claim: Any, s: Sentence) -> str | None:
    """Why a role claim is no compute deal: 'denied' (the words say the two have no deal), a kind of
    ROLE_OF_KIND, or None when it is a compute claim. Read from a little before its first party to just
    after its last."""
    spans = [sp for sp in (claim.provider_span, claim.customer_span) if sp]
    if not spans:
        return None
    lo = min(sp[0] for sp in spans) - s.start
    hi = max(sp[1] for sp in spans) - s.start
    before = STORY_BREAK.split(s.text[max(0, lo - 60) : lo])[-1]  # not past "…; separately"
    after = STORY_BREAK.split(s.text[hi : hi + 40])[0]
    tail = re.split(r";|,\s", s.text[hi : hi + 100])[0]  # "… for three years has expired without a contract"
    if denies_deal(re.split(r"[;,]", before[-40:])[-1] + s.text[lo:hi] + tail):
        return "denied"  # "X has no contract with Y", "X denied a report that it would lease … to Y"
    if hypothetical_deal(re.split(r"[;,]", before[-40:])[-1] + s.text[lo:hi]):
        return "hypothetical"  # "Y could rent capacity from X next year": dropped, the pair not denied
    if claim.provider_span:
        p0, p1 = claim.provider_span[0] - s.start, claim.provider_span[1] - s.start
        if finances_deal(s.text[max(0, p0 - 50) : p0], s.text[p1 : p1 + 30]):
            return "lender"  # "a $400 million loan from X", "$5 billion from X to fund": X is a lender
    return not_compute_sentence(before + s.text[lo:hi] + after)


def relation_fact(claim: Any, kind: str, s: Sentence) -> Fact | None:
    """The related company of a not-compute claim as a Fact, or None (a denial, a descriptor)."""
    role = ROLE_OF_KIND.get(kind)
    if role is None or not claim.provider_span or not claim.provider:
        return None
    name = canonical_name(claim.provider)
    if not name or name.startswith("<"):
        return None
    counterpart = (
        canonical_name(claim.customer) if claim.customer and not claim.customer.startswith("<") else None
    )
    a, b = claim.provider_span
    return Fact(
        field="related_party",
        value=name,
        display=s.text[a - s.start : b - s.start],
        sentence=s.text,
        start_char=a,
        end_char=b,
        extractor=f"relations.{role}",
        extractor_version=VERSION,
        confidence=0.6,
        attrs={"role": role, "counterpart": counterpart, "rule": claim.rule},
    )


#: "an Acme-backed start-up", "backed by Acme and Globex": the backer of the company next to it.
_BACKED = re.compile(
    r"\b(?P<pre>[A-Z][\w.&]*(?:\s[A-Z][\w.&]*){0,2})-(?:backed|funded|owned|controlled)\b"
    r"|\b(?:backed|funded|owned|controlled)\s+by\s+(?:the\s+)?(?P<post>[A-Z][\w.&]*(?:\s[A-Z][\w.&]*){0,2})"
)


def backer_facts(s: Sentence) -> list[Fact]:
    """Backers told as modifiers ("an Acme-backed start-up", "backed by Acme"): related, never parties."""
    if (
        "backed" not in s.text
        and "funded" not in s.text
        and "owned" not in s.text
        and "controlled" not in s.text
    ):
        return []
    out = []
    for m in _BACKED.finditer(s.text):
        group = "pre" if m.group("pre") else "post"
        name = canonical_name(m.group(group))
        if not name:
            continue
        a, b = m.start(group), m.end(group)
        out.append(
            Fact(
                field="related_party",
                value=name,
                display=m.group(0),
                sentence=s.text,
                start_char=s.start + a,
                end_char=s.start + b,
                extractor="relations.backer",
                extractor_version=VERSION,
                confidence=0.6,
                attrs={"role": "backer", "counterpart": None, "rule": "backed"},
            )
        )
    return out


def _name_key(name: str | None) -> str | None:
    """A company's first word, lower case: one article calls "Acme Cloud" also "Acme"."""
    if not name or name.startswith("<"):
        return None
    words = (canonical_name(name) or name).lower().split()
    return words[0] if words else None


def pair_key(claim: Any) -> frozenset[str] | None:
    """The two companies of a claim, in either direction, or None when a side is not a name."""
    a, b = _name_key(claim.provider), _name_key(claim.customer)
    return frozenset((a, b)) if a and b and a != b else None


def sort_claims(
    claims: list[Any],
    s: Sentence,
    told: set[frozenset[str]],
    denied: set[frozenset[str]],
    related: list[Fact],
) -> list[Any]:
    """The compute claims of a sentence; a lender, guarantor, partner … goes to ``related``, never
    paired. A denial ("the letter of intent lapsed") marks the pair ``denied`` for the whole article
    only when no earlier sentence told it as a deal: "X signed with Y … Y denied it would double
    the deal" keeps the deal."""
    kept = []
    for c in claims:
        kind = claim_relation(c, s)
        if kind is None:
            kept.append(c)
        elif kind == "denied":
            pair = pair_key(c)
            if pair and pair not in told:
                denied.add(pair)
        elif fact := relation_fact(c, kind, s):
            related.append(fact)
    told.update(p for c in kept if (p := pair_key(c)) and p not in denied)
    return kept


def drop_denied_pairs(claims_by_sentence: list[list[Any]], denied: set[frozenset[str]]) -> None:
    """Once an article says two companies have no deal ("the letter of intent lapsed", "X has no
    contract with Y"), its other sentences about the same two ("the capacity set aside for Y") tell
    the plan that failed, not a deal: their claims are dropped in place."""
    if not denied:
        return
    for claims in claims_by_sentence:
        claims[:] = [c for c in claims if pair_key(c) not in denied]
