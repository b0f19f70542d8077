"""Term lengths ("a five-year deal", "32 months", "over the next 18 months") → ``term_months``.

A duration is the deal's term only in a term context: a hyphenated length on a deal noun, or a
length after "for/over/spanning/a term of". Lock-in periods ("after an initial three-month
period"), notice periods ("90 days' notice"), ages and history ("two years ago") are durations too
but not the term, so they are excluded by the words around them.
"""

from __future__ import annotations

import re

from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import NUMBER, clause_around, make_fact, parse_number
from extractors.vocabulary import canonical_qualifier, duration_factor

VERSION = "1"

_UNIT = r"(?P<unit>years?|yrs?|months?|decades?)"
_DEAL_NOUN = (
    r"(?:\S+\s+){0,5}?(?:deal|contract|agreement|lease|term|commitment|arrangement|partnership|"
    r"pact|reservation|rental|extension|capacity|supply|offtake|take-or-pay|tie-up|accord)s?"
)
_QUAL = r"(?P<qual>about|around|roughly|approximately|some|nearly|almost|up\s+to|at\s+least|more\s+than|over|under|less\s+than|an\s+initial)"

# "five-year deal", "a 32-month contract", "10-year lease", "two-and-a-half-year agreement"
_ADJ_QUAL = r"(?P<qual>about|around|roughly|approximately|some|nearly|almost|up\s+to|at\s+least)"
# "over a five-year term" is when, not how long: an adjective term takes no "over"/"more than".
_ADJ = re.compile(
    rf"(?<![\w-])(?:{_ADJ_QUAL}\s+)?(?:a\s+|an\s+|the\s+|its\s+)?(?P<n>{NUMBER}|\d+)[- ](?P<unit>year|yr|month|decade)(?:-long)?(?![\w-])(?=,?\s+{_DEAL_NOUN}\b)",
    re.I,
)
# "for seven years", "over the next 18 months", "a term of three years", "lasting 24 months"
_PHRASE = re.compile(
    r"(?<![\w-])(?P<cue>for|over|across|spanning|spans|span|lasting|lasts|last|running|runs|run|covering|covers|"
    r"(?:length|term|duration|tenor):|"
    r"term\s+of|period\s+of|duration\s+of|tenure\s+of|length\s+of|term\s+(?:is|was|will\s+be|would\s+be))"
    rf"\s+(?:the\s+)?(?:(?P<next>next|coming|following|first)\s+)?(?:{_QUAL}\s+)?(?P<n>{NUMBER})\s+{_UNIT}(?![\w-])",
    re.I,
)
# "a decade-long deal", "a year-long contract"
_WORD_LEN = re.compile(
    rf"(?<![\w-])(?:(?:a|an|the)\s+(?P<unit>decade|year)-long(?=\s+{_DEAL_NOUN}\b)"
    r"|(?:for|over|spanning|lasting|runs\s+for|run\s+for)\s+(?:a|one|the\s+next)\s+(?P<unit2>decade)(?![\w-]))",
    re.I,
)

# Words that make a duration something other than the deal's term.
_NOT_TERM_BEFORE = re.compile(
    r"(?:after|within|following|in|during|notice|initial|first|past|last|previous|prior|earlier|old|"
    r"cliff|lock-?in|lock-?up|minimum|trial|grace|pilot|warranty)\s*(?:an?\s+|the\s+)?(?:initial\s+|first\s+)?$",
    re.I,
)
_NOT_TERM_AFTER = re.compile(
    r"^\s*(?:['’]s?\s+)?(?:ago|earlier|later|old|of\s+(?:notice|experience|research|work|losses)|notice|"
    r"period|lock|cliff|trial|warranty|grace|high(?!-)|low(?!-)|from\s+now|after|into|before)\b",
    re.I,
)
_NOT_TERM_ADJ_BEFORE = re.compile(
    r"(?:after|initial|first|past|last|previous|prior|earlier|cliff|lock-?in|lock-?up|minimum|trial|grace|pilot|warranty)"
    r"\s*(?:an?\s+|the\s+)?(?:initial\s+|first\s+)?$",
    re.I,
)
_HISTORY = re.compile(
    r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:been|worked|partnered|operated|collaborated|used|known|"
    r"relied|supplied|served)\b|\bsince\b",
    re.I,
)
# Options to extend are not the term: "two five-year extension options", "a renewal option", "three
# five-year extensions would take …" (several extensions are options; "a two-year extension" is a deal).
_OPTION_AFTER = re.compile(
    r"[\s,]*(?:\S+\s+){0,2}?(?:(?:extension|renewal)s?\s+options?\b|(?:extensions|renewals)\b)"
    r"|\s*(?:option|options)\s+to\s+(?:extend|renew)",
    re.I,
)
_SPEND = re.compile(r"\b(?:spend|spending|invest|investing|build|building|construction|capex)\b", re.I)
_COMMIT = re.compile(r"\b(?:commit|commits|committed|contract|deal|agreement|lease|agreed|pact)\b", re.I)
_PAST_CONTEXT = re.compile(r"\b(?:past|last|previous|prior)\s+$", re.I)


_RUN_CUES = {"runs", "run", "running", "lasts", "last", "lasting", "spanning", "spans", "span"}
_RUN_BEFORE = re.compile(r"\b(?:runs|run|running|lasts|last|lasting|extends|is|was)\s+$", re.I)


def _runs_for(m: re.Match[str]) -> bool:
    """ "runs for an initial 5 years": the deal's own running length, not a first phase."""
    cue = m.group("cue").lower()
    if cue in _RUN_CUES:
        return True
    return cue == "for" and bool(_RUN_BEFORE.search(m.string, max(0, m.start() - 20), m.start()))


def _num_end(m: re.Match[str]) -> int:
    """Offset right after the duration's unit ("five-year|"), whatever the pattern matched past it."""
    g = "unit" if m.group("unit") else "unit2"
    return m.end(g) + (1 if m.string[m.end(g) : m.end(g) + 1] in ("s",) else 0)


def _months(n: float, unit: str) -> int | None:
    u = unit.lower()
    if u.startswith("decade"):
        n *= duration_factor("months_per_decade")
    elif u.startswith("y"):
        n *= duration_factor("months_per_year")
    months = round(n)
    return months if 1 <= months <= 600 else None


def term_facts(sentence: Sentence, ctx: ArticleContext | None = None) -> list[Fact]:
    """``term_months`` facts; "multi-year" and other unquantified lengths give nothing."""
    text = sentence.text
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    if "year" not in low and "month" not in low and "decade" not in low:
        return facts
    for rule, pattern, conf in (
        ("terms.adjective", _ADJ, 0.85),
        ("terms.phrase", _PHRASE, 0.75),
        ("terms.word", _WORD_LEN, 0.8),
    ):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            qual = m.groupdict().get("qual")
            if (
                qual
                and " ".join(qual.lower().split()) == "an initial"
                and not (rule == "terms.phrase" and _runs_for(m))
            ):
                continue  # "an initial six-month period" is a lock-in; "runs for an initial 5 years" is the term
            before = text[max(0, m.start() - 30) : m.start()]
            after = text[m.end() : m.end() + 30]
            if _OPTION_AFTER.match(text, _num_end(m)):
                continue
            initial_term = rule == "terms.phrase" and m.group("cue").lower().startswith("term")
            if _NOT_TERM_AFTER.match(after) or (
                rule == "terms.phrase" and not initial_term and _NOT_TERM_BEFORE.search(before)
            ):
                continue
            if rule != "terms.phrase" and _NOT_TERM_ADJ_BEFORE.search(before):
                continue
            lo, hi = clause_around(text, m.start(), m.end())
            if _HISTORY.search(text, lo, m.start()):
                continue  # "has been ... for two years": how long something has been so
            groups = m.groupdict()
            if groups.get("next") and groups["next"].lower() == "first":
                continue  # "for the first six months": a phase, not the term
            n = parse_number(groups["n"]) if groups.get("n") else 1.0
            if n is None:
                continue
            months = _months(n, m.group("unit") or groups.get("unit2") or "")
            if months is None:
                continue
            c = conf
            if rule == "terms.phrase":
                cue = m.group("cue").lower()
                if cue == "over" and groups.get("next"):
                    c = 0.6  # "over the next five years" is also how spending plans are told
                if (
                    cue in ("over", "for", "across")
                    and _SPEND.search(text, max(0, m.start() - 80), m.start())
                    and not _COMMIT.search(text, max(0, m.start() - 80), m.start())
                ):
                    continue  # "would spend 800 million euros on sites over five years": a plan, not a term
                if _PAST_CONTEXT.search(text[max(0, m.start("n") - 12) : m.start("n")]):
                    continue
            attrs = {"qualifier": canonical_qualifier(qual)}
            span = (
                (m.start(), m.end())
                if rule != "terms.adjective"
                else (
                    m.start("n"),
                    _num_end(m),
                )
            )
            facts.append(make_fact(sentence, "term_months", months, span, rule, c, attrs, VERSION))
            taken.append((m.start(), m.end()))
    return facts
