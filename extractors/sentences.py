"""Sentence splitting with article-level offsets, by rule.

Why not spaCy's parser: splitting every sentence of every article through the neural parser costs
~100× a regex pass, and the gate needs sentences *before* deciding whether any neural work is due.
News text is regular enough: lines/paragraphs first, then terminal punctuation followed by an
upper-case start, skipping abbreviations ("Inc.", "U.S.") and initials.
"""

from __future__ import annotations

import re

from extractors.models import Sentence

#: Words that end with a period but do not end a sentence (compared lower-case, without the dot).
_ABBREVIATIONS = frozenset(
    [
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "plc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
        "etc",
        "approx",
        "est",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "n.v",
        "s.a",
        "a.g",
        "mt",
        "ft",
        "gen",
        "gov",
        "sen",
        "rep",
    ]
)
#: A boundary candidate: terminal punctuation, optional closing quotes/brackets, whitespace, and
#: a next sentence that starts like one.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9$£€])")
_LINE = re.compile(r"[^\n]+")
#: A letter or digit: ``re``'s word characters are exactly ``str.isalnum()`` plus "_".
_ALNUM = re.compile(r"[^\W_]")
#: The word before a period; a token with digits in it ("H200s", "8,192") is no abbreviation or initial.
_LAST_WORD = re.compile(r"(?<![\w])([A-Za-z][A-Za-z.]*)$")
_TIME_ZONE = re.compile(
    r"\s+(?:[ECMP][SD]?T|GMT|UTC|BST|CES?T|(?:Eastern|Pacific|Central|Mountain)(?:\s+(?:Standard|Daylight))?\s+Time)\b"
)
#: A line longer than this with no boundary is cut (tables, runaway text, binary junk).
MAX_SENTENCE_CHARS = 1200


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences whose ``start`` indexes into ``text``.

    The first non-empty line is the headline (``is_title``). Never raises on odd input.
    """
    sentences: list[Sentence] = []
    if not text:
        return sentences
    first_line = True
    for line in _LINE.finditer(text):
        line_text = line.group()
        for start, end in _split_line(line_text, line.start()):
            piece = text[start:end]
            if not _ALNUM.search(piece):  # no letter or digit (an empty piece has none)
                continue
            body = piece.lstrip()
            start += len(piece) - len(body)
            sentences.append(
                Sentence(text=body.rstrip(), start=start, index=len(sentences), is_title=first_line)
            )
        if first_line and line_text.strip():
            first_line = False
    return sentences


def _split_line(line: str, offset: int) -> list[tuple[int, int]]:
    """Boundaries inside one line, as absolute (start, end) pairs."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _BOUNDARY.finditer(line):
        if line[m.start()] == "." and _is_abbreviation(line, m.start()):
            continue
        cut = m.end()  # past the boundary's whitespace: cut > begin
        if cut - begin <= MAX_SENTENCE_CHARS:  # almost every sentence: one piece, no call
            spans.append((offset + begin, offset + cut))
        else:
            spans.extend(_cap(begin, cut, offset))
        begin = cut
    if begin < len(line):
        spans.extend(_cap(begin, len(line), offset))
    return spans


def _is_abbreviation(line: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial, not a sentence."""
    if line[dot] != ".":
        return False
    word = _LAST_WORD.search(line[max(0, dot - 24) : dot])
    if not word:
        return False
    w = word.group(1).lower()
    if w in ("a.m", "p.m"):  # "at 10 a.m. ET", "8:00 a.m. Eastern Time": a time zone follows
        return bool(_TIME_ZONE.match(line, dot + 1))
    return w in _ABBREVIATIONS or len(w) == 1


def _cap(start: int, end: int, offset: int) -> list[tuple[int, int]]:
    """Cut an over-long stretch into pieces of at most MAX_SENTENCE_CHARS."""
    if end - start <= MAX_SENTENCE_CHARS:  # almost every sentence: one piece
        return [(offset + start, offset + end)] if end > start else []
    return [
        (offset + s, offset + min(s + MAX_SENTENCE_CHARS, end)) for s in range(start, end, MAX_SENTENCE_CHARS)
    ]
