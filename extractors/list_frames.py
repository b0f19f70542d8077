"""Tenant and customer lists told as bullets under a heading (issue 10, round 8: recall).

"Other tenants at the campus:" followed by "- Danby Labs, 10 MW" lines: each bullet is its own
sentence, so no single-sentence role pattern can see that the heading makes its names customers.
The heading's owner is the company it names with a possessive ("Orrin's customers:"), else the
article's main provider (a claim with ``other="implied"``, resolved in extractors.mentions).
"""

from __future__ import annotations

import re

from extractors.descriptors import DESCRIPTOR
from extractors.role_claims import RoleClaim

#: A heading that announces a list of a company's customers and ends with a colon; a prospect,
#: former or potential customer list is no deal.
_HEADING = re.compile(
    r"^(?!.*\b(?:prospective|potential|former|possible|targeted|would-be)\b)"
    r".*\b(?:tenants|customers|clients)\b[^:⟦]{0,60}:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_OWNER = re.compile(r"⟦(c\d+)⟧(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:tenants|customers|clients)\b")
_BULLET = re.compile(r"^\s*(?:[-*•–—]|\d{1,2}[.)])\s*⟦(c\d+)⟧")

RULE = "frame_bulleted_customer_list"


def list_owner(masked: str, table: dict[str, tuple[str, int, int]]) -> str | None:
    """The owner a list heading names (DESCRIPTOR: the article's provider), or None for no heading."""
    if not _HEADING.match(masked):
        return None
    owner = _OWNER.search(masked)
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
