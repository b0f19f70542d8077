"""Numbers as news writes them ("1.2", "110,000", "seven", "two-and-a-half", "1.5bn"), shared by
every value extractor, plus the small helpers that turn a match into an evidence-carrying Fact.

Kept in one place so that money, counts, terms and notice periods agree on what "a dozen" or
"3-4" means, and so that every Fact gets absolute offsets the same way.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.models import Fact, Sentence

VERSION = "1"

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}

#: Scale words after a number. Case matters only for the one-letter forms, handled in SCALE_RE.
SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "mil": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "crore": 1e7,
    "crores": 1e7,
    "lakh": 1e5,
    "lakhs": 1e5,
    "tn": 1e12,
    "trn": 1e12,
    "t": 1e12,
}

_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
#: A number written in words: "seven", "twenty-four", "two and a half", "a dozen", "one hundred".
WORD_NUMBER = (
    rf"(?i:(?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS}|{_ONES}|a\s+dozen|dozen|a\s+hundred|one\s+hundred)"
    r"(?:(?:-|\s+)and(?:-|\s+)a(?:-|\s+)half)?)"
)
#: A number written in digits: "110,000", "1.2", "6", ".5".
DIGIT_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
NUMBER = rf"(?:{DIGIT_NUMBER}|{WORD_NUMBER})"
#: Scale word right after a number ("1.5bn", "300 million", "40M"); letter forms need a boundary.
SCALE = (
    r"(?:\s*-?\s*(?i:thousand|million|billion|trillion|crores?|lakhs?)\b"
    r"|\s?(?:bn|bln|mn|mln|mil|tn|trn)\b|\s?[kKmMbBT]\b)"
)

_WORD_RE = re.compile(r"[a-z]+")


def parse_number(text: str) -> float | None:
    """Parse a digit or word number; None when it is not one. Never raises."""
    try:
        t = text.strip().lower().replace("\u2009", "").replace("\xa0", " ")
        if not t:
            return None
        if t[0].isdigit() or t[0] == ".":
            return float(t.replace(",", ""))
        half = 0.5 if re.search(r"and[- ]a[- ]half", t) else 0.0
        t = re.sub(r"(?:-|\s+)and(?:-|\s+)a(?:-|\s+)half", "", t)
        words = [w for w in _WORD_RE.findall(t) if w != "and"]
        if not words:
            return None
        total = 0.0
        for w in words:
            if w not in UNITS:
                return None
            v = UNITS[w]
            if w == "hundred":
                total = (total or 1) * 100
            elif w in ("a", "an"):
                total += 0 if len(words) > 1 else 1
            else:
                total += v
        return total + half if total or half else None
    except (ValueError, OverflowError):
        return None


def parse_scale(text: str | None) -> float:
    """Multiplier for a scale word ("bn" → 1e9); 1.0 when absent or unknown."""
    if not text:
        return 1.0
    t = text.strip().strip("-").strip().lower()
    return SCALES.get(t, 1.0)


def make_fact(
    sentence: Sentence,
    field: str,
    value: Any,
    span: tuple[int, int],
    extractor: str,
    confidence: float,
    attrs: dict[str, Any] | None = None,
    version: str = VERSION,
) -> Fact:
    """A Fact whose offsets are absolute: ``span`` is relative to ``sentence.text``."""
    start, end = span
    return Fact(
        field=field,
        value=value,
        display=sentence.text[start:end],
        sentence=sentence.text,
        start_char=sentence.start + start,
        end_char=sentence.start + end,
        extractor=extractor,
        extractor_version=version,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        attrs=attrs or {},
    )


_CLAUSE_BREAK = re.compile(r"[;:()\[\]—–]|,\s|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bafter\b|\bwhich\b")


#: Farthest a clause reaches from its value, so run-on text cannot make cue searches quadratic.
CLAUSE_REACH = 160


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause holding text[start:end]: between the nearest clause breaks.

    Cue words are only trusted inside the clause of a value: "$2.5 billion in funding" and
    "pay $90 million a month" often share a sentence but never a clause.
    """
    left = max(0, start - CLAUSE_REACH)
    for m in _CLAUSE_BREAK.finditer(text, left, start):
        left = m.end()
    limit = min(len(text), end + CLAUSE_REACH)
    m = _CLAUSE_BREAK.search(text, end, limit)
    right = m.start() if m else limit
    return left, right
