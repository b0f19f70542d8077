"""Whether an article's own deal, told by its headline and lead, went unread (issue 10, recall).

When the headline and the lead name a pair whose frame no role rule reads, the only pair read may
be one told in passing further down; taken for the article's deal it would take that deal's
values. extractors/mentions.py then keeps what was read as deals in passing."""

from __future__ import annotations

from extractors.companies import CompanyResolver
from extractors.deal_drafts import DealDraft, SentenceAnalysis

#: The headline and the lead sentences: where an article tells its own deal.
_LEAD = 3


def headline_deal_unread(
    main: DealDraft, analyses: list[SentenceAnalysis], resolver: CompanyResolver
) -> bool:
    """The headline names a pair of companies, and the only pair read is another one, told only
    below the lead ("Acme announces commitment to Globex" … "Acme still runs inference on Initech
    Cloud"): the article's own deal went unread, and what was read is a deal told in passing, which
    must neither stand as the article's deal nor take its values."""
    if main.reverse is not None or any(a.sentence.index < _LEAD for _, a in main.claims):
        return False
    if not headline_names(analyses, resolver):
        return False
    lead = [
        {n for c in a.companies if (n := resolver.resolve(c.text))}
        for a in analyses
        if a.sentence.index < _LEAD
    ]
    pair = {main.provider, main.customer}
    if not pair - set().union(*lead):
        return False  # the lead names both of the pair read: it may well be the article's deal
    # the headline and a lead sentence both name two companies, not both of the pair read
    return any(len(common := lead[0] & names) >= 2 and not pair <= common for names in lead[1:])


def headline_names(analyses: list[SentenceAnalysis], resolver: CompanyResolver) -> set[str]:
    """The companies the headline names (empty when the article has none)."""
    if not analyses or not (analyses[0].sentence.is_title or analyses[0].sentence.index == 0):
        return set()
    return {n for c in analyses[0].companies if (n := resolver.resolve(c.text))}
