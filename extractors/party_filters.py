"""Is a capitalised span a deal party? Filters that drop people, products, places and the rest.

A candidate name is judged by its own words and the text just before and after it: hardware
("H100"), facilities, investors ("Nvidia-backed"), trademarks, tickers, outlets and sources, towns
of a region, people by their titles, and products by their model numbers are not parties.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.companies import canonical_name, kind_of, known_companies
from extractors.vocabulary import building_tails, hardware_family_names, phrase_alternation, role_nouns

HARDWARE_NAME = re.compile(
    r"^(?:[A-Z]{1,3}\d{2,4}[A-Z]{0,2}|(?:GB|MI|TPU|H|B)\s?\d+\w*|TPUs?|GPUs?|"
    + "|".join(hardware_family_names())
    + r")$"
)


_HARDWARE_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:(?:latest|newest|new|next-generation|flagship|advanced|top-end|high-end|"
    r"[A-Z]{1,3}\d{2,4}\w*|GB\d+\w*|Blackwell|Rubin|Hopper|Vera|Grace|H\d+\w*|B\d+\w*|MI\d+\w*|Trainium\d?)\s+)*"
    r"(?:chips?|GPUs?|TPUs?|accelerators?|processors?|silicon|graphics|[A-Z]{1,3}\d{2,4}\w*|GB\d+\w*|"
    r"Blackwell|Rubin|Hopper|H\d{3}s?|B\d{3}s?|MI\d{3}\w*|systems?\b|hardware|servers?|clusters?\b|superchips?|"
    r"generation\b|line-?up\b|family\b|product\s+line\b)",
)


_FACILITY_AFTER = re.compile(
    r"^[\"”’']?\s*\d*\s*(?:data\s*cent(?:er|re)s?|supercomputers?|superclusters?|clusters?|campus(?:es)?|"
    r"facility|facilities|site|project|AI factory)\b",
    re.IGNORECASE,
)


_MODIFIER_AFTER = re.compile(r"^[-–](?:backed|based|owned|led|funded|affiliated|controlled|made)\b")


_INVESTOR_BEFORE = re.compile(
    r"(?i:(?:backed|led|funded|financed|supported|owned)\s+by|backing\s+from|investors?\s+(?:including|such\s+as|like)|"
    r"investment\s+from|according\s+to|told|reported\s+by|founded\s+by|(?:former|ex-)\s*|"
    # "spun out of Acme's research group": a former parent, no party
    r"(?:spun|spin|spins|spinning)\s+(?:out|off)\s+(?:of|from)|spin-?off\s+(?:of|from)|carved\s+out\s+of)"
    r"(?:[\s,]+(?:[A-Z][\w.&'’-]*|and|among|others|other|including|investors))*?[\s,]*(?:and\s+)?$",
)


_TRADEMARK = re.compile(r"\((?:TM|R|SM)\b|[™®℠]")


_TRADEMARK_AFTER = re.compile(r"^[^,;.()]{0,30}(?:\((?:TM|R|SM)\)|[™®℠])")


_TICKER_BEFORE = re.compile(r"\((?:[A-Za-z]+\s*)?:\s*$")


#: "at Halvard Grid's Iowa campus": the owner of a site, not a place.
_OWNER_OF_SITE = re.compile(
    r"^(?:'s|’s|['’])\s+(?:[\w.,-]+\s+){0,4}?(?:campus|site|data\s*cent(?:er|re)|facility|park|(?i:halls?|buildings?|mills?))\b"
)


#: "in Dallas", "near Oslo", "the city of Tromsø": a place. A bare "of" is not one ("a customer of
#: Acme", "the models of Acme"): only a geographic noun before it makes the name after it a place.
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside|at)\s+|\b(?:city|town|port|state|province|county|region|outskirts|suburbs?|"
    r"village|municipality|north|south|east|west|heart|edge)\s+of\s+)$"
)


_PERSON_AROUND = re.compile(
    r"^,?\s*(?:the\s+)?(?:chief|CEO|founder|co-founder|president|analyst|director|head|partner)\b"
    r"(?!(?:\s+(?:executive|officer|financial|operating|technology))*\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2},?"
    r"\s+(?:said|says|told|added|noted|wrote)\b)"
)


@lru_cache(maxsize=1)
def _title_alternation() -> str:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text(encoding="utf-8")
    )
    return phrase_alternation(data.get("person_titles", []))


@lru_cache(maxsize=1)
def person_title_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A name next to a job title is a person: "Chief executive Jane Roe", "CEO John Doe",
    "Jane Roe, the company's chief executive,", "John Doe, an analyst at Mizuho"."""
    t = _title_alternation()
    # The title ends right before the name; "head of sales Jane Roe", but not "head of Acme".
    before = re.compile(
        r"(?i:\b(?:" + t + r")(?<!\bof)(?:\s+of\s+(?!the\b)[a-z][\w&-]*(?:\s+[a-z][\w&-]*)?)?\s*,?\s+$)"
    )
    after = re.compile(
        r"(?i:^\s*,\s*(?:(?:the|an?|former)\s+)?(?:[\w.&-]+(?:'s|’s)\s+)?"
        r"(?:(?!(?:whose|which|who|where|and|or|with|to|for|its|their|said|says)\b)[\w-]+\s+){0,2}?"
        r"(?:" + t + r")\b"
        # "… clusters for Carloway Health, a spokesperson said": the title is the sentence's speaker
        r"(?!\s+(?:said|says|told|added|noted|wrote|confirmed)\b))"
        # … unless the title is the next speaker's: "from Acme, Chief Executive Jane Roe said"
        r"(?!\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2},?\s+(?:said|says|told|added|noted|wrote)\b)"
    )
    leading = re.compile(r"(?i:^(?:" + t + r")\s+[A-Z])")
    return before, after, leading


def is_person_by_title(name: str, before: str, after: str) -> bool:
    """The name stands next to a job title (or starts with one): a person, never a party."""
    b, a, lead = person_title_res()
    return bool(b.search(before[-80:]) or a.match(after) or lead.match(name))


#: Nouns that describe a company just before its name ("AI lab X", "Oslo start-up Y").
NAME_DESCRIPTOR_NOUNS = r"(?:lab|start-?up|developer|firm|company|operator|outfit)"


_QUANTITY_NAME = re.compile(r"\d[\d.,]*\s*(?:[kMG]W|MWh|GWh|[TP]B|K)")


#: "London AI lab Corvid Labs", "Oslo start-up Fennel": a modifier of a descriptor before the real name.
_DESCRIBES_AFTER = re.compile(r"^\s+(?:[a-z][\w-]*\s+){0,2}" + NAME_DESCRIPTOR_NOUNS + r"\s+[A-Z]")


#: "Round Rock, Texas-based": the name is a town whose region makes a company's home.
_PLACE_MODIFIER_AFTER = re.compile(r"^,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?[-–]based\b")


def _is_place(name: str) -> bool:
    """A town, region or country of the places gazetteer ("Prague", "Oklahoma"), never a company."""
    from extractors.places import CITIES, REGIONS

    return name in CITIES or name in REGIONS


def town_of_region(after: str) -> bool:
    """The name is followed by ", <state or country>" ("the Roseland, New Jersey GPU cloud",
    "Kolding, Denmark"): a town, told with its region."""
    from extractors.places import REGIONS

    m = _REGION_AFTER.match(after)
    if not m:
        return False
    words = m.group(1).split(" ")
    return any(
        " ".join(words[:n]).rstrip(".,") in REGIONS or " ".join(words[:n]) in REGIONS for n in (1, 2, 3)
    )


_REGION_AFTER = re.compile(r"^,\s+((?:[A-Z][\w.]*)(?:\s+[A-Z][\w.]*){0,2})")


_OWNER_AFTER = re.compile(r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|startup|venture)\b")


_SOURCE_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:calculations?|estimates?|sources)\b|"
    # "Bloomberg reported", but not "Nebius reported third-quarter revenue" (a company's results).
    r"^\s+(?:reports?|reported)\b(?!\s+(?:[\w$.,%-]+\s+){0,3}?(?:revenues?|sales|earnings|results|profits?|"
    r"losses|loss|income|growth|bookings|backlog)\b)|"
    # "Gridline Journal values the contract at $4.5 billion": an outlet or analyst sizing the deal.
    r"^\s+(?:values|valued|estimates|estimated|puts|put|pegs|pegged|reckons|calculates|calculated)\s+"
    r"(?:the\s+|that\s+|this\s+)?(?:[\w-]+\s+){0,2}?(?:contract|deal|agreement|pact|lease|order|arrangement|value|total)\b"
)


def person_owner_spans(doc: Any) -> list[tuple[int, int]]:
    """Spans of "First Last's " before another name ("Zed Corrin's Quillon"): a person named as the
    owner or founder of the company after the possessive. The tagger must call the owner a PERSON and
    the owner must look like a personal name (two or three plain capitalised words, none a company
    word such as "AI" or "Labs", not a known company), so "Acme Cloud's Nimbus unit" is untouched."""
    out = []
    for tok in doc:
        if tok.tag_ != "POS" or tok.i + 1 >= len(doc) or tok.i < 2:
            continue
        nxt = doc[tok.i + 1]
        if not (nxt.text[:1].isupper() or any(c.isupper() for c in nxt.text[1:])):
            continue
        i = tok.i
        while i > 0 and tok.i - i < 3 and doc[i - 1].is_title and doc[i - 1].is_alpha:
            i -= 1
        words = [t.text for t in doc[i : tok.i]]
        if len(words) < 2 or any(w in name_tails() or w.lower() in _descriptor_set() for w in words):
            continue
        if canonical_name(" ".join(words)) is None or " ".join(words).lower() in known_companies():
            continue
        if any(e.label_ == "PERSON" and e.start <= i and e.end >= tok.i for e in doc.ents):
            out.append((doc[i].idx, tok.idx + len(tok.text) + len(tok.whitespace_)))
    return out


@lru_cache(maxsize=1)
def name_tails() -> frozenset[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    return frozenset(data["name_rules"]["tails"])


@lru_cache(maxsize=1)
def _descriptor_set() -> frozenset[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    return frozenset(w.lower() for w in data["name_rules"]["descriptor_words"])


#: An owner's article before a name, and a building word after it (a verb "building" follows no "its").
_OWNED_BEFORE = re.compile(
    r"(?:\b(?:its|their|the)|\w(?:'s|’s|s'|s’))\s+(?:(?-i:[a-z])[\w-]*\s+){0,2}$", re.IGNORECASE
)
_BUILDING_AFTER = re.compile(r"^\s+(?:halls?|buildings?|wing|towers?)\b")


def keep_name(text: str, start: int, end: int, raw: str, known: bool) -> bool:
    name = canonical_name(raw)
    if not name or not any(c.isupper() for c in name[:3]) and not known:
        return False
    if HARDWARE_NAME.match(name) or _QUANTITY_NAME.fullmatch(name):
        return False  # "GB200", "4MW": hardware or a quantity the tagger made a name
    before, after = text[:start], text[end:]
    if _TRADEMARK.search(raw) or _TRADEMARK_AFTER.match(after):
        return False  # "the Essential Cloud for AI(TM)": a slogan or product mark, not a company
    if _TICKER_BEFORE.search(before[-12:]) or (
        raw.isupper() and before.endswith("(") and after[:1] in (")", ",")
    ):
        return False  # "(NYSE: AMBL)": a ticker, aliased to the name before it
    if _OWNER_AFTER.match(after) and not known:
        return False  # "Dana Holt's company": the owner, not a party
    if _MODIFIER_AFTER.match(after) or _INVESTOR_BEFORE.search(before) or _SOURCE_AFTER.match(after):
        return False
    if not known and (
        _PLACE_MODIFIER_AFTER.match(after)
        or _is_place(name)
        or _DESCRIBES_AFTER.match(after)
        or town_of_region(after)
    ):
        return False  # "the Round Rock, Texas-based maker", "Prague start-up Brnik Labs": a place
    kind = kind_of(name) if known or name.lower() in known_companies() else None
    if kind in ("chipmaker", "hardware") and _HARDWARE_AFTER.match(after):
        return False  # "Nvidia GB300 chips": the vendor of the hardware, not a party
    if not known and _APPOSITIVE_THE.search(before[-8:]) and _APPOSITIVE_NOUN_AFTER.match(after):
        return False  # "Alpenstrom Compute, the Ticino GPU cloud, …": a place describing the name before
    if not known and _THE_BEFORE.search(before[-5:]) and _NOUN_MODIFIER_AFTER.match(after):
        return False  # "The Edinburgh provider is renting …": the name only describes the noun after it
    if not known and _is_product(name, before, after):
        return False  # "its Quill-3 model", "Microsoft's Bing search", "H200 Tensor Core GPUs": a product
    if not known and _FACILITY_AFTER.match(after):
        return False  # "Halden 3 data center": a facility name
    if not known and _OWNED_BEFORE.search(before[-30:]) and _BUILDING_AFTER.match(after):
        return False  # "from its Marlow hall", "the Keld building": a building of its owner
    if not known and name.split(" ")[-1] in building_tails():
        return False  # "Penruddock Mill": a named building, not its owner
    if not known and name.lower() in role_nouns() and not before.strip(" -–—•*\t"):
        return False  # "- Landlord of the mill building: …": a bullet's role label (a defined "the Customer" stays)
    if (
        not known
        and _PLACE_BEFORE.search(before[-20:])
        and not re.search(r"\s(?:AI|Labs?|Compute|Cloud)$", name)
        and not _OWNER_OF_SITE.match(after)
    ):
        return False  # "in Dallas", "near Oslo"
    if _PERSON_AROUND.match(after) or re.search(r"(?:CEO|chief executive|founder|analyst)\s+$", before):
        return False
    if (
        not known
        and _SPEAKER_AFTER.match(after)
        and not before.strip()
        and not any(w in name_tails() for w in name.split(" "))
    ):
        return False  # "Leah Dorsey (Northfield Securities): …": a speaker in a transcript
    if is_person_by_title(name, before, after):
        return False  # "Chief executive Jane Roe said …", "Jane Roe, the company's CFO,": a person
    # A lone capitalised first word of the sentence that the tagger made a proper noun.
    return not (start == 0 and " " not in name and not known and raw.lower() in _COMMON_STARTERS)


_MODEL_NUMBER = re.compile(r"[A-Z][a-z]+-\d+(?:\.\d+)?[a-z]?")


_TRAINED_BEFORE = re.compile(
    r"\b(?:train(?:s|ed|ing)?|fine-tun\w+|releas\w+|launch\w+|serv(?:e|es|ed|ing))\s+"
    r"(?:(?:its|the|their|upcoming|new|next|future|latest|next-generation)\s+){0,2}$",
    re.I,
)


#: "Leah Dorsey (Northfield Securities): …" — but not "Acme Cloud (ACME): …", a company and its ticker.
_SPEAKER_AFTER = re.compile(r"^\s*\((?!(?:[A-Za-z]+\s*:\s*)?[A-Z][A-Z0-9.]{0,6}\))[^()]{2,60}\)\s*:")


_APPOSITIVE_THE = re.compile(r"\w,\s+the\s+$")


_APPOSITIVE_NOUN_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:cloud|neocloud|provider|operator|company|firm|start-?up|lab|developer|maker|"
    r"landlord|hyperscaler|group|giant|miner|specialist)\b"
)


_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


_NOUN_MODIFIER_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+)?(?:provider|operator|company|firm|start-?up|developer|group|giant|maker|landlord|"
    r"supplier|vendor|outfit|business)\b"
)


#: An owner just before a product name: "its ", "their ", "Acme's AI-driven ".
_OWNER_BEFORE = re.compile(r"(?:\b(?:its|their|his|her)|(?:'s|’s))\s+(?:[\w-]+\s+){0,2}$", re.I)


#: A chip model or vendor just before a name that goes on to a hardware noun: "NVIDIA H200 Tensor Core GPUs".
_CHIP_BEFORE = re.compile(r"(?:\b[A-Z]{1,3}\d{2,4}\w*|\bGB\d+\w*)\s+$")


_GPU_NOUN_AFTER = re.compile(r"^\s+(?:GPUs?|chips?|accelerators?|superchips?|processors?|graphics)\b", re.I)


@lru_cache(maxsize=1)
def _product_after() -> re.Pattern[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    nouns = sorted(data["name_rules"]["product_nouns"], key=len, reverse=True)
    return re.compile(r"^(?:-[\w.]+)?\s+(?:" + "|".join(re.escape(n) for n in nouns) + r")\b", re.I)


def _is_product(name: str, before: str, after: str) -> bool:
    """A product or model rather than its maker: a product noun after the name, with an owner before
    it or a model number in it; or a product line between a chip model and "GPUs"."""
    if _GPU_NOUN_AFTER.match(after) and _CHIP_BEFORE.search(before[-20:]):
        return True
    if _MODEL_NUMBER.fullmatch(name) or (re.search(r"\d", name) and _TRAINED_BEFORE.search(before[-20:])):
        return True  # "Gripper-2", "trained Quill 3 on …": a model, not its developer
    if not _product_after().match(after):
        return False
    return bool(
        _OWNER_BEFORE.search(before[-40:]) or re.search(r"\d", name) or _TRAINED_BEFORE.search(before[-40:])
    )


_COMMON_STARTERS = frozenset(
    [
        "previously",
        "meanwhile",
        "however",
        "details",
        "under",
        "according",
        "thus",
        "now",
        "separately",
        "both",
        "compute",
    ]
)
