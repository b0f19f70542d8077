"""Names an article uses for people, places and common phrases, so they are never parties.

These are judged over the whole article (a speaker labelled once is a person everywhere; a town
named with its region is a place everywhere), then handed to name finding as exclusions.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.companies import canonical_name, known_companies
from extractors.party_filters import (
    is_person_by_title,
    name_tails,
    person_owner_spans,
    person_title_res,
    town_of_region,
)
from extractors.party_names import ENT_LABELS, extend_name
from extractors.vocabulary import maker_nouns, word_alternation


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """Demonyms and place names that may stand before a company's name ("Irish Okapi")."""
    from extractors.places import CITIES, REGIONS

    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text(encoding="utf-8")
    )
    return frozenset([*data.get("demonyms", []), *data.get("places", []), *CITIES, *REGIONS])


def place_prefixed(names: set[str]) -> dict[str, str]:
    """Names made of a place or demonym and another name of the same article ("Singapore Zephyrine",
    "Dutch Junco Labs" next to "Zephyrine Systems", "Junco Labs") → that name's leading form."""
    out = {}
    for name in names:
        words = name.split(" ")
        lead = 1 if words[0] in ("The", "the") else 0  # "The Dutch Junco Labs company"
        for n in (lead + 2, lead + 1):
            head, rest = " ".join(words[lead:n]), " ".join(words[n:])
            if len(words) <= n or head not in _place_words() or name.lower() in known_companies():
                continue
            if any(o != name and (o == rest or o.startswith(rest + " ")) for o in names):
                out[name] = rest
                break
    return out


#: "a data center in X", "a former paper mill in X", "near X", "the town of X": X is a place.
_SITE_IN = re.compile(
    r"\b(?:(?:mill|site|campus|cent(?:er|re)|hall|facility|plant|park|region|based|located|headquartered|"
    r"town|city|village|municipality)\s+(?:in|of)|near|outside)\s+$"
)


def region_towns(names: set[str], text: str) -> set[str]:
    """Unknown names the article writes as a town with its region somewhere ("in Kajaani, Finland"):
    a place in every sentence of the article, also where the region is left out ("rents from Kajaani")."""
    out = set()
    for name in names:
        if " " in name or name.lower() in known_companies():
            continue
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            if town_of_region(text[m.end() : m.end() + 40]) or _SITE_IN.search(
                text[max(0, m.start() - 40) : m.start()]
            ):
                out.add(name)
                break
    return out


def common_phrases(names: set[str], text: str) -> set[str]:
    """Capitalised names the article also writes in lower case ("Total AI" … "total AI capacity",
    "Strategic Scale" … "strategic scale"): a headline's or a heading's words, not a company. Only
    unknown names of two or more plain words are tested; a company's name is not written in lower case."""
    out = set()
    for name in names:
        words = name.split(" ")
        if len(words) < 2 or name.lower() in known_companies() or not all(w.isalpha() for w in words):
            continue
        if not any(w.istitle() for w in words):
            continue
        low = " ".join(w[0].lower() + w[1:] if w.istitle() else w for w in words)
        if low in text and re.search(r"(?<![\w-])" + re.escape(low) + r"(?![\w-])", text):
            out.add(name)
    return out


#: A legal defined term given with "the": 'a lease agreement (the "Lease")', '(the "Commencement Date")'.
_THE_DEFINED = re.compile(r"\((?:[^()]{0,60}?\bor\s+)?the\s+[\"“]([^\"”()]{1,40})[\"”]\s*\)")


def document_labels(names: set[str], text: str) -> set[str]:
    """Defined terms that label a document, date or role rather than a company: a press release
    defines a company bare ('("Acme")'), and 'the "Lease"' or 'the "Commencement Date"' after a
    common phrase. A term defined right after a company's name ('Acme LLC (the "Guarantor")',
    'Acme ("Acme" or the "Tenant")') stays: it is that company's alias."""
    out = set()
    for m in _THE_DEFINED.finditer(text):
        term = m.group(1).strip()
        if term not in names or term.lower() in known_companies():
            continue
        inside = text[m.start() + 1 : m.start(1)]
        if re.search(r"[\"“][^\"”]+[\"”]\s*(?:,\s*)?or\b", inside):
            continue  # '("Acme" or the "Tenant")': the company's own definitions
        before = re.sub(r",?\s+(?:Inc|Corp|Ltd|LLC|plc|AG|SE|N\.V|S\.A|GmbH)\.?\s*$", "", text[: m.start()])
        before = before.rstrip()
        if any(before.endswith(n) for n in names if n != term):
            continue  # 'Tolland Holdings LLC (the "Guarantor")': an alias of the name before it
        out.add(term)
    return out


_SPEAKER_LINE = re.compile(r"^\s*([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,2})\s*\(([^()\n]{2,60})\)\s*:", re.M)


def speaker_names(text: str) -> set[str]:
    """Speakers of a call transcript or interview ("Leah Dorsey (Northfield Securities): …"), with
    their first and last names ("Sure, Leah."), and the outside firm a speaker is labelled with (an
    analyst's broker): never parties. A label that is a job title names no firm."""
    out = set()
    for m in _SPEAKER_LINE.finditer(text):
        name, label = m.group(1), m.group(2).strip()
        words = name.split(" ")
        if name.lower() in known_companies() or any(w in name_tails() for w in words):
            continue  # "Brightwater Cloud (BWCL): …": a company and its ticker, not a speaker
        if re.fullmatch(r"(?:[A-Za-z]+\s*:\s*)?[A-Z][A-Z0-9.]{0,6}", label):
            continue
        out |= {name, words[0], words[-1]}
        if not is_person_by_title("", "", ", " + label) and label.lower() not in known_companies():
            out.add(label)
    return out


def owner_persons(doc: Any) -> set[str]:
    """People named as a company's owner ("Elon Musk's xAI"), with their surnames: the headline's
    "Musk's xAI" is the same person, never a party."""
    out = set()
    for a, b in person_owner_spans(doc):
        name = re.sub(r"\s*(?:'s|’s)\s*$", "", doc.text[a - doc[0].idx : b - doc[0].idx]).strip()
        out.add(name)
        if name.split(" ")[-1].lower() not in known_companies():  # "Michael Dell's …" keeps Dell
            out.add(name.split(" ")[-1])
    return out


def title_persons(doc: Any) -> set[str]:
    """People named next to a job title in a parsed sentence, with their surnames: later bare
    mentions ("Roe said", "Jane Roe added") are the same person, never a party."""
    text, out = doc.text, set()
    for ent in doc.ents:
        if ent.label_ not in ENT_LABELS:
            continue
        a, b, _ = extend_name(doc, ent.start, ent.end)
        name = canonical_name(text[a:b])
        if name and name.lower() not in known_companies() and is_person_by_title(name, text[:a], text[b:]):
            words = [w for w in name.split(" ") if w[:1].isupper()]
            lead = person_title_res()[2]
            while len(words) > 1 and lead.match(" ".join(words)):
                words.pop(0)  # "Managing Director Jane Roe" → "Jane Roe"
            out.add(" ".join(words))
            if len(words) >= 2 and words[-1].lower() not in known_companies():
                out.add(words[-1])  # but "Michael Dell … Dell will supply": the surname is a company
    return out


@lru_cache(maxsize=1)
def _made_by() -> re.Pattern[str]:
    """ "the game studio behind X", "the maker of X": a maker noun, then the name of what it makes."""
    nouns = "|".join(re.escape(n) for n in sorted(maker_nouns(), key=len, reverse=True))
    of_nouns = word_alternation("names", "maker_of_nouns")
    return re.compile(
        rf"\b[Tt]he\s+(?:[a-z][\w-]*\s+){{0,2}}(?:(?:{nouns})s?\s+behind|(?:{of_nouns})s?\s+of)\s+"
        r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})"
    )


def product_names(names: set[str], text: str) -> set[str]:
    """Names the article gives as something a maker makes ("the studio behind Ironwake" → Ironwake):
    a product, game or model, so never a party of a deal. Known companies are kept."""
    out = set()
    for m in _made_by().finditer(text):
        name = m.group(1)
        if name in names and name.lower() not in known_companies():
            out.add(name)
    return out
