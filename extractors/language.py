"""A cheap language guess from function-word ratios, with no model to download.

English prose has 35-50 % of its words in ``gazetteers/stopwords_en.txt``; other Latin-script
languages have a few percent (shared words such as "a", "in", "die" are left out of the list).
Scripts other than Latin are named from Unicode character names.

Limits: texts under ``MIN_WORDS`` words are undetermined (None); a page mixing languages gets the
majority's code; only de/fr/es/it/pt/nl are told apart among Latin-script languages, others
(Swedish, Polish, ...) come back as 'und' (undetermined) and are NOT rejected by the parser, so
headline-only English text, which has few function words, is never thrown away; Chinese vs
Japanese relies on kana.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

_GAZ = Path(__file__).parent / "gazetteers"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_WORDS = 15
#: Share of English function words from which a text is English. Measured: English prose
#: 0.25-0.50, headline-style briefs and bullet lists down to 0.13, a list of headlines 0.04-0.15,
#: German/French/Spanish text 0.00-0.04 (shared words are excluded from the list).
EN_RATIO = 0.06
#: Share of another language's function words that names it (its prose scores 0.25-0.45).
OTHER_RATIO = 0.08
_SCRIPT_LANG = {
    "CYRILLIC": "ru",
    "GREEK": "el",
    "ARABIC": "ar",
    "HEBREW": "he",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh",
    "DEVANAGARI": "hi",
    "THAI": "th",
}


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    en = [
        w.strip().lower()
        for w in (_GAZ / "stopwords_en.txt").read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    ]
    other = tomllib.loads((_GAZ / "stopwords_other.toml").read_text(encoding="utf-8"))
    return {"en": frozenset(en), **{k: frozenset(v) for k, v in other.items()}}


_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_LOWER_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")


def _ascii_letters(text: str) -> int:
    """How many ASCII letters ``text`` has, counted in C without a list of them."""
    return len(text) - len(_ASCII_LETTER.sub("", text))


def _lower_words(sample: str) -> list[str]:
    """``[w.lower() for w in _WORD.findall(sample)]``; when every letter of the sample is ASCII,
    ``_WORD``'s letters are exactly ``[A-Za-z]``, which the regex engine tests much faster, and
    the sample is lowered before the words are found (no character other than a letter lowers to
    an ASCII letter or an apostrophe: checked over all of Unicode in tests/test_parse_meta.py)."""
    if _NON_ASCII_LETTER.search(sample) is None:
        return _ASCII_LOWER_WORD.findall(sample.lower())
    return [w.lower() for w in _WORD.findall(sample)]


def _script_language(text: str) -> str | None:
    """Language implied by a non-Latin script covering most letters, else None."""
    sample = text[:5000]
    others = _NON_ASCII_LETTER.findall(sample)  # regexes count in C; only these need names
    if not others:
        return None  # no letter outside ASCII: a Latin-script text
    ascii_letters = _ascii_letters(sample)
    if len(others) < ascii_letters:
        return None  # ASCII letters are the majority: a Latin-script text
    letters = len(others) + ascii_letters
    counts: Counter[str] = Counter()
    for ch in others:
        name = unicodedata.name(ch, "")
        for script in _SCRIPT_LANG:
            if name.startswith(script):
                counts[script] += 1
                break
    if not counts:
        return None
    kana = counts["HIRAGANA"] + counts["KATAKANA"]
    if kana > 0.05 * letters and kana + counts["CJK"] >= 0.5 * letters:
        return "ja"  # Japanese mixes kanji and two kana scripts; none alone need be a majority
    script, n = counts.most_common(1)[0]
    if n / letters < 0.5:
        return None
    return _SCRIPT_LANG[script]


def detect_language(text: str) -> tuple[str | None, float]:
    """Return ``(language code or None, share of English function words)``.

    None means too little text to tell; 'und' means not English but not one we can name.
    """
    if not text:
        return None, 0.0
    by_script = _script_language(text)
    if by_script:
        return by_script, 0.0
    words = _lower_words(text[:20000])
    if len(words) < MIN_WORDS:
        return None, 0.0
    counts = Counter(words)
    scores = {
        lang: sum(counts[w] for w in vocab.intersection(counts)) / len(words)
        for lang, vocab in _lists().items()
    }
    en = scores.pop("en")
    other = max(scores, key=lambda k: scores[k])
    if scores[other] >= OTHER_RATIO and scores[other] > en:
        return other, en
    if en >= EN_RATIO:
        return "en", en
    return "und", en
