"""Tenant and customer lists told as bullets under a heading (issue 10, round 8: recall).

"Other tenants at the campus:" followed by "- Danby Labs, 10 MW" lines: each bullet is its own
sentence, so no single-sentence role pattern can see that the heading makes its names customers.
The heading's owner is the company it names with a possessive ("Orrin's customers:"), else the
article's main provider (a claim with ``other="implied"``, resolved in extractors.mentions).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from extractors.descriptors import DESCRIPTOR
from extractors.role_claims import RoleClaim
from extractors.vocabulary import phrase_alternation

#: The list headings' words: ``[lists]`` of the passing frames' word file.
_WORDS = Path(__file__).parent / "patterns" / "passing_frames.toml"
_BULLET = re.compile(r"^\s*(?:[-*•–—]|\d{1,2}[.)])\s*⟦(c\d+)⟧")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A heading that announces a list of a company's customers and ends with a colon (a prospect,
    former or potential customer list is no deal), and the heading's owner named with a possessive."""
    words = tomllib.loads(_WORDS.read_text("utf-8"))["lists"]
    nouns = phrase_alternation(words["heading_nouns"])
    heading = re.compile(
        rf"^(?!.*\b(?:{phrase_alternation(words['not_current_words'])})\b)"
        rf".*\b(?:{nouns})\b[^:⟦]{{0,60}}:\s*$",
        re.IGNORECASE | re.DOTALL,
    )
    owner = re.compile(rf"⟦(c\d+)⟧(?:'s|’s)\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b")
    return heading, owner


RULE = "frame_bulleted_customer_list"


def list_owner(masked: str, table: dict[str, tuple[str, int, int]]) -> str | None:
    """The owner a list heading names (DESCRIPTOR: the article's provider), or None for no heading."""
    heading, owner_named = _patterns()
    if not heading.match(masked):
        return None
    owner = owner_named.search(masked)
    return table[owner.group(1)][0] if owner and owner.group(1) in table else DESCRIPTOR


def list_item_claim(
    masked: str, table: dict[str, tuple[str, int, int]], sentence_index: int, owner: str
) -> RoleClaim | None:
    """A bullet opening with a company under a customer-list heading: that company is the owner's
    customer."""
    m = _BULLET.match(masked)
    if m is None or m.group(1) not in table:
        return None
    name, start, end = table[m.group(1)]
    if name == owner:
        return None
    claim = RoleClaim(rule=RULE, sentence_index=sentence_index, weight=0.85, in_passing=True)
    claim.customer, claim.customer_span = name, (start, end)
    if owner == DESCRIPTOR:
        claim.other = "implied"
    else:
        claim.provider = owner
    return claim


def is_bullet(text: str) -> bool:
    """The sentence is a list item (the list goes on while its lines are)."""
    return bool(re.match(r"^\s*(?:[-*•–—]|\d{1,2}[.)])\s", text))
