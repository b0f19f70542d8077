"""The one vocabulary: word lists and unit factors shared by extraction, reconciliation, evaluation.

Why one module: a list copied into two places drifts (a month was 30.4375 days to the extractor and
30.4167 to reconciliation). Everything here is read from ``patterns/vocabulary.toml``, once, and
returned as immutable objects, so every caller holds the very same mapping.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

VOCABULARY_FILE = Path(__file__).parent / "patterns" / "vocabulary.toml"
#: Accelerator models and vendors, one JSON object a line (also read by extractors/hardware.py).
HARDWARE_FILE = Path(__file__).parent / "patterns" / "hardware.jsonl"
#: Places and their abbreviations (also read by extractors/places.py).
PLACES_FILE = Path(__file__).parent / "gazetteers" / "places.toml"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def qualifiers() -> MappingProxyType[str, str]:
    """Phrase before an amount → canonical qualifier ("almost" → "nearly"; "between" → "")."""
    return MappingProxyType(dict(_data()["qualifiers"]))


def canonical_qualifier(phrase: str | None) -> str | None:
    """The canonical form of a qualifier phrase; an unknown phrase is returned lower-cased."""
    if not phrase:
        return None
    q = " ".join(str(phrase).casefold().split())
    return qualifiers().get(q, q)


@lru_cache(maxsize=1)
def qualifier_meanings() -> MappingProxyType[str, str]:
    """Canonical qualifier → 'upper', 'lower', 'approx' or 'below' (see the data file)."""
    return MappingProxyType(dict(_data()["qualifier_meaning"]))


def qualifier_meaning(phrase: str | None) -> str | None:
    """What a qualifier (any spelling) claims about its figure; None for a flat figure."""
    q = canonical_qualifier(phrase)
    return qualifier_meanings().get(q) if q else None


def approx_tolerance() -> float:
    """Half-width of the interval an approximate figure allows, as a share of the figure."""
    return float(_data()["amounts"]["approx_tolerance"])


@lru_cache(maxsize=1)
def per_month() -> MappingProxyType[str, float]:
    """Period → how many of it fit in a month ("$15B a year" × 1/12 = per month)."""
    return MappingProxyType({k: float(v) for k, v in _data()["per_month"].items()})


def days_per_month() -> float:
    """Days in an average month (the ``day`` factor of :func:`per_month`)."""
    return per_month()["day"]


def duration_factor(name: str) -> int:
    """A duration conversion of ``[durations]`` ("notice_days_per_month" → 30)."""
    return int(_data()["durations"][name])


@lru_cache(maxsize=1)
def legal_suffixes() -> tuple[str, ...]:
    """Legal-form suffixes as written ("Inc", "N.V", "GmbH"), longest first."""
    return tuple(sorted(_data()["names"]["legal_suffixes"], key=len, reverse=True))


@lru_cache(maxsize=1)
def legal_suffix_tokens() -> frozenset[str]:
    """Single-word legal suffixes as name tokens: case-folded, dots and slashes dropped ("n.v" → "nv")."""
    return frozenset(re.sub(r"[./]", "", s).casefold() for s in legal_suffixes() if " " not in s)


def legal_suffix_alternation() -> str:
    """Regex alternation of the legal suffixes, longest first, dots literal, spaces flexible."""
    return phrase_alternation(legal_suffixes(), longest_first=False)


@lru_cache(maxsize=1)
def facility_nouns() -> frozenset[str]:
    """Words that name the kind of a site, not which site ("data", "center", "campus")."""
    return frozenset(w.casefold() for w in _data()["names"]["facility_nouns"])


@lru_cache(maxsize=1)
def maker_nouns() -> frozenset[str]:
    """Nouns for a product's maker ("the studio behind X"): X is then a product (non_parties.py)."""
    return frozenset(w.casefold() for w in _data()["names"]["maker_nouns"])


@lru_cache(maxsize=1)
def customer_role_nouns() -> tuple[str, ...]:
    """The customer side's role nouns ("tenant", "client"), for the possessive role rules."""
    return tuple(_data()["names"]["customer_role_nouns"])


@lru_cache(maxsize=1)
def customer_ranks() -> tuple[str, ...]:
    """Ranks of a customer ("largest", "other", "second-biggest"), for the possessive role rules."""
    return tuple(_data()["names"]["customer_ranks"])


def ended_role_words() -> tuple[str, ...]:
    """Words that make a customer label an ended or hoped-for relation ("former", "prospective")."""
    return tuple(_data()["names"]["ended_role_words"])


@lru_cache(maxsize=1)
def building_tails() -> frozenset[str]:
    """Last words of a named building ("Mill", "Hall"): an unknown name ending in one is no company."""
    return frozenset(_data()["names"]["building_tails"])


@lru_cache(maxsize=1)
def role_nouns() -> frozenset[str]:
    """Nouns of a company's role ("broker", "landlord") that lead no name, lower-cased."""
    return frozenset(w.casefold() for w in _data()["names"]["role_nouns"])


@lru_cache(maxsize=1)
def unit_words() -> frozenset[str]:
    """Units of a quantity ("MW", "GWh") that begin no company name, as written (case matters)."""
    return frozenset(_data()["names"]["unit_words"])


@lru_cache(maxsize=8)
def land_words(name: str) -> tuple[str, ...]:
    """A word list of ``[land]``: what a land lease takes and how it is said (extractors/land_leases.py)."""
    return tuple(_data()["land"][name])


@lru_cache(maxsize=1)
def headline_verbs() -> frozenset[str]:
    """Headline verbs ("Acme Expands Agreement …") that never end a company name, lower-cased."""
    return frozenset(w.casefold() for w in _data()["names"]["headline_verbs"])


def hardware_family_names() -> tuple[str, ...]:
    """Accelerator family names as regular-expression fragments ("Blackwell", "Trainium\\d?")."""
    return tuple(_data()["hardware"]["family_names"])


@lru_cache(maxsize=1)
def hardware_vendors() -> frozenset[str]:
    """Accelerator vendors, case-folded: those of hardware.jsonl and their other names."""
    rows = [json.loads(line) for line in HARDWARE_FILE.read_text("utf-8").splitlines() if line.strip()]
    names = {str(r["vendor"]) for r in rows if r.get("vendor")}
    names |= set(_data()["hardware"]["vendor_aliases"])
    return frozenset(n.casefold() for n in names)


@lru_cache(maxsize=1)
def place_aliases() -> MappingProxyType[str, str]:
    """One-word place abbreviation → full name, case-folded and without dots ("us" → "united states")."""
    data = tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))
    skip = set(_data()["places"]["not_aliases"])
    out: dict[str, str] = {}
    for section in ("us_postal", "countries"):
        for key, full in data[section].items():
            short, long = key.casefold().replace(".", ""), full.casefold()
            if re.fullmatch(r"[a-z0-9]+", short) and short != long and short not in skip:
                out[short] = long
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def deal_type_words() -> MappingProxyType[str, tuple[str, ...]]:
    """The word lists of ``[deal_type]`` (extractors/deal_type.py builds its patterns from them)."""
    return MappingProxyType({k: tuple(v) for k, v in _data()["deal_type"].items()})


def word_alternation(section: str, key: str) -> str:
    """A regex alternation of the words of ``[section] key``, in their listed order (the order a
    pattern tries them), escaped, a space standing for any whitespace."""
    return phrase_alternation(_data()[section][key], longest_first=False)


def phrase_alternation(words: Iterable[str], longest_first: bool = True) -> str:
    """A regex alternation of literal phrases, escaped, a space standing for any whitespace; longest
    first by default (a shorter phrase must not win where a longer one starts), else in the order
    given (where a pattern's list order is its priority)."""
    items = sorted(words, key=len, reverse=True) if longest_first else list(words)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)
