"""Termination terms → ``termination_notice_days``, ``termination_lockin_months``,
``termination_by``, ``termination_condition`` and ``prepayment`` facts.

Only sentences about ending the contract (cue words in patterns/termination.toml) are read, so
"90 days" in a delivery schedule is not a notice period. Notice in months counts 30 days a month
and in weeks 7 days a week ("three months' notice" → 90; patterns/vocabulary.toml [durations]).
A lock-in stated as a date ("after December 31, 2026") is not a number of months: it becomes a
``termination_lockin_until`` fact (ISO date, the key fixtures/corpus/README.md documents).
A prepayment with a stated amount is money; one without ("an upfront payment") has value None and
``attrs['prepaid'] = True``, so no one reads it as $1.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from extractors.amounts import find_amounts
from extractors.dates import find_dates
from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import NUMBER, clause_around, make_fact, parse_number
from extractors.vocabulary import duration_factor, phrase_alternation

VERSION = "1"
_DATA = tomllib.loads((Path(__file__).parent / "patterns" / "termination.toml").read_text("utf-8"))


def _alt(words) -> str:
    return phrase_alternation(words)


_CONTEXT = re.compile(rf"(?<![\w-])(?:{_alt(_DATA['context'])})(?![\w-])", re.I)
_UNIT = r"(?P<u>days?|weeks?|months?|business\s+days?|calendar\s+days?)"
_NOTICE = [
    re.compile(
        rf"(?<![\w-])(?P<n>{NUMBER})[- ]{_UNIT}(?:['’]s?|s['’])?\s+(?:of\s+)?(?:prior\s+|advance\s+|written\s+|formal\s+)*notice",
        re.I,
    ),
    re.compile(rf"notice\s+(?:period\s+)?of\s+(?:at\s+least\s+)?(?P<n>{NUMBER})\s+{_UNIT}", re.I),
    re.compile(
        rf"(?<![\w-])(?P<n>{NUMBER})[- ](?P<u>day|week|month)\s+(?:[\w-]+\s+){{0,2}}?"
        r"(?:notice|cancellation|termination|exit|out|break|walk-away)\s*(?:clause|period|provision|right|option|window)?",
        re.I,
    ),
    re.compile(
        rf"(?:with|on|giving|given|providing|upon)\s+(?P<n>{NUMBER})\s+{_UNIT}\s*(?:['’]\s*)?notice", re.I
    ),
]
_LOCKIN = [
    re.compile(
        # "after an initial 24-month period", "once an initial 24-month period has passed", "following a minimum 12-month term"
        rf"(?:after|once|following)\s+(?:an?\s+|the\s+)?(?:initial|first|opening|minimum)\s+(?P<n>{NUMBER})[- ](?P<u>months?|years?)",
        re.I,
    ),
    re.compile(
        rf"(?:after|once|when)\s+the\s+(?:first|initial)\s+(?P<n>{NUMBER})?\s*(?P<u>months?|years?|year)\b",
        re.I,
    ),
    re.compile(
        rf"(?:initial|minimum)\s+(?:lock-?in|lock-?up|commitment|non-cancell?able)\s+(?:period\s+|term\s+)?of\s+(?P<n>{NUMBER})\s+(?P<u>months?|years?)",
        re.I,
    ),
    re.compile(rf"(?<![\w-])after\s+(?P<n>{NUMBER})\s+(?P<u>months|years)(?![\w-])", re.I),
    re.compile(
        r"(?:neither|no\s+party|cannot|can\s*not|can't|may\s+not|non-?cancell?able|not\s+be\s+(?:terminated|cancell?ed))"
        rf"[^.;]{{0,60}}?(?:during|in|for|within)\s+the\s+(?:first|initial)\s+(?:(?P<n>{NUMBER})\s+)?(?P<u>months?|years?)\b",
        re.I,
    ),
    re.compile(
        rf"(?<![\w-])(?P<n>{NUMBER})[- ](?P<u>month|year)\s+(?:lock-?in|lock-?up|lockup|non-cancell?able\s+period)",
        re.I,
    ),
    # "may terminate after the 84th month": an ordinal month or year
    re.compile(r"(?:after|from|following)\s+the\s+(?P<n>\d{1,3})(?:st|nd|rd|th)\s+(?P<u>month|year)\b", re.I),
]
_LOCKIN_DATE = re.compile(
    r"(?:after|once|following|no\s+earlier\s+than|not\s+before|not\s+until)\s+(?:the\s+)?$",
    re.I,
)
_BY_TABLE: dict[str, str] = _DATA["by"]
_BY = re.compile(rf"(?<![\w-])(?P<p>{_alt(_BY_TABLE)})(?![\w-])", re.I)
_NAMED_BY = re.compile(
    r"(?P<p>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})\s+(?:alone\s+|only\s+)?(?:can|could|may|might|will\s+be\s+able\s+to|"
    r"is\s+able\s+to|has\s+the\s+(?:right|option)\s+to|retains\s+the\s+(?:right|option)\s+to|is\s+allowed\s+to|"
    r"is\s+entitled\s+to)\s+(?:\w+\s+)?(?:terminate|cancel|exit|walk\s+away|end|opt\s+out|leave|quit|pull\s+out)",
)
_RIGHT_TO = (
    r"(?:alone\s+|only\s+|also\s+)?(?:can|could|may|might|shall\s+be\s+entitled\s+to|will\s+be\s+able\s+to|"
    r"(?:is|are)\s+(?:able|allowed|entitled)\s+to|ha(?:s|ve)\s+the\s+(?:right|option)\s+to|"
    r"retains?\s+the\s+(?:right|option)\s+to)\s+"
)
#: Right after a role phrase: it may terminate ("either party may terminate", "the tenant can exit").
_TERMINATES_AFTER = re.compile(
    r"^\s+"
    + _RIGHT_TO
    + r"(?:\w+\s+)?(?:terminate|cancel|exit|walk\s+away|end|opt\s+out|leave|quit|pull\s+out)\b",
    re.I,
)
#: … or it may not ("the landlord has no right to terminate", "the provider may not cancel").
_DENIED_AFTER = re.compile(
    r"^\s+(?:has|have)\s+no\s+(?:right|option)|^\s+(?:may|can|shall|could)\s*(?:not|n't)\b|^\s+cannot\b",
    re.I,
)
_CONDITION = re.compile(
    r"(?P<c>(?:if|unless|should|in\s+the\s+event\s+(?:that\s+)?|in\s+case)\s+[^,;.]*?"
    r"\b(?:not|fail|fails|failed|miss|misses|missed|delay|delays|delayed|late|slip|slips|breach|breaches|"
    r"insolvent|bankrupt|bankruptcy|default|defaults)\b(?:[^,;]|,\s*\d)*?)(?=,(?!\s*\d)|;|\.(?:\s|$)|$)",
    re.I,
)
_PREPAY = re.compile(rf"(?<![\w-])(?:{_alt(_DATA['prepayment']['words'])})(?![\w-])", re.I)
#: A sentence that grants a right to end the contract: without one, "the two companies" or "both
#: parties" is who signed, said or cancelled something, not who may terminate.
_A_RIGHT = re.compile(
    r"\b(?:can|could|may|might|shall|rights?|options?|entitled|able|allowed|notice|terminable|"
    r"cancell?able|lock-?in|lock-?up|clauses?|provisions?)\b",
    re.I,
)
_NOT_NOTICE_BEFORE = re.compile(r"\b(?:within|after|in)\s+$", re.I)


def _days(n: float, unit: str) -> int:
    u = unit.lower()
    if u.startswith("week"):
        return round(n * duration_factor("days_per_week"))
    if u.startswith("month"):
        return round(n * duration_factor("notice_days_per_month"))
    return round(n)


def _months(n: float, unit: str) -> int:
    return round(n * duration_factor("months_per_year")) if unit.lower().startswith("year") else round(n)


def termination_facts(sentence: Sentence, ctx: ArticleContext | None = None) -> list[Fact]:
    """Termination and prepayment facts stated in one sentence (nothing unless it is about ending
    the contract or prepaying)."""
    text = sentence.text
    facts: list[Fact] = []
    if _CONTEXT.search(text):
        facts += _notice(sentence) + _lockin(sentence, ctx) + _by(sentence) + _condition(sentence)
    facts += _prepayment(sentence)
    return facts


def _notice(sentence: Sentence) -> list[Fact]:
    text, out, taken = sentence.text, [], []
    for i, pattern in enumerate(_NOTICE):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            n = parse_number(m.group("n"))
            if n is None or n <= 0:
                continue
            days = _days(n, m.group("u"))
            if not 1 <= days <= 1100:
                continue
            conf = 0.9 if i in (0, 1, 3) else 0.75
            attrs = {"stated": m.group(0), "unit": m.group("u").lower()}
            out.append(
                make_fact(
                    sentence,
                    "termination_notice_days",
                    days,
                    (m.start(), m.end()),
                    f"termination.notice.{i}",
                    conf,
                    attrs,
                    VERSION,
                )
            )
            taken.append((m.start(), m.end()))
    return out


def _lockin(sentence: Sentence, ctx: ArticleContext | None) -> list[Fact]:
    text, out, taken = sentence.text, [], []
    for i, pattern in enumerate(_LOCKIN):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            raw = m.groupdict().get("n")
            n = parse_number(raw) if raw else 1.0
            if n is None:
                continue
            months = _months(n, m.group("u"))
            if not 1 <= months <= 240:
                continue
            out.append(
                make_fact(
                    sentence,
                    "termination_lockin_months",
                    months,
                    (m.start(), m.end()),
                    f"termination.lockin.{i}",
                    0.85,
                    {},
                    VERSION,
                )
            )
            taken.append((m.start(), m.end()))
    if not out:
        ref = ctx.published_at.date() if ctx and ctx.published_at else None
        for d in find_dates(text, ref, future=True):
            if _LOCKIN_DATE.search(text[max(0, d.start - 25) : d.start]) and d.precision in (
                "day",
                "month",
                "quarter",
            ):
                until = d.value_for("end").isoformat()
                attrs = {"precision": d.precision, "interval": [d.first.isoformat(), d.last.isoformat()]}
                out.append(
                    make_fact(
                        sentence,
                        "termination_lockin_until",
                        until,
                        (d.start, d.end),
                        "termination.lockin.date",
                        0.7,
                        attrs,
                        VERSION,
                    )
                )
                break
    return out


def _by_candidates(text: str) -> list[tuple[re.Match[str], str]]:
    """Role phrases of the sentence, the subject of a terminate verb first ("the Customer pays …;
    either party may terminate …": either); one denied the right ("the landlord has no right to
    terminate") is left out."""
    found, subjects = [], []
    for m in _BY.finditer(text):
        phrase = " ".join(m.group("p").lower().split())
        role = _BY_TABLE.get(phrase) or next((v for k, v in _BY_TABLE.items() if k.lower() == phrase), None)
        if role is None:
            continue
        if phrase == "the parties" and not re.search(r"\b(?:can|may|either|each|both)\b", text, re.I):
            continue
        if not _A_RIGHT.search(text):
            continue  # "…, the two companies confirmed": who reports it, not who may end it
        after = text[m.end() : m.end() + 80]
        if _DENIED_AFTER.match(after):
            continue
        (subjects if _TERMINATES_AFTER.match(after) else found).append((m, role))
    return subjects + found


def _by(sentence: Sentence) -> list[Fact]:
    text = sentence.text
    for m, role in _by_candidates(text):
        conf = 0.85 if role == "either" else 0.7
        attrs = {"party_text": m.group("p"), "role": role}
        return [
            make_fact(
                sentence,
                "termination_by",
                role,
                (m.start(), m.end()),
                "termination.by.role",
                conf,
                attrs,
                VERSION,
            )
        ]
    m = _NAMED_BY.search(text)
    if m:
        party = m.group("p")
        # The text names a company: the pipeline maps it to 'customer' or 'provider'.
        attrs = {"party_text": party, "role": None}
        return [
            make_fact(
                sentence,
                "termination_by",
                party,
                (m.start("p"), m.end("p")),
                "termination.by.named",
                0.6,
                attrs,
                VERSION,
            )
        ]
    return []


def _condition(sentence: Sentence) -> list[Fact]:
    text = sentence.text
    m = _CONDITION.search(text)
    if not m:
        return []
    cond = m.group("c").strip()
    if re.search(r"terminat|cancel", cond, re.I):
        return []  # "if it runs to 2029 and is not terminated earlier": not a condition to end it
    return [
        make_fact(
            sentence,
            "termination_condition",
            cond,
            (m.start("c"), m.start("c") + len(cond)),
            "termination.condition",
            0.7,
            {},
            VERSION,
        )
    ]


def _prepayment(sentence: Sentence) -> list[Fact]:
    text = sentence.text
    m = _PREPAY.search(text)
    if not m:
        return []
    if m.group(0).lower() == "in advance" and not re.search(
        r"\b(?:pay|paid|pays|paying|payment)\b", text, re.I
    ):
        return []
    if m.group(0).lower() == "deposit" and not re.search(
        r"\b(?:contract|deal|agreement|lease|capacity|signing)\b", text, re.I
    ):
        return []
    lo, hi = clause_around(text, m.start(), m.end())
    for a in find_amounts(text):
        if lo - 40 <= a.start <= hi + 40:
            attrs = {"currency": a.currency, "qualifier": a.qualifier}
            return [
                make_fact(
                    sentence,
                    "prepayment",
                    a.value,
                    (a.start, a.end),
                    "termination.prepayment.amount",
                    0.75,
                    attrs,
                    VERSION,
                )
            ]
    return [
        make_fact(
            sentence,
            "prepayment",
            None,
            (m.start(), m.end()),
            "termination.prepayment",
            0.5,
            {"prepaid": True},
            VERSION,
        )
    ]
