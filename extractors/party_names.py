"""Finding company names in a sentence, none trusted alone.

Names come from several weak sources: the gazetteer SpanRuler, the NER (any of
ORG/PERSON/GPE/PRODUCT, since the small model mislabels companies), and runs of proper nouns from
the tagger, so invented companies are found without any list. Each candidate then passes the
filters of extractors.party_filters.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.companies import not_party_names
from extractors.literal_prefilter import names_alternation
from extractors.party_filters import HARDWARE_NAME, NAME_DESCRIPTOR_NOUNS, keep_name, person_owner_spans
from extractors.vocabulary import headline_verbs, role_nouns, unit_words

ENT_LABELS = frozenset({"ORG", "PERSON", "GPE", "PRODUCT", "FAC", "WORK_OF_ART", "LOC"})


#: "CALGARY, June 11 (Northline Newswire) -", "SAN JOSE, Calif., Aug 4 (Wire) -", "OSLO, Norway, July 8, 2026 --"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"


DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]+|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)?,?\s+"
    r"(?:" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+" + _MONTH + r"(?:\s+\d{4})?)?\s*"
    r"(?:\([^)]{1,60}\)|/[^/\n]{1,40}/)?\s*(?:--|[-–—](?=\s)|[—–])\s*"
    # "NEW YORK--(BUSINESS WIRE)--", and a date first: "Nov 3 (Reuters) -"
    r"|^(?:[A-Z][A-Z.'’ -]+(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)*)?\s*--\([^)]{1,40}\)--\s*"
    r"|^" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?\s*\([^)]{1,60}\)\s*(?:--|[-–—])\s*"
)


@lru_cache(maxsize=1)
def _run_breakers() -> frozenset[str]:
    """Words that end a run of capitalised tokens (verbs and nouns of Title-Case headlines)."""
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    return frozenset(w.lower() for w in data["name_rules"]["run_breakers"])


_INNER_DESCRIPTOR = re.compile(
    r"(?:[A-Z][\w.-]*\s+){1,3}(?:[a-z][\w-]*\s+)?" + NAME_DESCRIPTOR_NOUNS + r"\s+(?=[A-Z])"
)


@dataclass
class CompanyMention:
    """A company name in a sentence: raw text and absolute offsets in Article.text."""

    text: str
    start: int
    end: int
    known: bool = False  # matched the gazetteer


def find_companies(doc: Any, offset: int) -> list[CompanyMention]:
    """Company mentions in a parsed sentence ``doc`` whose text starts at ``offset`` in the article."""
    text = doc.text
    dateline = DATELINE.match(text)
    skip_until = dateline.end() if dateline else 0
    spans: list[tuple[int, int, bool]] = []
    for span in doc.spans.get("companies", []):
        spans.append((span.start_char, span.end_char, True))
    for ent in doc.ents:
        if ent.label_ in ENT_LABELS:
            spans.append(extend_name(doc, ent.start, ent.end))
    run: list[Any] = []
    for tok in list(doc) + [None]:
        if tok is not None and _name_token(tok, bool(run)):
            run.append(tok)
        elif run:
            spans.append(extend_name(doc, run[0].i, run[-1].i + 1))
            run = []
    mentions = []
    owners = person_owner_spans(doc)
    for start, end, known in _merge_spans(_widen_known(spans, doc)):
        cut = next((r for r in owners if r[0] < end and start < r[1]), None)
        if cut is not None:  # "to Zed Corrin's Quillon": the founder owns the party, is not one
            if end <= cut[1] + 1:
                continue
            start = max(start, cut[1])
        raw = re.sub(r"(?:'s|’s|(?<=s)['’])$", "", text[start:end])  # "Acme's", "Acme Data Centers'"
        if not known:  # "Pellucid GPU (contract)": a trailing hardware or headline word is not the name
            words = raw.split(" ")
            while len(words) > 1 and _deal_object_word(words[-1]):
                words.pop()
            raw = " ".join(words)
        if not known:  # "Tindall for c.$310m. Deliveries", "Marbleway S-1": the name ends before
            raw = _NAME_STOP.split(raw, maxsplit=1)[0]
            words = raw.split(" ")
            while len(words) > 1 and words[-1].lower() in _filing_words():
                words.pop()
            raw = " ".join(words)
        inner = None if known else _INNER_DESCRIPTOR.match(raw)
        if inner:  # "Berlin AI lab Pellucid Systems" tagged as one name: the name is after the descriptor
            start += inner.end()
            raw = raw[inner.end() :]
        words = raw.split(" ")
        while not known and len(words) > 1 and _COUNT_WORD.fullmatch(words[-1]):
            words.pop()  # "sell Tamsin AI 20,000 GPUs": the count is not part of the name
            raw = " ".join(words)
        while not known and len(words) > 1 and words[0].lower() in role_nouns():
            start += len(words[0]) + 1  # "Broker Aldermoss": the broker Aldermoss, a role is no name
            raw = raw[len(words[0]) + 1 :]
            words.pop(0)
        lead = 0 if known else _lead_quantity(words)
        if lead >= len(words):
            continue  # "40 MW": a quantity alone is no name
        if lead:  # "40 MW of Rogart's building": the tagger ran the quantity into the owner's name
            start += len(" ".join(words[:lead])) + 1
            raw = raw[len(" ".join(words[:lead])) + 1 :]
            words = words[lead:]
        while len(words) > 1 and words[0].lower() in _CALENDAR_WORDS:
            start += len(words[0]) + 1  # "Monday Acme AI" (the tagger ran a weekday into the name)
            raw = raw[len(words[0]) + 1 :]
            words.pop(0)
        end = start + len(raw)
        if start < skip_until:
            continue
        for a, b in _split_pair(text, start, end):
            if keep_name(text, a, b, text[a:b], known):
                mentions.append(CompanyMention(text[a:b], offset + a, offset + b, known))
    return mentions


_NUMBER = re.compile(r"\d[\d.,]*")


def _lead_quantity(words: list[str]) -> int:
    """How many leading words are a quantity and its preposition ("40 MW of"): no name begins so."""
    n = 0
    while n < len(words) and (words[n] in unit_words() or _NUMBER.fullmatch(words[n])):
        n += 1
    if not any(w in unit_words() for w in words[:n]):
        return 0  # a number alone may begin a name ("42 Labs")
    while n < len(words) and words[n].islower():
        n += 1
    return n


#: Where a tagged name runs on past its end: a preposition, or a full stop before the next sentence.
_NAME_STOP = re.compile(
    r"\s+(?:for|to|from|with|at|in|on|by|under|after|before|over|via|said|says)\s+|(?<=[a-z0-9]{2})\.\s"
)


@lru_cache(maxsize=1)
def _filing_words() -> frozenset[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text(encoding="utf-8")
    )
    return frozenset(w.lower() for w in data.get("filings", []))


_PAIR = re.compile(r"^([A-Z][\w.&]{2,}(?: [A-Z][\w.&]*)*)(?:[-–/]| / )([A-Z][\w.&]{2,}(?: [A-Z][\w.&]*)*)$")


_X_PAIR = re.compile(r"^([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3}) [x×] ([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3})$")

#: "Snaith Bio and Bewcastle Labs" (a list tagged as one name): two names of two or more capitalised
#: words each; "Marks and Spencer" (one word a side) stays one name. "Acme Cloud: Globex" (a
#: headline's colon run into a name) is two names as well.
_AND_PAIR = re.compile(
    r"^([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){1,3})(?: and |: )([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3})$"
)


_PAIR_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:deal|agreement|contract|pact|partnership|order|lease|tie-up)s?\b", re.I
)


_DEAL_OBJECT_WORDS = frozenset(
    [
        "deal",
        "deals",
        "contract",
        "contracts",
        "pact",
        "agreement",
        "agreements",
        "lease",
        "leases",
        "order",
        "chips",
        "capacity",
    ]
)


def _deal_object_word(word: str) -> bool:
    """A word naming what was agreed ("GPU", "Contract") or a headline verb, never the last word of a
    company name."""
    low = word.lower()
    return low in _DEAL_OBJECT_WORDS or low in headline_verbs() or bool(HARDWARE_NAME.match(word))


def _split_pair(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "the Hooli-Vandelay cloud deal" names two companies, not one."""
    x = _X_PAIR.match(text[start:end])
    if x:  # "Orrin Cloud x Pellmark AI": a roundup's item header names two companies
        return [(start, start + x.end(1)), (start + x.start(2), end)]
    both = _AND_PAIR.match(text[start:end])
    if both and (": " in both.group(0) or " " in both.group(2)):
        return [(start, start + both.end(1)), (start + both.start(2), end)]
    m = _PAIR.match(text[start:end])
    if not m:
        return [(start, end)]
    # "the Acme-Globex GPU contract": words of what was agreed are not part of the second name.
    second = m.group(2).split(" ")
    while len(second) > 1 and _deal_object_word(second[-1]):
        second.pop()
    end2 = start + m.start(2) + len(" ".join(second))
    if _PAIR_AFTER.match(text[end2:]):
        return [(start, start + m.end(1)), (start + m.start(2), end2)]
    if " / " in text[start:end] and re.match(r"\s*[.:](?:\s|$)", text[end:]):
        # "2) Orrin Cloud / Dovecote AI. Dovecote signed …": a roundup item's header names two companies
        return [(start, start + m.end(1)), (start + m.start(2), end)]
    return [(start, end)]


_COUNT_WORD = re.compile(r"\d{1,3}(?:,\d{3})+|\d{5,}|\d+(?:\.\d+)?%")


_CALENDAR_WORDS = frozenset(
    [
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "on"),
        *("january", "february", "march", "april", "june", "july", "august", "september"),
        *("october", "november", "december"),
    ]
)


#: Penn tags of proper nouns (the attribute ruler that maps them to PROPN is not run: it cost a
#: quarter of the parse).
_PROPER_TAGS = frozenset({"NNP", "NNPS"})


def _name_token(tok: Any, inside: bool) -> bool:
    """A proper noun (or "&" inside a name) that is no run breaker and no hardware name. The tag is
    read first: most tokens are no proper noun, and then the word lists need not be asked."""
    text = tok.text
    if tok.tag_ not in _PROPER_TAGS and not (inside and text == "&"):
        return False
    return not (text.lower() in _run_breakers() or HARDWARE_NAME.match(text))


def extend_name(doc: Any, i: int, j: int) -> tuple[int, int, bool]:
    """Widen a name over neighbouring capitalised words the tagger missed ("Wayne" before
    "Robotics"), and trim lower-case words at its edges ("Tyrell Power AS and")."""
    while i > 0 and _capital_word(doc[i - 1]):
        i -= 1
    if j > i + 1 and doc[j - 1].tag_ == "POS":
        j -= 1  # "Halvard Grid's" (tagged as one entity): the owner ends at the possessive …
    else:  # … and never runs on into what it owns ("Halvard Grid's Marlow campus")
        while j < len(doc) and _capital_word(doc[j]):
            j += 1
    while j > i + 1 and doc[j - 1].is_lower:
        j -= 1
    while i < j - 1 and doc[i].is_lower:
        i += 1
    return (doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text), False)


def _capital_word(tok: Any) -> bool:
    return (
        tok.is_title
        and tok.is_alpha
        and tok.text.lower() not in _run_breakers()
        and tok.text.lower() not in not_party_names()
        and not tok.is_stop
    )


def find_known_names(
    sentence_text: str, offset: int, names: re.Pattern[str] | None, known: bool = False
) -> list[CompanyMention]:
    """Names already found elsewhere in the article, matched as strings (no parse needed).

    This catches what the tagger misses (a name as the first word, an ALL-CAPS headline) and
    lets sentences that were never parsed still be read for roles and values.
    """
    if names is None:
        return []
    out = []
    dateline = DATELINE.match(sentence_text)
    for m in names.finditer(sentence_text):
        if dateline and m.start() < dateline.end():
            continue
        if keep_name(sentence_text, m.start(), m.end(), m.group(), known):
            out.append(CompanyMention(m.group(), offset + m.start(), offset + m.end(), known))
    return out


def names_pattern(names: set[str], upper: bool = False) -> re.Pattern[str] | None:
    """One regex for a set of names, longest first, word-bounded."""
    if not names:
        return None
    return re.compile(names_alternation(names), re.IGNORECASE if upper else 0)


def merge_mentions(found: list[CompanyMention], extra: list[CompanyMention]) -> list[CompanyMention]:
    """Add string-matched names that do not overlap names the parser already found."""
    out = list(found)
    for e in extra:
        if all(e.end <= f.start or e.start >= f.end for f in out):
            out.append(e)
    return sorted(out, key=lambda m: m.start)


def _widen_known(spans: list[tuple[int, int, bool]], doc: Any) -> list[tuple[int, int, bool]]:
    """A known name that ends a longer run of proper nouns is the tail of another company's name:
    "from Sagebrush Digital Realty" names Sagebrush Digital Realty, not Digital Realty. The run wins
    when it holds that one known name, at its end, after capitalised words that are no place and no
    known company themselves (so "Microsoft OpenAI" stays two names)."""
    from extractors.companies import kind_of
    from extractors.places import CITIES, REGIONS

    text, stop = doc.text, headline_verbs() | role_nouns()

    known = [s for s in spans if s[2]]
    out = list(spans)
    for k in known:
        runs = [u for u in spans if not u[2] and u[0] < k[0] and u[1] == k[1]]
        if not runs:
            continue
        run = max(runs, key=lambda u: k[0] - u[0])
        head = text[run[0] : k[0]].split()
        inside = [o for o in known if run[0] <= o[0] and o[1] <= run[1]]
        if (
            len(inside) == 1
            and 0 < len(head) <= 2  # "Sagebrush", not a Title Case headline run ("Signs Lease With")
            and all(
                len(w) > 2  # a word, not a unit ("$300M AMD")
                and w[:1].isupper()
                and w.isalpha()
                and w.lower() not in stop
                and not doc.vocab[w.lower()].is_stop
                for w in head
            )
            and not any(kind_of(w) or w in CITIES or w in REGIONS for w in head)
        ):
            out.remove(k)
            out = [u for u in out if u != run] + [(run[0], run[1], False)]
    return out


def _merge_spans(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Overlapping candidates → one: a gazetteer span wins, else the longest."""
    spans = sorted(spans, key=lambda s: (not s[2], -(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int, bool]] = []
    for s in spans:
        if all(s[1] <= t[0] or s[0] >= t[1] for t in taken):
            taken.append(s)
    return sorted(taken)
