"""Company names: canonical spellings, and finding company mentions in a parsed sentence.

One canonical name per company lets mentions from different outlets meet. The alias table is data
(gazetteers/companies.toml); the rest is rules that also work for companies no list knows: legal
suffixes and tickers are dropped, possessives stripped, a short form used after the full name
("Acme" after "Acme AI") and a division named after its parent resolve to the full name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.literal_prefilter import names_alternation
from extractors.vocabulary import legal_suffix_alternation

_GAZ = Path(__file__).parent / "gazetteers"

_TICKER = re.compile(
    r"\s*\((?:(?:NYSE|NASDAQ|Nasdaq|TSX|TSXV|LSE|AMEX|OTC|OTCQX|ASX|XETRA|Euronext|HKEX|SIX|TYO)"
    r"(?:\s+[A-Za-z]+)?\s*:\s*)?[A-Z][A-Z0-9.]{0,6}\)"
)
_LEGAL = re.compile(rf"(?:,?\s+(?:{legal_suffix_alternation()})\.?)+$")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_EDGE = re.compile(r"^[\s\"'“”‘’(\[,.;:-]+|[\s\"'“”‘’)\],.;:-]+$")


@dataclass(frozen=True)
class KnownCompany:
    """A gazetteer entry."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()


#: The gazetteers of companies, read in this order: the team's list, then the market list.
GAZETTEER_FILES = ("companies.toml", "market.toml")


def _descriptor_key(descriptor: str) -> str:
    """A descriptor as it stands in a name slot: "the Ernie maker" → "Ernie maker"."""
    return re.sub(r"^(?:the|The)\s+", "", descriptor.strip())


@lru_cache(maxsize=1)
def gazetteer_rows() -> list[dict[str, Any]]:
    """Every company of both gazetteers, with the market file's ``[[extra_aliases]]`` (more
    spellings and descriptors of companies already listed) merged into their rows."""
    rows: list[dict[str, Any]] = []
    extras: list[dict[str, Any]] = []
    for fname in GAZETTEER_FILES:
        path = _GAZ / fname
        if not path.exists():
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rows.extend(dict(r) for r in data.get("company", []))
        extras.extend(data.get("extra_aliases", []))
    by_name = {r["name"].lower(): r for r in rows}
    for extra in extras:
        row = by_name.get(extra["name"].lower())
        if row is None:
            continue
        row["aliases"] = [*row.get("aliases", []), *extra.get("aliases", [])]
        row["descriptors"] = [*row.get("descriptors", []), *extra.get("descriptors", [])]
    return rows


@lru_cache(maxsize=1)
def known_companies() -> dict[str, KnownCompany]:
    """Lower-cased name, alias or descriptor ("Ernie maker" of "the Ernie maker") → entry.

    Descriptors are kept among the aliases: outlets write them instead of the name."""
    table: dict[str, KnownCompany] = {}
    for row in gazetteer_rows():
        names = [*row.get("aliases", []), *(_descriptor_key(d) for d in row.get("descriptors", []))]
        entry = KnownCompany(row["name"], row.get("kind", "other"), tuple(dict.fromkeys(names)))
        for alias in (entry.name, *entry.aliases):
            table.setdefault(alias.lower(), entry)
    return table


@lru_cache(maxsize=1)
def not_party_names() -> frozenset[str]:
    """Lower-cased names that are never parties (outlets, analysts, government, generic words)."""
    data = tomllib.loads((_GAZ / "not_parties.toml").read_text(encoding="utf-8"))
    return frozenset(n.lower() for group in data.values() for n in group)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    data = tomllib.loads((_GAZ / "not_parties.toml").read_text(encoding="utf-8"))
    return frozenset(n.lower() for n in data.get("places", []))


@lru_cache(maxsize=1)
def gazetteer_patterns() -> list[dict[str, Any]]:
    """SpanRuler patterns for every known name and alias, id = canonical name."""
    seen = {}
    for entry in known_companies().values():
        for alias in (entry.name, *entry.aliases):
            seen[alias] = {"label": "ORG", "pattern": alias, "id": entry.name}
    return list(seen.values())


@lru_cache(maxsize=1)
def gazetteer_pattern() -> re.Pattern[str]:
    """Every known name and alias as one case-sensitive regex, for sentences that were not parsed."""
    return re.compile(
        names_alternation({a for e in known_companies().values() for a in (e.name, *e.aliases)})
    )


_COMMON = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "new",
        "north",
        "south",
        "east",
        "west",
        "first",
        "global",
        "united",
        "american",
        "european",
        "national",
        "general",
        "international",
        "digital",
        "data",
        "cloud",
        "compute",
        "open",
        "deep",
        "great",
        "blue",
        "red",
        "green",
        "black",
        "white",
    ]
)


def article_names(found: Iterable[Iterable[Any]]) -> set[str]:
    """Names to look for elsewhere in one article: every name the parser found, its cleaned form,
    and the distinctive first word of a multi-word name ("Wayne" of "Wayne Robotics")."""
    names: set[str] = set()
    for mentions in found:
        for m in mentions:
            for form in {m.text, clean_name(m.text)}:
                if len(form) >= 2 and canonical_name(form):
                    names.add(form)
            first = clean_name(m.text).split(" ")[0]
            if (
                " " in clean_name(m.text)
                and len(first) >= 4
                and first[0].isupper()
                and first.lower() not in _COMMON
                and canonical_name(first)
                and not known_companies().get(clean_name(m.text).lower())
            ):
                names.add(first)
    return names


@lru_cache(maxsize=1)
def _descriptor_words() -> frozenset[str]:
    data = tomllib.loads((_GAZ / "companies.toml").read_text(encoding="utf-8"))
    return frozenset(w.lower() for w in data.get("name_rules", {}).get("descriptor_words", []))


def _colon_side(name: str) -> str:
    """A name never spans a colon: the parser reads a headline's "Acme Compute: Brill win is ..." as
    one name. The words before the colon are the headline's subject when they are a name of two or
    more words; a single word there ("Exclusive: Acme Cloud ...") is a label, and the name follows."""
    if ":" not in name:
        return name
    before, _, after = name.partition(":")
    before, after = before.strip(), after.strip()
    if len(before.split()) >= 2 or not after:
        return before
    return after


@lru_cache(maxsize=8192)  # a pure function of the text, asked ~50,000 times per 1,000 articles
def clean_name(raw: str) -> str:
    """Strip ticker, legal suffix, possessive, quotes and a leading article from a name."""
    name = _colon_side(_TICKER.sub("", raw or ""))
    name = _EDGE.sub("", name)
    name = _POSSESSIVE.sub("", name)
    name = _LEGAL.sub("", name)
    name = re.sub(r"^(?:the|The)\s+", "", name)
    words = name.split(" ")
    while len(words) > 1 and words[0].lower() in _descriptor_words():  # "Chipmaker Obelisk"
        words = words[1:]
    name = " ".join(words)
    name = _EDGE.sub("", name)
    return re.sub(r"\s+", " ", name)


def kind_of(name: str | None) -> str | None:
    """The gazetteer ``kind`` of a canonical name, or None for unknown companies."""
    if not name:
        return None
    entry = known_companies().get(name.lower())
    return entry.kind if entry else None


def is_not_party(name: str) -> bool:
    low = name.lower()
    bare = low.replace(".", "")
    names = not_party_names()
    return low in names or low + "." in names or bare in names or low in place_names()


@lru_cache(maxsize=8192)  # a pure function of the text and the gazetteers, asked ~40,000 times
def canonical_name(raw: str) -> str | None:
    """Canonical spelling of one name out of context, or None when it is not a company."""
    name = clean_name(raw)
    if not name or len(name) < 2:
        return None
    entry = known_companies().get(name.lower())
    if entry:
        return entry.name
    if is_not_party(name):
        return None
    return name


class CompanyResolver:
    """Canonical names within one article: short forms and division names resolve to the full name.

    Names are registered in reading order; a later name whose words are a leading part of an earlier
    full name ("Acme" after "Acme AI", "Globex" after "Globex Compute") maps to it.
    """

    def __init__(self) -> None:
        self._full: list[str] = []
        self._alias: dict[str, str] = {}

    def add_alias(self, alias: str, target: str) -> None:
        a, t = canonical_name(alias), canonical_name(target)
        if a and t and a != t:
            self._alias[a.lower()] = self.resolve(t) or t

    def resolve(self, raw: str) -> str | None:
        name = canonical_name(raw)
        if not name:
            return None
        low = name.lower()
        if low in self._alias:
            return self._alias[low]
        if known_companies().get(low):
            if name not in self._full:  # so that a later short form ("Cipher") finds it
                self._full.append(name)
            return name
        for i, full in enumerate(self._full):
            if full.lower() == low:
                if full.isupper() and not name.isupper():  # "GLOBEX" headline, "Globex" body
                    self._full[i] = name
                    self._alias[low] = name
                    return name
                return full
        for full in self._full:
            if len(full) > len(name) and full.lower().startswith(low + " "):
                return full
        # A longer name whose first words are an earlier short form: keep the first-seen form
        # out of it and prefer the fuller spelling as canonical.
        for i, full in enumerate(self._full):
            if low.startswith(full.lower() + " ") and _is_company_tail(name[len(full) + 1 :]):
                self._full[i] = name
                self._alias[full.lower()] = name
                return name
        self._full.append(name)
        return name


@lru_cache(maxsize=1)
def _tails() -> frozenset[str]:
    """Words that extend a short name into a full one ("Initech" → "Initech Datacenters")."""
    # a compute supplier's name ending too ("Pellin" in a headline, "Pellin Colocation" in the body)
    rules = tomllib.loads((_GAZ / "companies.toml").read_text(encoding="utf-8")).get("name_rules", {})
    return frozenset(
        w.lower() for t in [*rules.get("tails", []), *rules.get("supplier_tails", [])] for w in t.split()
    )


def _is_company_tail(rest: str) -> bool:
    return bool(rest) and all(w.lower() in _tails() for w in rest.split())
