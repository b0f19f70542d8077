"""Money amounts in text: "$2.4bn", "US$ 900m", "six billion dollars", "between $2 and $3 billion".

Finding an amount (its currency, qualifier and range) is apart from deciding whose money it is
(extractors/money.py): termination terms and other extractors only need the former. Currency
words are data (patterns/money.toml), qualifiers are the shared vocabulary (patterns/vocabulary.toml).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from extractors.numbers import NUMBER, SCALE, parse_number, parse_scale
from extractors.vocabulary import phrase_alternation, qualifiers

_DATA = tomllib.loads((Path(__file__).parent / "patterns" / "money.toml").read_text("utf-8"))


def alternation(words: list[str] | dict[str, str], flags_word: bool = True) -> str:
    """Regex alternation of literal phrases, longest first, whitespace-tolerant."""
    return "(?:" + phrase_alternation(words) + ")"


_PREFIX = _DATA["currency_prefix"]
_SUFFIX = _DATA["currency_suffix"]
_QUALS = qualifiers()

_CUR_PRE = alternation(_PREFIX)
_CUR_SUF = alternation(_SUFFIX)
QUALIFIER = alternation(_QUALS)

# One amount, or a range sharing a currency: "$3-4 billion", "$3 billion to $4 billion",
# "between $2 billion and $3 billion", "US$ 900m". The pattern starts with the currency so the
# regex engine can skip ahead to currency characters; the qualifier is read backwards after.
_PRE_AMOUNT = re.compile(
    rf"(?P<pre>{_CUR_PRE})\s?(?P<n1>{NUMBER})(?P<s1>{SCALE})?"
    rf"(?:\s*(?P<conn>-|–|to|and)\s*(?:{_CUR_PRE})?\s?(?P<n2>{NUMBER})(?P<s2>{SCALE})?)?"
)
# "six billion dollars", "1.5 billion euros": run only when such a word occurs.
_SUF_AMOUNT = re.compile(rf"(?<![\w.,])(?P<wn>{NUMBER})(?P<ws>{SCALE})?\s+(?P<suf>{_CUR_SUF})\b")
# "a billion dollars", "half a billion euros": a scale word with no digits.
_WORD_AMOUNT = re.compile(
    rf"(?<![\w-])(?P<wn>half\s+a|a|one)\s+(?P<ws>billion|million|trillion)\s+(?P<suf>{_CUR_SUF})\b", re.I
)
_SUF_HINT = tuple(sorted({k.split()[-1].lower()[:5] for k in _SUFFIX}))
# "~$5bn" and "c.$1.0bn": a sign or an abbreviation with its period needs no space before the figure
_QUAL_BEFORE = re.compile(
    rf"(?<![\w-])(?<!Series\s)(?P<qual>{QUALIFIER})(?:\s+|(?<=~)|(?<=\.))(?:a\s+total\s+of\s+)?$", re.I
)
_PLUS = re.compile(
    r"(?:-|\s)plus\b(?!\s+(?:interest|fees|costs|expenses|options|an?\b))"
    r"|\+(?!\s*[\d$€£¥])",  # "$1bn+": more than (not "$1bn + $2bn", a sum)
    re.I,
)


@dataclass
class Amount:
    """One money expression found in text (offsets relative to the searched text)."""

    start: int
    end: int
    value: float
    currency: str
    qualifier: str | None
    low: float | None = None
    high: float | None = None


#: Cheap test run before the big regex: most sentences carry no currency at all.
_HINT_CHARS = tuple(sorted({c for k in _PREFIX for c in k if not c.isalnum() and c not in ". "}))
_HINT_WORDS = tuple(
    sorted(
        {k.lower() for k in _PREFIX if k.isalpha() and len(k) == 3}
        | {k.split()[-1].lower()[:5] for k in _SUFFIX}
    )
)
_HINT_RS = re.compile(r"\bRs\.?\s?\d")


def has_money_hint(text: str) -> bool:
    """False when ``text`` cannot contain an amount (no currency sign, code or word)."""
    if any(c in text for c in _HINT_CHARS):
        return True
    low = text.lower()
    return any(w in low for w in _HINT_WORDS) or bool(_HINT_RS.search(text))


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in ``text``, with currency, qualifier and range. Never raises."""
    out: list[Amount] = []
    if not has_money_hint(text):
        return out
    taken: list[tuple[int, int]] = []
    for m in _PRE_AMOUNT.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # "NASDAQ: ..." or a word that ends in a currency code
        a = _safe(_prefixed, text, m)
        if a is not None:
            out.append(a)
            taken.append((m.start(), m.end()))
    low = text.lower()
    if any(w in low for w in _SUF_HINT):
        for m in _SUF_AMOUNT.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            a = _safe(_suffixed, text, m)
            if a is not None:
                out.append(a)
                taken.append((m.start(), m.end()))
        for m in _WORD_AMOUNT.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            a = _safe(_worded, text, m)
            if a is not None:
                out.append(a)
    out.sort(key=lambda a: a.start)
    return out


def _safe(fn, text: str, m: re.Match[str]) -> Amount | None:
    try:
        return fn(text, m)
    except (ValueError, OverflowError, TypeError, KeyError):
        return None


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    """(normalised qualifier, start offset) of "up to"/"about"/"between"... right before ``start``."""
    lo = max(0, start - 40)
    q = _QUAL_BEFORE.search(text, lo, start)
    if not q:
        return None, start
    key = _norm_key(q.group("qual"), _QUALS)
    if key.lower() == "between":
        return "between", q.start()
    return _QUALS.get(key) or None, q.start()


def _prefixed(text: str, m: re.Match[str]) -> Amount | None:
    n1 = parse_number(m.group("n1"))
    if n1 is None:
        return None
    currency = _PREFIX[_norm_key(m.group("pre"), _PREFIX)]
    qualifier, start = _qualifier_before(text, m.start())
    s1, s2, end = m.group("s1"), m.group("s2"), m.end()
    low = high = None
    if m.group("n2") and (m.group("conn") != "and" or qualifier == "between"):
        n2 = parse_number(m.group("n2"))
        if n2 is None:
            return None
        scale2 = parse_scale(s2)
        scale1 = parse_scale(s1) if s1 else scale2
        low, high = n1 * scale1, n2 * scale2
        if high < low:
            return None
        value = (low + high) / 2
    else:
        value = n1 * parse_scale(s1)
        end = m.end("s1") if s1 else m.end("n1")
    if value < 1000:
        return None  # "$2 per GPU-hour", "$6.3" (a split figure): not deal money
    if qualifier == "between":
        qualifier = None
    plus = _PLUS.match(text, end)
    if plus and qualifier is None:
        qualifier, end = "more than", plus.end()  # "$10 billion-plus"
    return Amount(start, end, value, currency, qualifier, low, high)


def _suffixed(text: str, m: re.Match[str]) -> Amount | None:
    n1 = parse_number(m.group("wn"))
    if n1 is None:
        return None
    scale = parse_scale(m.group("ws"))
    if scale == 1.0 and n1 < 1000:
        return None  # "two dollars" is never a deal figure worth reporting
    currency = _SUFFIX[_norm_key(m.group("suf"), _SUFFIX)]
    qualifier, start = _qualifier_before(text, m.start())
    return Amount(start, m.end(), n1 * scale, currency, None if qualifier == "between" else qualifier)


def _worded(text: str, m: re.Match[str]) -> Amount | None:
    n = 0.5 if m.group("wn").lower().startswith("half") else 1.0
    currency = _SUFFIX[_norm_key(m.group("suf"), _SUFFIX)]
    qualifier, start = _qualifier_before(text, m.start())
    value = n * parse_scale(" " + m.group("ws"))
    return Amount(start, m.end(), value, currency, None if qualifier == "between" else qualifier)


def _norm_key(text: str, table: dict[str, str]) -> str:
    t = " ".join(text.split())
    if t in table:
        return t
    low = {k.lower(): k for k in table}
    return low.get(t.lower(), t)
