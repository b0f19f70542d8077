"""The landlord of the article's own data-center operator is no party (issue 10).

"Velloc Data Centers leases 60 MW to Tamsin AI … Velloc holds the campus on a lease from Nairn
Estates": Nairn lets the building, not compute, to the operator that lets compute. A deal told in
passing whose customer is the main deal's provider, when that provider operates data centers (a
gazetteer kind or a name ending, ``[land] site_operator_tails`` of vocabulary.toml) and every
sentence of it is about the site (``site_words``) and names no accelerators, is dropped. A GPU cloud
that leases a building from a data-center operator keeps its deal: it is not a site operator.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.companies import kind_of
from extractors.deal_drafts import DealDraft
from extractors.vocabulary import deal_type_words, land_words, phrase_alternation


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    tails = re.compile(rf"\s(?:{phrase_alternation(land_words('site_operator_tails'))})$")
    site = re.compile(rf"(?<![\w-])(?:{phrase_alternation(land_words('site_words'))})(?![\w-])", re.I)
    chips = re.compile(rf"(?<![\w-])(?:{'|'.join(deal_type_words()['accelerator_words'])})(?![\w-])")
    return tails, site, chips


def is_site_operator(name: str | None) -> bool:
    """Whether a company operates data-center sites (by the gazetteer, else by its name's ending)."""
    if not name:
        return False
    return kind_of(name) == "datacenter" or bool(_patterns()[0].search(name))


def drop_provider_landlords(main: DealDraft, passing: list[DealDraft]) -> list[DealDraft]:
    """The passing deals, less those that only tell the main provider's own site lease."""
    if not main.provider or not is_site_operator(main.provider):
        return passing
    _, site, chips = _patterns()

    def landlord_of_main(d: DealDraft) -> bool:
        texts = [a.sentence.text for _, a in d.claims]
        return (
            d.customer == main.provider
            and bool(texts)
            and all(site.search(t) and not chips.search(t) for t in texts)
        )

    return [d for d in passing if not landlord_of_main(d)]
