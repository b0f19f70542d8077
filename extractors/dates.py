"""Dates in a sentence → ``start_date``, ``end_date`` and ``announced_on`` facts.

Our own rules (extractors.date_expressions) recognise the date expressions deal news uses ("July
1, 2026", "Q1 2027", "mid-2029", "the end of 2029", "Monday"), because dateparser turns "6.3" and "90
days" into dates. Each expression is an interval with a precision; the role word before it
("starting", "through", "announced"), read by the table ``ROLE_RULES``, says which field it fills and so which end of the interval is the stored value
(DESIGN.md s3: an end is the interval's last day, a start its first day). A date with no role
word is not returned: an unlabelled year in a deal story is as often history as a deal term.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import NamedTuple

from extractors.date_expressions import DATE_WORDS, YEAR, DateExpr, find_dates
from extractors.date_roles import milestone_role
from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import clause_around, make_fact
from extractors.vocabulary import phrase_alternation

VERSION = "1"


def _cue_alt(words: list[str]) -> str:
    return phrase_alternation(words)


_ROLES = DATE_WORDS["roles"]
_GAP = r"(?:\s+(?:in|from|on|at|with|the|of|around|about|approximately|roughly|as\s+early\s+as|no\s+later\s+than|sometime\s+in|some\s+time\s+in|until|through|to))*\s+$"
_START_CUE = re.compile(rf"(?<![\w-])(?:{_cue_alt(_ROLES['start'])}){_GAP}", re.I)
_WEAK_START_CUE = re.compile(rf"(?<![\w-])(?:{_cue_alt(_ROLES['weak_start'])}){_GAP}", re.I)
_END_CUE = re.compile(rf"(?<![\w-])(?P<cue>{_cue_alt(_ROLES['end'])}){_GAP}", re.I)
_ANN_CUE = re.compile(rf"(?<![\w-])(?:{_cue_alt(_ROLES['announced'])})(?![\w-])", re.I)
# "said late on Tuesday that its remaining performance obligations jumped": an earnings day.
_METRIC_NEWS = re.compile(
    r"\s*(?:,\s*)?that\s+(?:its|their|the\s+company's)\s+(?:[\w-]+\s+){0,3}?(?:revenue|revenues|backlog|"
    r"performance\s+obligations|earnings|sales|profit|profits|bookings)\b",
    re.I,
)
_TRADING = re.compile(
    r"(?<![\w-])(?:shares|stock|stocks|trading|traded|closed\s+(?:up|down|at|higher|lower))(?![\w-])", re.I
)
_ANN_VERB = re.compile(
    r"(?<![\w-])(?:announced|signed|inked|struck|disclosed|unveiled|agreed|sealed|said)(?![\w-])", re.I
)
_WEAK_END = {w.lower() for w in _ROLES["weak_end"]}
_CONDITION = re.compile(
    r"\b(?:if|unless|should|in\s+case|provided)\b[^.;]*\b(?:not|fail|fails|miss|misses|late|delay)", re.I
)
# A start verb a few words before the date: "would begin supplying the capacity in 2027",
# "with the first phase handed over to the customer in mid-2026". Present/future forms only:
# "began trading in 2019" is history.
_FAR_START = re.compile(
    r"(?<![\w-])(?:(?P<strong>begin|begins|beginning|start|starts|starting|commence|commences|commencing)"
    r"|handed\s+over|delivered|online|go\s+live|goes\s+live)"
    r"\s+(?:[\w'’-]+\s+){1,5}?(?:in|from|(?P<by>by))\s+(?:the\s+)?$",
    re.I,
)
# Dates of company metrics, markets and financing, not of a deal's term: "revenue of $1 billion
# by the end of the year", "backlog stood at $30 billion at the end of June", "shares gained 27%
# this year through Wednesday's close", "expects to go public in the second half of 2026".
_METRIC = re.compile(
    r"(?<![\w-])(?:revenue|revenues|run[- ]rate|sales|earnings|profit|profits|backlog|"
    r"performance\s+obligations|debt|cash|burn|valuation|shares|stock|stocks|ipo|go\s+public|"
    r"going\s+public|listing|capital\s+expenditures?|capital\s+spending|capex|quarter\s+ended|"
    r"funding|raised|closing\s+price|close)(?![\w-])",
    re.I,
)
# A start date next to revenue is often the deal's ramp ("revenue once it ramps from 2027"); only
# market and financing words make it someone else's.
_MARKET = re.compile(
    r"(?<![\w-])(?:valuation|shares|stock|stocks|ipo|go\s+public|going\s+public|listing|funding|raised|"
    r"closing\s+price)(?![\w-])",
    re.I,
)
# A part of the deal other than its first: "Around 100,000 of the chips will be deployed in Texas,
# with service beginning in Q3", "A further 12,000 will be housed in Norway from Q1", "the biggest
# chunk ... starting in ...". Its start is a tranche's, not the deal's ("the first phase" is).
_TRANCHE = re.compile(
    r"(?:^|[.;:]\s+|\b(?:while|and)\s+)(?:(?:around|about|some|roughly|nearly|another)\s+)?[\d,.]+\s+of\s+the\b"
    r"|\b(?:a\s+further|the\s+remaining|the\s+rest|the\s+(?:biggest|largest|second|next)\s+(?:chunk|share|portion|tranche|phase|batch))\b",
    re.I,
)
# A rollout schedule is not the contract's end: "to be deployed in phases through 2026".
_ROLLOUT = re.compile(
    r"\b(?:in\s+phases|phased|deployed|rolled\s+out|installed|completed|complete|completion|constructed|"
    r"built|energized|energised|deliver|delivers|delivered|delivering|come\s+online|comes\s+online|"
    r"coming\s+online|available\s+by|in\s+(?:several\s+|multiple\s+|two\s+|three\s+)?stages)\b(?:[^,;]|,(?=\d)){0,80}$",
    re.I,
)
#: … unless the contract's own end verb stands between the rollout and the date: "comes online in
#: June 2027 and runs until February 2030" ends the term, not the rollout.
_TERM_END_AFTER_ROLLOUT = re.compile(
    r"\band\s+(?:(?:the|its|their)\s+)?(?:\w+\s+)?(?:runs?|lasts?|expires?|ends?|continues?)\s+"
    r"(?:until|till|through|thru|to|in|at)\b",
    re.I,
)
# Not the deal's own end: a company's target ("aiming to have 2 GW by the end of next year") or rights
# that sit beside the compute deal ("its IP rights now extend through 2032", warrants that vest).
_NOT_DEAL_END = re.compile(
    r"\b(?:aim|aims|aiming|target|targets|targeting|goal|intellectual\s+property|IP|rights|exclusivity|"
    r"licen[cs]es?|warrants?|vest|vests|vesting|lock-?up)\b",
    re.I,
)
_PHASED = re.compile(
    r"\b(?:in\s+(?:several\s+|multiple\s+|two\s+|three\s+)?(?:phases|stages|tranches)|phased)\b[^,;]{0,30}$",
    re.I,
)
_HISTORY = re.compile(r"\b(?:ago|last\s+year|previously|earlier|founded|since|IPO)\b", re.I)
_FROM = re.compile(r"(?<![\w-])(?:from|between)\s+(?:the\s+)?$", re.I)
_TO_AFTER_FROM = re.compile(r"^\s*(?:to|through|until|till|and|-|–)\s*$", re.I)


@dataclass
class _Spot:
    """A date and the words around it, as the role rules read them (each read once, when asked)."""

    text: str
    d: DateExpr
    prev: DateExpr | None

    @cached_property
    def before(self) -> str:
        return self.text[max(0, self.d.start - 60) : self.d.start]

    @cached_property
    def start_cue(self) -> re.Match[str] | None:
        return _START_CUE.search(self.before)

    @cached_property
    def far_start(self) -> re.Match[str] | None:
        return _FAR_START.search(self.before)

    @cached_property
    def end_cue(self) -> re.Match[str] | None:
        return _END_CUE.search(self.before)

    @cached_property
    def cue(self) -> str:
        """The end cue's words, spaces normalised ("" when there is none)."""
        return " ".join(self.end_cue.group("cue").lower().split()) if self.end_cue else ""

    @cached_property
    def clause_before(self) -> str:
        lo, _ = clause_around(self.text, self.d.start, self.d.end)
        return self.text[lo : self.d.start]

    @cached_property
    def after(self) -> str:
        return self.text[self.d.end : self.d.end + 30]


def _range_end(s: _Spot) -> bool:
    """The second date of "from X to Y"."""
    return (
        s.prev is not None
        and bool(_TO_AFTER_FROM.match(s.text[s.prev.end : s.d.start]))
        and bool(_FROM.search(s.text[max(0, s.prev.start - 20) : s.prev.start]))
    )


def _bare_to(s: _Spot) -> bool:
    """An end cue "to" with no verb of lasting before it ("run to", "extend to")."""
    return s.cue == "to" and not re.search(
        r"\b(?:run|runs|running|extend|extends|extending|last|lasts|lasting|stretch|stretches|"
        r"stretching|reach|reaches|reaching)\s+(?:\w+\s+)?to\s*",
        s.before,
        re.I,
    )


def _snapshot(s: _Spot) -> bool:
    """ "at the end of the quarter" after a figure, not "ends at the end of …"."""
    if s.end_cue is None or s.cue not in ("end", "ended", "close"):
        return False
    head = s.before[: s.end_cue.start()]
    return bool(re.search(r"(?<![\w-])at\s+the\s+$", head)) and not re.search(
        r"\b(?:ends?|expires?|runs?|concludes?|terminates?)\s+at\s+the\s+$", head, re.I
    )


def _announced_in_clause(s: _Spot) -> bool:
    return bool(
        _ANN_CUE.search(s.clause_before)
        and s.d.precision == "day"
        and (
            re.search(
                r"(?:\bon|\b(?:announced|said|signed|disclosed|unveiled|revealed|inked|agreed|confirmed))\s+$",
                s.before,
                re.I,
            )
            or len(s.clause_before) < 60
        )
    )


def _announced_on(s: _Spot) -> bool:
    """A relative day after "on", with an announcing verb shortly before."""
    return bool(
        s.d.precision == "day"
        and s.d.relative
        and re.search(r"\bon\s+$", s.before)
        and not re.search(r"\breported\s+(?:late\s+|early\s+)?on\s+$", s.before, re.I)
        and _ANN_VERB.search(s.text, max(0, s.d.start - 150), s.d.start)
    )


def _announced_after(s: _Spot) -> bool:
    return s.d.precision == "day" and bool(
        re.match(
            r"\s*(?:,\s*(?:(?-i:[A-Z])[\w.&-]*\s+){1,3}|\w+\s+)?(?:informed|announced|said|confirmed|disclosed|communicated|signed)\b",
            s.after,
            re.I,
        )
    )


def _dateline(s: _Spot) -> bool:
    """A day at the very start, followed by a wire's name or a dash: the release's dateline.

    A month is too coarse for ``announced_on`` (a DATE with no precision column: March 1 would be a
    made-up day), and "the contract the companies signed in March" almost always recalls an earlier
    deal rather than dating this one.
    """
    return bool(
        s.d.precision == "day"
        and re.match(
            r"\s*(?:/PRNewswire/|/Business\s?Wire/|/GLOBE\s?NEWSWIRE/|\s*[-–—]{1,2}\s"
            r"|\((?:GLOBE\s?NEWSWIRE|BUSINESS\s?WIRE|PR\s?Newswire|ACCESSWIRE|ACCESS\s?Newswire)\))",
            s.after,
        )
        and s.d.start < 60
    )


class RoleRule(NamedTuple):
    """One row of the date-role table: when ``when`` holds, the date has ``role`` (None: no role)."""

    id: str
    when: Callable[[_Spot], bool]
    role: str | None
    confidence: float | Callable[[_Spot], float]


#: (id, condition, role, confidence), tried in order; the first whose condition holds decides.
#: A row with role None is a veto: the date is no start, end or announcement. "{cue}" in an id
#: is filled with the end cue's first word.
ROLE_RULES: tuple[RoleRule, ...] = (
    RoleRule("dates.end.range", _range_end, "end", 0.9),
    # "the contract from February": which deal, not when it starts
    RoleRule(
        "dates.start.which_deal",
        lambda s: (
            bool(s.start_cue)
            and bool(
                re.search(
                    r"(?:contract|deal|agreement|order|lease|one)\s+from\s+(?:the\s+)?$", s.before, re.I
                )
            )
        ),
        None,
        0.0,
    ),
    RoleRule("dates.start.cue", lambda s: bool(s.start_cue), "start", 0.9),
    RoleRule("dates.start.weak", lambda s: bool(_WEAK_START_CUE.search(s.before)), "start", 0.7),
    # "begin using it by early 2026", not "delivered by"
    RoleRule(
        "dates.start.far",
        lambda s: bool(s.far_start) and (not s.far_start.group("by") or bool(s.far_start.group("strong"))),
        "start",
        lambda s: 0.75 if s.far_start.group("strong") else 0.65,
    ),
    RoleRule("dates.end.bare_to", _bare_to, None, 0.0),
    # "debt stood at $11 billion at the end of the quarter": a snapshot
    RoleRule("dates.end.snapshot", _snapshot, None, 0.0),
    RoleRule(
        "dates.end.{cue}", lambda s: bool(s.end_cue), "end", lambda s: 0.6 if s.cue in _WEAK_END else 0.9
    ),
    # "shares closed up 36% on Wednesday": a market day, not an announcement
    RoleRule(
        "dates.market_day",
        lambda s: bool(_TRADING.search(s.clause_before) or _METRIC_NEWS.match(s.text, s.d.end)),
        None,
        0.0,
    ),
    RoleRule("dates.announced", _announced_in_clause, "announced", 0.8),
    RoleRule("dates.announced.on", _announced_on, "announced", 0.7),
    RoleRule("dates.announced.after", _announced_after, "announced", 0.7),
    RoleRule("dates.announced.dateline", _dateline, "announced", 0.85),
    RoleRule(
        "dates.announced.possessive",
        lambda s: bool(re.match(r"['’]s\s+(?:announcement|deal|agreement|signing)", s.after)),
        "announced",
        0.75,
    ),
)


def role_of(text: str, d: DateExpr, prev: DateExpr | None) -> tuple[str | None, float, str]:
    """(role, confidence, rule id) for a date from the words around it: the first row of ROLE_RULES that holds.

    A veto returns role None with its rule id; no row, (None, 0.0, "").
    """
    spot = _Spot(text, d, prev)
    for rule in ROLE_RULES:
        if rule.when(spot):
            if rule.role is None:
                return None, 0.0, rule.id
            conf = rule.confidence(spot) if callable(rule.confidence) else rule.confidence
            return rule.role, conf, rule.id.format(cue=spot.cue.split()[0] if spot.cue else "")
    return None, 0.0, ""


# "the 2026-2030 contract", "a 2027–2031 term": a deal's span written as two years.
_YEAR_SPAN = re.compile(
    rf"(?<![\w$€£.,-])(?P<a>{YEAR})\s?[-–]\s?(?P<b>{YEAR})"
    r"(?=\s+(?:[\w-]+\s+)?(?:contract|deal|agreement|lease|term|period|commitment)\b)",
    re.I,
)


def _year_span_facts(sentence: Sentence) -> list[Fact]:
    out: list[Fact] = []
    text = sentence.text
    if "-" not in text and "–" not in text:
        return out
    for m in _YEAR_SPAN.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a >= b:
            continue
        for field, y, value, grp in (
            ("start_date", a, date(a, 1, 1), "a"),
            ("end_date", b, date(b, 12, 31), "b"),
        ):
            attrs = {
                "precision": "year",
                "interval": [date(y, 1, 1).isoformat(), date(y, 12, 31).isoformat()],
            }
            out.append(
                make_fact(
                    sentence, field, value.isoformat(), m.span(grp), "dates.year_span", 0.75, attrs, VERSION
                )
            )
    return out


def date_facts(sentence: Sentence, ctx: ArticleContext | None = None) -> list[Fact]:
    """``start_date``, ``end_date`` and ``announced_on`` facts stated in one sentence."""
    text = sentence.text
    ref = ctx.published_at.date() if ctx and ctx.published_at else None
    facts: list[Fact] = []
    future = find_dates(text, ref, future=True)
    past: dict[tuple[int, int], DateExpr] | None = None  # resolved lazily: announcements only
    prev: DateExpr | None = None
    for d in future:
        role, conf, rule = role_of(text, d, prev)
        prev = d
        if role is None:
            continue
        if role == "announced" and d.relative:
            if past is None:
                past = {(p.start, p.end): p for p in find_dates(text, ref, future=False)}
            d = past.get((d.start, d.end), d)
        if role in ("start", "end"):
            lo, _ = clause_around(text, d.start, d.end)
            if _CONDITION.search(text[max(0, lo - 40) : d.start]):
                continue  # "if the GPUs are not delivered by September 30": a condition, not a term
            metric = _METRIC if role == "end" else _MARKET
            if metric.search(text, max(0, min(lo, d.start - 60)), min(len(text), d.end + 20)):
                continue  # a company metric's or market's date, not the deal's
            rollout = _ROLLOUT.search(text, max(0, d.start - 90), d.start) if role == "end" else None
            if rollout and not _TERM_END_AFTER_ROLLOUT.search(text, rollout.start(), d.start):
                continue
            if role == "end" and _NOT_DEAL_END.search(text, lo, d.start):
                continue
            if role == "start" and _PHASED.search(text, max(0, d.start - 60), d.start):
                continue  # "delivered in phases beginning in January": a delivery schedule's first step
            if role == "start" and _TRANCHE.search(text, 0, d.start):
                continue  # "a further 12,000 GPUs arrive from Q1": one tranche's start, not the deal's
            if _HISTORY.search(text[d.end : d.end + 12]):
                conf -= 0.3
        field = {"start": "start_date", "end": "end_date", "announced": "announced_on"}[role]
        value = d.value_for(role)
        attrs = {
            "precision": d.precision,
            "interval": [d.first.isoformat(), d.last.isoformat()],
        }
        if d.relative:
            attrs["relative"] = True
            conf -= 0.1
        if role in ("start", "end") and (
            milestone := milestone_role(text, d.start, clause_around(text, d.start, d.end)[0])
        ):
            attrs["date_role"] = milestone  # "the second hall was completed in August": not the contract's
        facts.append(
            make_fact(sentence, field, value.isoformat(), (d.start, d.end), rule, conf, attrs, VERSION)
        )
    taken = {f.field for f in facts}
    facts.extend(f for f in _year_span_facts(sentence) if f.field not in taken)
    return facts
