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

from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import make_fact

VERSION = "1"
_GAZ_DIR = Path(__file__).parent / "gazetteers"
_GAZ = tomllib.loads((_GAZ_DIR / "places.toml").read_text("utf-8"))


def _company_names() -> set[str]:
    """Known company names (the parties' gazetteer), never facility names by themselves."""
    try:
        data = tomllib.loads((_GAZ_DIR / "companies.toml").read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return set()
    names: set[str] = set()
    for c in data.get("company", []):
        names.add(str(c.get("name", "")))
        names.update(str(a) for a in c.get("aliases", []))
    return {n for n in names if n}


REGIONS: dict[str, str] = {**_GAZ["us_states"], **_GAZ["provinces"], **_GAZ["countries"]}
CITIES: set[str] = set(_GAZ["cities"]["names"])
_STANDALONE = {
    **{k: v for k, v in REGIONS.items() if not k.endswith(".") or len(k) > 4},
    **{c: c for c in CITIES},
}
_COMPANIES = _company_names()
_STOP = set(_GAZ["facility"]["stop"]) | _COMPANIES


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_CAPWORD = r"(?:[A-Z][\w’'.-]*[\w]|[A-Z]|\d{1,3})"
_NAME = rf"{_CAPWORD}(?:\s+{_CAPWORD}){{0,3}}"
_REGION = _alt(REGIONS)
_NOUN = "(?i:" + _alt(_GAZ["facility"]["nouns"]) + ")"

_CITY_REGION = re.compile(
    rf"(?<![\w-])(?P<city>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){{0,2}}),\s+(?P<region>{_REGION})(?![\w-])(?!\s*-?based)"
)
_PREP_PLACE = re.compile(
    rf"(?<![\w-])(?P<prep>in|near|outside(?:\s+of)?|at|around|located\s+in|sited\s+in|built\s+in)\s+"
    rf"(?:the\s+(?:town|city|village|state|province)\s+of\s+)?(?P<place>{_alt(_STANDALONE)})(?![\w-])(?!\s*-?based)"
)
_PLACE_NOUN = re.compile(rf"(?<![\w-])(?P<place>{_alt(CITIES)})\s+(?={_NOUN}\b)")
_HQ = re.compile(r"(?:based|headquartered|HQ|offices?|founded|incorporated|listed)\s+(?:\w+\s+)?$", re.I)

_FACILITY = re.compile(
    rf"(?P<pre>(?:\b(?:the|its|their|a|an|at)\s+|[A-Z][\w-]*['’]s\s+)?)['‘“\"]?(?P<name>{_NAME})['’”\"]?\s+(?P<noun>{_NOUN})(?![\w-])"
)
_FACILITY_CALLED = re.compile(
    rf"(?P<noun>{_NOUN})\s*,?\s+(?:called|named|known\s+as|dubbed|nicknamed)\s+['‘“\"]?(?P<name>{_NAME})['’”\"]?"
)


def _clean_name(name: str) -> str | None:
    """Drop leading stop words ("The", "New", a company name); None when nothing name-like is left."""
    words = name.split()
    while words and (words[0] in _STOP or words[0].rstrip("’'s") in _STOP):
        words.pop(0)
    if not words:
        return None
    joined = " ".join(words)
    if joined in _STOP or joined in REGIONS or joined in CITIES or all(w.isdigit() for w in words):
        return None
    if any(w in _STOP for w in words):
        return None
    return joined


def place_facts(sentence: Sentence, ctx: ArticleContext | None = None) -> list[Fact]:
    """``facility`` and ``location`` facts stated in one sentence."""
    text = sentence.text
    facts: list[Fact] = []
    loc_spans: list[tuple[int, int]] = []

    for m in _CITY_REGION.finditer(text):
        city = _clean_name(m.group("city")) if m.group("city") not in CITIES else m.group("city")
        if city is None or _HQ.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        city_start = m.start("city") + m.group("city").index(city.split()[0])
        region_key = " ".join(m.group("region").split())
        region = REGIONS.get(region_key, region_key)
        value = f"{city}, {region}"
        attrs = {"city": city, "region": region}
        facts.append(
            make_fact(
                sentence, "location", value, (city_start, m.end()), "places.city_region", 0.85, attrs, VERSION
            )
        )
        loc_spans.append((city_start, m.end()))

    for m in _PREP_PLACE.finditer(text):
        s, e = m.start("place"), m.end("place")
        if any(a <= s < b for a, b in loc_spans) or _HQ.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        key = " ".join(m.group("place").split())
        is_city = key in CITIES
        value = key if is_city else REGIONS.get(key, key)
        conf = 0.75 if is_city else 0.6
        attrs = {"city": value} if is_city else {"region": value}
        facts.append(
            make_fact(sentence, "location", value, (s, e), "places.prep_place", conf, attrs, VERSION)
        )
        loc_spans.append((s, e))

    for m in _PLACE_NOUN.finditer(text):
        s, e = m.start("place"), m.end("place")
        if any(a <= s < b for a, b in loc_spans):
            continue
        value = " ".join(m.group("place").split())
        facts.append(
            make_fact(sentence, "location", value, (s, e), "places.place_noun", 0.6, {"city": value}, VERSION)
        )
        loc_spans.append((s, e))

    seen: set[str] = set()
    for rule, pattern in (("places.facility_called", _FACILITY_CALLED), ("places.facility", _FACILITY)):
        for m in pattern.finditer(text):
            name = _clean_name(m.group("name"))
            conf = 0.8
            if (
                name is None
                and m.group("name") in _COMPANIES
                and m.groupdict().get("pre", "").strip() == "the"
            ):
                name, conf = m.group("name"), 0.6  # "the Stargate site": a project named like its company
            if name is None or name in seen:
                continue
            name_start = m.start("name") + m.group("name").index(name)
            if rule == "places.facility":
                value_span = (name_start, m.end("noun"))
                value = " ".join(text[value_span[0] : value_span[1]].split())
                value = re.sub(r"['’”\"]", "", value)
            else:
                value_span = (name_start, name_start + len(name))
                value = name
            if any(a <= name_start < b for a, b in loc_spans):
                continue
            seen.add(name)
            attrs = {"name": name, "noun": " ".join(m.group("noun").split())}
            facts.append(make_fact(sentence, "facility", value, value_span, rule, conf, attrs, VERSION))
    return facts
