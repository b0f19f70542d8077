"""Dates in a sentence → ``start_date``, ``end_date`` and ``announced_on`` facts.

Our own rules recognise the date expressions deal news uses ("July 1, 2026", "Q1 2027",
"mid-2029", "the end of 2029", "Monday"), because dateparser turns "6.3" and "90 days" into dates.
Each expression is an interval with a precision; the role word before it ("starting", "through",
"announced") says which field it fills and so which end of the interval is the stored value
(DESIGN.md s3: an end is the interval's last day, a start its first day). A date with no role
word is not returned: an unlabelled year in a deal story is as often history as a deal term.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from extractors.date_roles import milestone_role
from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import clause_around, make_fact

VERSION = "1"
_DATA = tomllib.loads((Path(__file__).parent / "patterns" / "dates.toml").read_text("utf-8"))
MONTHS: dict[str, int] = _DATA["months"]
WEEKDAYS: dict[str, int] = _DATA["weekdays"]
FUZZY: dict[str, list] = _DATA["fuzzy"]

_MON = r"(?:" + "|".join(sorted((k.capitalize() for k in MONTHS), key=len, reverse=True)) + r")\.?"
# ALL-CAPS headlines spell months out ("THROUGH MAY 2029"); abbreviations there are rare.
_MON_FULL_UP = "|".join(
    sorted((k.upper() for k in MONTHS if len(k) > 3 or k == "may"), key=len, reverse=True)
)
_MONTH = rf"(?:{_MON}|(?:{_MON_FULL_UP}))"
_YEAR = r"(?:19[89]\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WD = "|".join(k.capitalize() for k in WEEKDAYS)

_DATE = re.compile(
    r"(?<![\w$€£.,-])(?:"
    rf"(?P<iso>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-2]\d|3[01])"
    rf"|(?P<mdy_m>{_MONTH})\s+(?P<mdy_d>{_DAY})(?![\d:])(?:,?\s+(?P<mdy_y>{_YEAR}))?"
    rf"|(?P<dmy_d>{_DAY})\s+(?:of\s+)?(?P<dmy_m>{_MONTH})(?:,?\s+(?P<dmy_y>{_YEAR}))?"
    rf"|(?:(?:the\s+)?(?:end|close)\s+of\s+)?(?P<my_m>{_MONTH})(?:\s+of)?,?\s+(?P<my_y>{_YEAR})"
    rf"|(?:(?:fiscal\s+)?Q(?P<qn>[1-4])|(?P<qw>first|second|third|fourth|final|last)\s+quarter)"
    rf"(?:(?:\s+of|,)?\s+(?:(?:fiscal\s+|calendar\s+)?(?P<q_y>{_YEAR})|(?P<q_rel>this|next)\s+year)|\s*'(?P<q_yy>\d\d)"
    rf"|(?:\s+of)?\s+(?:fiscal\s+)?FY\s?'?(?:(?P<q_fy4>{_YEAR})|(?P<q_fy2>\d\d)))?"
    rf"|(?P<qn2>[1-4])Q\s?(?:'?(?P<q_yy2>\d\d)|(?P<q_y2>{_YEAR}))"
    rf"|(?:the\s+)?(?P<fz>early|mid|middle|late|later|first\s+half|second\s+half|[Hh][12]|[12][Hh]|year-end|"
    rf"(?:the\s+)?(?:end|close|beginning|start)(?:\s+of)?)(?:\s+of)?[- ]?(?:the\s+year\s+)?"
    rf"(?:(?:fiscal\s+|calendar\s+)?(?P<fz_y>{_YEAR})|(?P<fz_rel>this|next)\s+year|(?P<fz_the>the\s+year))"
    rf"|(?P<ye>year[- ]end)(?!\s+(?:19|20)\d\d)"
    rf"|(?:fiscal\s+|calendar\s+|the\s+year\s+)?(?P<y>{_YEAR})(?![\d%]|[.,]\d|\s*(?:GPUs|chips|MW|megawatts))"
    rf"|(?P<rel>today|tomorrow|yesterday|(?:next|this)\s+(?:month|year|quarter))"
    rf"|(?:(?P<wd_mod>last|this|next)\s+)?(?P<wd>{_WD})"
    rf"|(?P<mon>{_MONTH})(?!\s+(?:\d|of\b))"
    r")(?![\w])",
)


@dataclass
class DateExpr:
    """A recognised date expression: interval [first, last] with a precision, offsets in text.

    ``as_start``/``as_end`` override the value for fuzzy points ("mid-2029" ends June 30 but
    starts July 1). ``relative`` expressions were resolved against the publication date.
    """

    start: int
    end: int
    first: date
    last: date
    precision: str
    as_start: date | None = None
    as_end: date | None = None
    relative: bool = False

    def value_for(self, role: str) -> date:
        if role == "end":
            return self.as_end or self.last
        if role == "start":
            return self.as_start or self.first
        return self.first


def _month_num(s: str) -> int:
    return MONTHS[s.rstrip(".").lower()]


def _month_last(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _rel_year(word: str | None, ref: date | None) -> int | None:
    if ref is None:
        return None
    return ref.year + (1 if word and word.startswith("next") else 0)


def _pick_year(month: int, day: int, ref: date, future: bool) -> int:
    """Year for a month(/day) with no year: next on/after ref for terms, last on/before for news."""
    y = ref.year
    try:
        cand = date(y, month, min(day, calendar.monthrange(y, month)[1]))
    except ValueError:
        return y
    if future and cand < ref and (ref - cand).days > 31:
        return y + 1
    if not future and cand > ref:
        return y - 1
    return y


def find_dates(text: str, ref: date | None = None, future: bool = True) -> list[DateExpr]:
    """Every date expression in ``text``; relative ones need ``ref`` (else they are skipped).

    ``future`` decides how a yearless "July 1" or a bare weekday resolves: the next one (terms of a
    deal) or the most recent one (when something was announced). Never raises.
    """
    out: list[DateExpr] = []
    for m in _DATE.finditer(text):
        try:
            d = _to_expr(m, ref, future)
        except (ValueError, KeyError, OverflowError):
            d = None
        if d is not None:
            out.append(d)
    return out


def _to_expr(m: re.Match[str], ref: date | None, future: bool) -> DateExpr | None:
    g = m.group
    s, e = m.start(), m.end()
    if g("iso"):
        d = date(int(g("iso")), int(g("iso_m")), int(g("iso_d")))
        return DateExpr(s, e, d, d, "day")
    if g("mdy_m") or g("dmy_m"):
        mon = _month_num(g("mdy_m") or g("dmy_m"))
        day = int(re.sub(r"\D", "", g("mdy_d") or g("dmy_d")))
        ys = g("mdy_y") or g("dmy_y")
        if ys:
            y, rel = int(ys), False
        elif ref is None:
            return None
        else:
            y, rel = _pick_year(mon, day, ref, future), True
        d = date(y, mon, day)
        return DateExpr(s, e, d, d, "day", relative=rel)
    if g("my_m"):
        y, mon = int(g("my_y")), _month_num(g("my_m"))
        return DateExpr(s, e, date(y, mon, 1), _month_last(y, mon), "month")
    if g("qn") or g("qw") or g("qn2"):
        qmap = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
        q = int(g("qn") or g("qn2") or qmap[g("qw").lower()])
        # A fiscal quarter ("Q3 FY26") is read as the calendar quarter of that year: fiscal calendars
        # differ by company and the article rarely says which.
        yy = g("q_yy") or g("q_yy2") or g("q_fy2")
        if g("q_y") or g("q_y2") or g("q_fy4"):
            y = int(g("q_y") or g("q_y2") or g("q_fy4"))
        elif yy:
            y = 2000 + int(yy)
        elif g("q_rel"):
            y = _rel_year(g("q_rel"), ref)
        elif ref is not None:
            # "starts in the first quarter": the next such quarter (only kept after a role cue;
            # alone it is usually a reporting period).
            ref_q = (ref.month - 1) // 3 + 1
            if future:
                y = ref.year if q >= ref_q else ref.year + 1
            else:
                y = ref.year if q <= ref_q else ref.year - 1
            first = date(y, 3 * q - 2, 1)
            return DateExpr(s, e, first, _month_last(y, 3 * q), "quarter", relative=True)
        else:
            return None
        if y is None:
            return None
        first = date(y, 3 * q - 2, 1)
        return DateExpr(s, e, first, _month_last(y, 3 * q), "quarter")
    if g("fz"):
        key = re.sub(r"^the\s+|\s+of$", "", " ".join(g("fz").lower().split()))
        if g("fz_y"):
            y = int(g("fz_y"))
        elif g("fz_the"):
            if ref is None:
                return None
            y = ref.year
        else:
            y = _rel_year(g("fz_rel"), ref)
        if y is None or key not in FUZZY:
            return None
        fm, fd, lm, ld, prec = FUZZY[key]
        if key in ("mid", "middle"):
            return DateExpr(s, e, date(y, 1, 1), date(y, 12, 31), "half", date(y, 7, 1), date(y, 6, 30))
        if key in ("end", "close", "year-end"):
            last = date(y, 12, 31)
            return DateExpr(s, e, date(y, 1, 1), last, "year", last, last)
        if key in ("beginning", "start"):
            first = date(y, 1, 1)
            return DateExpr(s, e, first, date(y, 12, 31), "year", first, first)
        return DateExpr(s, e, date(y, fm, fd), date(y, lm, ld), prec)
    if g("ye"):
        if ref is None:
            return None
        last = date(ref.year, 12, 31)
        return DateExpr(s, e, date(ref.year, 1, 1), last, "year", last, last, relative=True)
    if g("y"):
        y = int(g("y"))
        return DateExpr(s, e, date(y, 1, 1), date(y, 12, 31), "year")
    if ref is None:
        return None
    if g("rel"):
        r = " ".join(g("rel").lower().split())
        if r in ("today", "tomorrow", "yesterday"):
            d = ref + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[r])
            return DateExpr(s, e, d, d, "day", relative=True)
        if r.endswith("month"):
            y, mon = ref.year, ref.month
            if r.startswith("next"):
                y, mon = (y + 1, 1) if mon == 12 else (y, mon + 1)
            return DateExpr(s, e, date(y, mon, 1), _month_last(y, mon), "month", relative=True)
        if r.endswith("quarter"):
            q = (ref.month - 1) // 3 + (2 if r.startswith("next") else 1)
            y = ref.year + (q - 1) // 4
            q = (q - 1) % 4 + 1
            return DateExpr(s, e, date(y, 3 * q - 2, 1), _month_last(y, 3 * q), "quarter", relative=True)
        y = ref.year + (1 if r.startswith("next") else 0)
        return DateExpr(s, e, date(y, 1, 1), date(y, 12, 31), "year", relative=True)
    if g("wd"):
        wd = WEEKDAYS[g("wd").lower()]
        mod = (g("wd_mod") or "").lower()
        if mod == "next" or (future and mod != "last"):
            delta = (wd - ref.weekday()) % 7 or 7
            d = ref + timedelta(days=delta)
        else:
            delta = (ref.weekday() - wd) % 7
            d = ref - timedelta(days=delta)
        return DateExpr(s, e, d, d, "day", relative=True)
    if g("mon"):
        mon = _month_num(g("mon"))
        y = _pick_year(mon, 1, ref, future)
        if future and y == ref.year and mon < ref.month:
            y += 1
        return DateExpr(s, e, date(y, mon, 1), _month_last(y, mon), "month", relative=True)
    return None


def _cue_alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_ROLES = _DATA["roles"]
_GAP = r"(?:\s+(?:in|from|on|at|the|of|around|about|approximately|roughly|as\s+early\s+as|no\s+later\s+than|sometime\s+in|some\s+time\s+in|until|through|to))*\s+$"
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


def role_of(text: str, d: DateExpr, prev: DateExpr | None) -> tuple[str | None, float, str]:
    """(role, confidence, rule id) for a date from the words right before it."""
    before = text[max(0, d.start - 60) : d.start]
    if (
        prev is not None
        and _TO_AFTER_FROM.match(text[prev.end : d.start])
        and _FROM.search(text[max(0, prev.start - 20) : prev.start])
    ):
        return "end", 0.9, "dates.end.range"
    m = _START_CUE.search(before)
    if m:
        if re.search(r"(?:contract|deal|agreement|order|lease|one)\s+from\s+(?:the\s+)?$", before, re.I):
            return None, 0.0, ""  # "the contract from February": which deal, not when it starts
        return "start", 0.9, "dates.start.cue"
    if _WEAK_START_CUE.search(before):
        return "start", 0.7, "dates.start.weak"
    m = _FAR_START.search(before)
    if m and (not m.group("by") or m.group("strong")):  # "begin using it by early 2026", not "delivered by"
        return "start", 0.75 if m.group("strong") else 0.65, "dates.start.far"
    m = _END_CUE.search(before)
    if m:
        cue = " ".join(m.group("cue").lower().split())
        if cue == "to" and not re.search(
            r"\b(?:run|runs|running|extend|extends|extending|last|lasts|lasting|stretch|stretches|"
            r"stretching|reach|reaches|reaching)\s+(?:\w+\s+)?to\s*",
            before,
            re.I,
        ):
            return None, 0.0, ""
        if (
            cue in ("end", "ended", "close")
            and re.search(r"(?<![\w-])at\s+the\s+$", before[: m.start()])
            and not re.search(
                r"\b(?:ends?|expires?|runs?|concludes?|terminates?)\s+at\s+the\s+$", before[: m.start()], re.I
            )
        ):
            return None, 0.0, ""  # "debt stood at $11 billion at the end of the quarter": a snapshot
        conf = 0.6 if cue in _WEAK_END else 0.9
        return "end", conf, "dates.end." + cue.split()[0]
    lo, _ = clause_around(text, d.start, d.end)
    clause_before = text[lo : d.start]
    if _TRADING.search(clause_before) or _METRIC_NEWS.match(text, d.end):
        return None, 0.0, ""  # "shares closed up 36% on Wednesday": a market day, not an announcement
    if (
        _ANN_CUE.search(clause_before)
        and d.precision == "day"
        and (
            re.search(
                r"(?:\bon|\b(?:announced|said|signed|disclosed|unveiled|revealed|inked|agreed|confirmed))\s+$",
                before,
                re.I,
            )
            or len(clause_before) < 60
        )
    ):
        return "announced", 0.8, "dates.announced"
    if (
        d.precision == "day"
        and d.relative
        and re.search(r"\bon\s+$", before)
        and not re.search(r"\breported\s+(?:late\s+|early\s+)?on\s+$", before, re.I)
        and _ANN_VERB.search(text, max(0, d.start - 150), d.start)
    ):
        return "announced", 0.7, "dates.announced.on"
    after = text[d.end : d.end + 30]
    if d.precision == "day" and re.match(
        r"\s*(?:,\s*(?:(?-i:[A-Z])[\w.&-]*\s+){1,3}|\w+\s+)?(?:informed|announced|said|confirmed|disclosed|communicated|signed)\b",
        after,
        re.I,
    ):
        return "announced", 0.7, "dates.announced.after"
    # "the contract the companies signed in March": a month is too coarse for ``announced_on`` (a
    # DATE with no precision column: March 1 would be a made-up day), and such a phrase almost always
    # recalls an earlier deal rather than dating this one.
    if (
        d.precision == "day"
        and re.match(
            r"\s*(?:/PRNewswire/|/Business\s?Wire/|/GLOBE\s?NEWSWIRE/|\s*[-–—]{1,2}\s"
            r"|\((?:GLOBE\s?NEWSWIRE|BUSINESS\s?WIRE|PR\s?Newswire|ACCESSWIRE|ACCESS\s?Newswire)\))",
            after,
        )
        and d.start < 60
    ):
        return "announced", 0.85, "dates.announced.dateline"
    if re.match(r"['’]s\s+(?:announcement|deal|agreement|signing)", after):
        return "announced", 0.75, "dates.announced.possessive"
    return None, 0.0, ""


# "the 2026-2030 contract", "a 2027–2031 term": a deal's span written as two years.
_YEAR_SPAN = re.compile(
    rf"(?<![\w$€£.,-])(?P<a>{_YEAR})\s?[-–]\s?(?P<b>{_YEAR})"
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
            if role == "end" and _ROLLOUT.search(text, max(0, d.start - 90), d.start):
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
