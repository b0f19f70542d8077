"""Who is in a sentence and in which role: the names other stages use, gathered from their homes.

- extractors.party_names: finding company names (gazetteer, NER, runs of proper nouns).
- extractors.party_filters: dropping people, products, places and other non-parties from them.
- extractors.non_parties: names an article uses for people, places and phrases, article-wide.
- extractors.descriptors: masking a sentence (⟦c0⟧ names, ⟦d0⟧ descriptors, appositives).
- extractors.role_claims: role patterns on the masked sentence, and role leanings.
"""

from __future__ import annotations

from extractors.descriptors import DESCRIPTOR, SUBJECT_SLOT, division_aliases, mask_sentence
from extractors.non_parties import (
    common_phrases,
    document_labels,
    owner_persons,
    place_prefixed,
    product_names,
    region_towns,
    speaker_names,
    title_persons,
)
from extractors.party_filters import is_person_by_title
from extractors.party_names import (
    DATELINE,
    CompanyMention,
    find_companies,
    find_known_names,
    merge_mentions,
    names_pattern,
)
from extractors.role_claims import (
    RoleClaim,
    context_hint,
    find_role_claims,
    name_hint,
    role_hint,
    role_patterns,
)

__all__ = [
    "DATELINE",
    "DESCRIPTOR",
    "SUBJECT_SLOT",
    "CompanyMention",
    "RoleClaim",
    "common_phrases",
    "document_labels",
    "context_hint",
    "division_aliases",
    "find_companies",
    "find_known_names",
    "find_role_claims",
    "is_person_by_title",
    "mask_sentence",
    "merge_mentions",
    "name_hint",
    "names_pattern",
    "owner_persons",
    "place_prefixed",
    "product_names",
    "region_towns",
    "role_hint",
    "role_patterns",
    "speaker_names",
    "title_persons",
]
