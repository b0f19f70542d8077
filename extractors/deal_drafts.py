"""The working records of deal assembly: what one sentence told, and one deal being drafted."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.models import Fact, Sentence
from extractors.parties import CompanyMention, RoleClaim


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
class DealDraft:
    """One deal an article tells, while it is assembled: its pair, the claims and facts that are its."""

    provider: str | None
    customer: str | None
    claims: list[tuple[RoleClaim, SentenceAnalysis]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    earlier: bool = False  # an earlier deal between the same parties ("builds on the $600M contract")
    sibling: str = "earlier"  # which kind of other deal between the same parties: earlier | separate
    context: list[str] = field(default_factory=list)  # sentences that name both parties
    reverse: DealDraft | None = None  # the other direction of a two-way announcement (B supplies A too)

    @property
    def names(self) -> set[str]:
        return {n for n in (self.provider, self.customer) if n}
