"""Land leases: a data-center operator taking land, ground or a shell for its own campus.

The lessor of such a lease is the operator's landlord (issue 10: "landlords of the provider are not
provider or customer"), so a role claim whose two companies are joined only by a land lease makes no
deal. Read on the masked sentence (company names are ⟦..⟧ slots), around one role pattern's match.
Word lists: ``[land]`` of extractors/patterns/vocabulary.toml.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.vocabulary import land_words, phrase_alternation


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    nouns = phrase_alternation(land_words("land_nouns"))
    verbs = "|".join(land_words("land_verbs"))
    leases = phrase_alternation(land_words("land_lease_nouns"))
    # before the match: "sits on land that ⟦A⟧ leases from ⟦B⟧"
    before = re.compile(rf"(?<![\w-])(?:{nouns})\s+(?:(?:that|which)\s+)?$", re.IGNORECASE)
    # inside the match: "leases the land under its campus from", "a ground lease with"
    inside = re.compile(
        rf"(?<![\w-])(?:(?:{verbs})\w*\s+(?:(?:the|its|their|a|an|some|\d[\d.,]*)\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?:{nouns})(?![\w-])|(?:{leases})(?![\w-]))",
        re.IGNORECASE,
    )
    return before, inside


def is_land_lease(masked: str, start: int, end: int) -> bool:
    """Whether the role match ``masked[start:end]`` joins its companies by a lease of land only."""
    before, inside = _patterns()
    return bool(before.search(masked[:start]) or inside.search(masked[start:end]))
