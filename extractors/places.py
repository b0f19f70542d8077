"""Facility names and locations → ``facility`` and ``location`` facts.

A facility is a capitalised name followed by a site noun ("its Saltmarsh campus", "the Nimbus 3
supercomputer", "a supercomputer called Nimbus 3"); the value is the name as written, with its
noun when the text gives one. A location is "City, Region" (a region from the gazetteer, so
unknown towns work: "Goodnight, Texas") or a gazetteer place after "in/near/outside". Company
headquarters ("a Texas-based startup", "headquartered in Austin") are not deal locations.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from extractors.date_expressions import MONTHS
from extractors.literal_prefilter import can_match, first_char_guard
from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import clause_around, make_fact
from extractors.vocabulary import phrase_alternation

VERSION = "1"
_GAZ_DIR = Path(__file__).parent / "gazetteers"
_GAZ = tomllib.loads((_GAZ_DIR / "places.toml").read_text("utf-8"))


def _company_names() -> set[str]:
    """Known company names (the parties' gazetteer), never facility names by themselves."""
    from extractors.companies import known_companies

    return {n for e in known_companies().values() for n in (e.name, *e.aliases) if n}


REGIONS: dict[str, str] = {**_GAZ["us_states"], **_GAZ["provinces"], **_GAZ["countries"]}
_COUNTRIES = frozenset(_GAZ["countries"].values())
POSTAL: dict[str, str] = _GAZ["us_postal"]
CITIES: set[str] = set(_GAZ["cities"]["names"])
_STANDALONE = {
    **{k: v for k, v in REGIONS.items() if not k.endswith(".") or len(k) > 4},
    **{c: c for c in CITIES},
}
_COMPANIES = _company_names()
_STOP = set(_GAZ["facility"]["stop"]) | _COMPANIES
_SITE_PARTS = frozenset(_GAZ["facility"]["site_parts"])
_COMPANIES_LOWER = frozenset(n.lower() for n in _COMPANIES)


def _alt(words) -> str:
    return phrase_alternation(words)


_CAPWORD = r"(?:[A-Z][\w.-]*\w|[A-Z]|\d{1,3})"
#: A facility name: starts with a real word ("Nimbus", not "MW" or "200"), may end with a number.
_NAME = rf"[A-Z][a-z][\w.-]*(?:\s+{_CAPWORD}){{0,3}}"
_REGION = _alt(REGIONS)
_NOUN = "(?i:" + _alt(_GAZ["facility"]["nouns"]) + ")"
_ADJ_FOLLOW = _alt(_GAZ["location"]["adjective_followers"])
_PLACE_END = rf"(?![\w$-])(?!\s*-?based)(?!\s+(?:{_ADJ_FOLLOW})\b)"

_CITY_REGION = re.compile(  # behind a lookahead for its first characters: same matches, less CPU
    first_char_guard(
        rf"(?<![\w-])(?P<city>[A-ZÀ-ÖØ-Þ][\w’'.-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'.-]+){{0,2}})"
        rf"(?:,\s+|\s+in\s+the\s+(?:state|province|region)\s+(?:of\s+)?)(?:(?P<region>{_REGION})|(?P<postal>{_alt(POSTAL)})(?![A-Za-z]))"
        rf"{_PLACE_END}"
    )
)
_PREP_PLACE = re.compile(
    rf"(?<![\w-])(?P<prep>in|near|outside(?:\s+of)?|at|around|located\s+in|sited\s+in|built\s+in)\s+"
    rf"(?:the\s+(?:U\.S\.\s+|US\s+)?(?:town|city|village|locality|municipality|state|province|region)\s+(?:of\s+)?)?"
    r"(?:(?:northern|southern|eastern|western|central|north|south|east|west|rural|northeastern|northwestern|southeastern|southwestern)\s+)?"
    rf"(?P<the>the\s+)?(?P<place>{_alt(_STANDALONE)}){_PLACE_END}"
)
_PLACE_NOUN = re.compile(rf"(?<![\w-])(?P<place>{_alt(CITIES)})\s+(?=(?:{_NOUN}|regions?|halls?)\b)")
_PLACE_NOUN_HINT = re.compile(rf"{_NOUN}|regions?|halls?")
_HQ = re.compile(r"(?:based|headquartered|HQ|offices?|founded|incorporated|listed)\s+(?:\w+\s+)?$", re.I)
#: "… contributed reporting from Providence", "filed from Oslo": a reporter's whereabouts.
_BYLINE_BEFORE = re.compile(
    r"\b(?:contributed|contributing|filed|filing)\b[^.;,]{0,40}?\b(?:from|in)\s*$", re.I
)
_COUNTY = re.compile(r"\s(?:County|Parish|Borough|Township)$")
_COMPASS = frozenset(
    ["North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central"]
)
_LOC_PASSING = re.compile(r"(?<![\w-])(?:" + _alt(_GAZ["location"]["in_passing"]) + r")(?![\w-])")
#: "SAN JOSE, Calif., Aug 4 (Wire) -": where the story was filed, not where the deal is.
_DATELINE_AFTER = re.compile(r",?\s*(?:\(|--|—|–|-\s|[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b)")

#: A site code ("ATL4", "NM1"): letters and one or two digits (hardware names have more digits).
_CODE = r"[A-Z]{2,4}\d{1,2}(?![\w-])"
_FACILITY = re.compile(
    rf"(?P<pre>(?:\b(?:the|its|their|a|an|at)\s+|[A-Z][\w-]*['’]s\s+)?)['‘“\"]?(?P<name>{_NAME}|{_CODE})['’”\"]?\s+(?P<noun>{_NOUN})(?![\w-])"
)
_CODE_NAME = re.compile(_CODE)
_CODE_NOUNS = frozenset(["data center", "data centre", "campus", "facility", "site"])
_FACILITY_CALLED = re.compile(
    rf"(?P<noun>{_NOUN})\s*,?\s+(?:called|named|known\s+as|dubbed|nicknamed)\s+['‘“\"]?(?P<name>{_NAME})['’”\"]?"
)
#: Translated copy puts the noun first: "in the campus Hranice Park", "in its data center Vardby".
_FACILITY_APPOSED = re.compile(
    rf"\b(?:[Tt]he|its|their)\s+(?P<noun>campus|installation|facility|data\s+center|data\s+centre|site|supercomputer)\s+(?P<name>{_NAME})"
    r"(?=\s+(?:in|near|at|is|will|has|was)\b|[,.;]|$)"
)
_IN_REGION = re.compile(rf"\s+in\s+(?P<region>{_REGION}){_PLACE_END}")
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish|ic|an)$")
#: One word that only looks like a demonym ("Duncan", "Wuhan"), not one that is ("Norwegian").
_TOWN_LIKE = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?<!ian)(?<!ean)(?<!ese)(?<!ish)")


def _titleish(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _clean_name(name: str) -> str | None:
    """Drop leading stop words ("The", "New", a company name); None when nothing name-like is left."""
    words = name.split()
    while words and words[0] in _STOP:
        words.pop(0)
    if not words:
        return None
    joined = " ".join(words)
    if joined in _STOP or joined in REGIONS or joined in CITIES or all(w.isdigit() for w in words):
        return None
    if any(w in _STOP for w in words) or (len(words) == 1 and _DEMONYM.match(words[0])):
        return None
    return joined


#: Where something other than the deal happened, said right before the place: the stock traded
#: ("shares rose 5% to $129 in New York"), the news was told ("a statement released in Washington",
#: "announced at its AI World event in Las Vegas").
_NOT_SITE_BEFORE = re.compile(
    r"\b(?:shares?|stock|traded|trading|statement|announcement|event|keynote|speech|visit|forum|"
    r"(?:announced|unveiled|revealed)\s+(?:[\w-]+\s+){0,3}?at|released|told\s+reporters|spoke|speaking)\b(?:[^.;,]|[.,](?=\d)){0,50}$",
    re.I,
)


def _loc_attrs(text: str, start: int, end: int, attrs: dict) -> tuple[dict, float]:
    """Flag a location told about another site or the company itself; returns (attrs, conf penalty)."""
    lo, hi = clause_around(text, start, end)
    if _LOC_PASSING.search(text, lo, hi) or _LOC_PASSING.search(text, max(0, start - 60), start):
        return {**attrs, "in_passing": True}, 0.45
    if _NOT_SITE_BEFORE.search(text, max(lo, start - 60), start):
        return {**attrs, "in_passing": True}, 0.45
    if set(attrs) == {"region"} and attrs["region"] in _COUNTRIES:
        # "a data center in Canada": a country alone does not say where the site is
        return {**attrs, "in_passing": True}, 0.45
    return attrs, 0.0


def place_facts(sentence: Sentence, ctx: ArticleContext | None = None) -> list[Fact]:
    """``facility`` and ``location`` facts stated in one sentence."""
    text = sentence.text
    facts = _locations(sentence)
    loc_spans = [(f.start_char - sentence.start, f.end_char - sentence.start) for f in facts]
    facilities = _facilities(sentence, loc_spans)
    for f in facilities:
        # "its Vineland data center in New Jersey": a one-word site name is usually its town.
        name = f.attrs["name"]
        end = f.end_char - sentence.start
        m = _IN_REGION.match(text, end)
        if f.extractor == "places.facility" and " " not in name and m:
            region = REGIONS.get(" ".join(m.group("region").split()), m.group("region"))
            attrs = {"city": name, "region": region, "from_facility": True}
            span = (f.start_char - sentence.start, m.end())
            _add_location(sentence, facts, f"{name}, {region}", span, "places.facility_region", 0.7, attrs)
    return facts + facilities


def _add_location(
    sentence: Sentence,
    out: list[Fact],
    value: str,
    span: tuple[int, int],
    rule: str,
    conf: float,
    attrs: dict,
) -> None:
    attrs, penalty = _loc_attrs(sentence.text, span[0], span[1], attrs)
    out.append(make_fact(sentence, "location", value, span, rule, conf - penalty, attrs, VERSION))


_SEVERAL_AFTER = re.compile(
    r"\s*(?:,\s*|\s+and\s+|\s+or\s+)(?:the\s+)?(?P<next>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)


def _several(text: str, end: int) -> bool:
    """A second known place right after this one ("in Texas and Portugal", "in Texas, Norway")."""
    m = _SEVERAL_AFTER.match(text, end)
    if not m:
        return False
    words = m.group("next").split()
    return any(" ".join(words[:k]) in REGIONS or " ".join(words[:k]) in CITIES for k in (1, 2))


def _locations(sentence: Sentence) -> list[Fact]:
    text = sentence.text
    out: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for m in _CITY_REGION.finditer(text):
        raw = m.group("city")
        # "West Feliciana Parish, Louisiana": a county's name keeps its compass word
        raw = re.split(r"['’]s\s+", raw)[-1]  # "Riot's Rockdale, Texas": the owner is not the town
        city = (
            raw if raw in CITIES or _COUNTY.search(raw) and raw.split()[0] in _COMPASS else _clean_name(raw)
        )
        if city is None and _TOWN_LIKE.fullmatch(raw) and raw not in _STOP and raw not in REGIONS:
            city = raw  # "Duncan, Oklahoma": a word ending like a demonym is a town before its region
        if city is None or _HQ.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        if _BYLINE_BEFORE.search(text, max(0, m.start() - 60), m.start()):
            continue  # "Jane Roe contributed from Providence, Rhode Island": where a reporter was
        if raw.isupper() or (m.start() < 3 and _DATELINE_AFTER.match(text, m.end())):
            continue  # a dateline: where the story was filed
        city_start = m.start("city") + m.group("city").rindex(raw) + raw.index(city.split()[0])
        if m.group("postal"):
            region = POSTAL[m.group("postal")]
        else:
            region_key = " ".join(m.group("region").split())
            region = REGIONS.get(region_key, region_key)
        _add_location(
            sentence,
            out,
            f"{city}, {region}",
            (city_start, m.end()),
            "places.city_region",
            0.85,
            {"city": city, "region": region},
        )
        taken.append((city_start, m.end()))
    for m in _PREP_PLACE.finditer(text):
        s, e = m.start("place"), m.end("place")
        if any(a <= s < b for a, b in taken) or _HQ.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        if _BYLINE_BEFORE.search(text, max(0, m.start() - 60), m.end("prep")):
            continue
        key = " ".join(m.group("place").split())
        is_city = key in CITIES
        if m.group("the") and is_city:
            continue  # "in the Dallas market": a town takes no article ("in the Essonne" does)
        value = key if is_city else REGIONS.get(key, key)
        attrs = {"city": value} if is_city else {"region": value}
        if _several(text, e):
            # "across sites in Texas and Portugal": several places, none of them the deal's one location
            attrs["in_passing"] = True
        _add_location(sentence, out, value, (s, e), "places.prep_place", 0.75 if is_city else 0.6, attrs)
        taken.append((s, e))
    # most sentences lack the hint's words: the literal check first, the search only where it may match
    hint = can_match(_PLACE_NOUN_HINT, text) and _PLACE_NOUN_HINT.search(text)
    for m in _PLACE_NOUN.finditer(text) if hint else ():
        s, e = m.start("place"), m.end("place")
        if any(a <= s < b for a, b in taken):
            continue
        value = " ".join(m.group("place").split())
        _add_location(sentence, out, value, (s, e), "places.place_noun", 0.6, {"city": value})
        taken.append((s, e))
    if not out:
        _unlisted_towns(sentence, out)
    return out


#: A cloud region is named after its town: "in its Bristol region", "Velmora's Incheon region".
_REGION_OF = re.compile(
    r"(?:\b(?:its|their|the)|[A-Z][\w-]*['’]s)\s+(?P<place>[A-ZÀ-Þ][a-zß-ÿ]+(?:\s+[A-ZÀ-Þ][a-zß-ÿ]+)?)"
    r"\s+(?:cloud\s+)?regions?\b"
)
#: A site "in"/"near" a town the gazetteer does not list: "a former paper mill in Kajaani",
#: "its campus near Ennis, County Clare", "a warehouse near Falkirk that it is converting"; power
#: leased there is a site too: "has leased 20 MW in Kettleby to …".
_SITE_IN_TOWN = re.compile(
    r"(?:\b(?:data\s+cent(?:er|re)s?|campus|facility|site|hall|mill|plant|building|warehouse|cluster)"
    r"|\d\s*(?:MW|megawatts))\s+"
    r"(?:in|near|outside)\s+"
    r"(?P<place>[A-ZÀ-Þ][a-zß-ÿ]+(?:\s+[A-ZÀ-Þ][a-zß-ÿ]+)?)(?P<county>,\s+County\s+[A-Z][a-z]+)?"
    r"(?![\w'’-])(?!\s*-?based)"
)


_MORE_PLACES = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*(?:the\s+)?[A-Z]")


def _unlisted_towns(sentence: Sentence, out: list[Fact]) -> None:
    """Towns outside the gazetteer, read only where the words say a site is there (real articles
    name any town; a capitalised word elsewhere is more often a company or a product)."""
    text = sentence.text
    for pattern, rule in ((_REGION_OF, "places.region_town"), (_SITE_IN_TOWN, "places.site_town")):
        for m in pattern.finditer(text):
            place = " ".join(m.group("place").split())
            words = place.split()
            if (
                place in _STOP
                or place in REGIONS
                or any(w in _STOP for w in words)
                or _DEMONYM.match(words[0])
                or words[0].lower() in MONTHS  # "20 MW in March": when, not where
                or words[0] in _SITE_PARTS
                or place.lower() in _COMPANIES_LOWER
            ):
                continue
            if _MORE_PLACES.match(text, m.end()):
                continue  # "data centers in Europe and the United States": several places, not a site
            county = m.groupdict().get("county") or ""
            value = place + county
            _add_location(sentence, out, value, (m.start("place"), m.end()), rule, 0.55, {"city": value})
            return


_NOUN_HINT = re.compile(_NOUN + "|installation")
_OWNER_WORD = re.compile(r"-(?:developed|owned|built|operated|run|backed|based|led|designed)\b")


def _facilities(sentence: Sentence, loc_spans: list[tuple[int, int]]) -> list[Fact]:
    text = sentence.text
    out: list[Fact] = []
    if not (can_match(_NOUN_HINT, text) and _NOUN_HINT.search(text)):
        return out
    seen: set[str] = set()
    titleish: bool | None = None
    rules = (
        ("places.facility_called", _FACILITY_CALLED),
        ("places.facility_apposed", _FACILITY_APPOSED),
        ("places.facility", _FACILITY),
    )
    for rule, pattern in rules:
        for m in pattern.finditer(text):
            noun = " ".join(m.group("noun").split())
            if noun.lower().endswith("s") and noun.lower() != "campus":
                continue  # "the Titan supercomputers", "its data centers": not one site
            if rule == "places.facility" and noun[0].isupper():
                # "Initech Datacenters" is a company; a capitalised noun names a site only in a
                # Title Case headline, and never in the plural.
                if titleish is None:
                    titleish = _titleish(text)
                if not titleish or (noun.lower().endswith("s") and noun.lower() != "campus"):
                    continue
            if _CODE_NAME.fullmatch(m.group("name")) and (
                noun.lower() not in _CODE_NOUNS or not m.groupdict().get("pre", "").strip()
            ):
                continue  # a code names a site only as "its ATL4 data center", "X's NM1 campus"
            if _OWNER_WORD.search(m.group("name")):
                continue  # "the Crusoe-developed data center": who built it, not the site's name
            name = _clean_name(m.group("name"))
            conf = 0.8 if rule != "places.facility_apposed" else 0.65
            if (
                name is None
                and m.group("name") in _COMPANIES
                and m.groupdict().get("pre", "").strip() == "the"
            ):
                name, conf = m.group("name"), 0.6  # "the Stargate site": a project named like its company
            if name is None or name in seen:
                continue
            name_start = m.start("name") + m.group("name").index(name)
            if any(a <= name_start < b for a, b in loc_spans):
                continue
            if rule == "places.facility":
                span = (name_start, m.end("noun"))
                value = re.sub(r"['’”\"]", "", " ".join(text[span[0] : span[1]].split()))
            else:
                span = (name_start, name_start + len(name))
                value = name
            seen.add(name)
            out.append(
                make_fact(
                    sentence, "facility", value, span, rule, conf, {"name": name, "noun": noun}, VERSION
                )
            )
    return out
