"""Date expressions in text: each an interval with a precision ("July 1, 2026", "Q1 2027", "mid-2029").

Our own rules, not dateparser, which turns "6.3" and "90 days" into dates. One regex finds the
expressions; which named group matched picks the reading, from the table ``EXPRESSION_KINDS`` of
(id, condition, reading). Relative ones ("next month", "Monday") are resolved against a reference
date, and are skipped without one.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from extractors.literal_prefilter import first_char_guard
from extractors.vocabulary import phrase_alternation

DATE_WORDS = tomllib.loads((Path(__file__).parent / "patterns" / "dates.toml").read_text("utf-8"))
MONTHS: dict[str, int] = DATE_WORDS["months"]
WEEKDAYS: dict[str, int] = DATE_WORDS["weekdays"]
FUZZY: dict[str, list] = DATE_WORDS["fuzzy"]

_MON = r"(?:" + "|".join(sorted((k.capitalize() for k in MONTHS), key=len, reverse=True)) + r")\.?"
# ALL-CAPS headlines spell months out ("THROUGH MAY 2029"); abbreviations there are rare.
_MON_FULL_UP = "|".join(
    sorted((k.upper() for k in MONTHS if len(k) > 3 or k == "may"), key=len, reverse=True)
)
_MONTH = rf"(?:{_MON}|(?:{_MON_FULL_UP}))"
YEAR = r"(?:19[89]\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
ORDINAL_DAYS: dict[str, int] = DATE_WORDS["ordinal_days"]
#: a day as an ordinal word, only before "of <month>": "the first of January 2027"
_DAY_WORD = r"(?:(?<=\bthe\s)|(?<=\bThe\s))(?:" + phrase_alternation(ORDINAL_DAYS) + rf")(?=\s+of\s+{_MONTH})"
_WD = "|".join(k.capitalize() for k in WEEKDAYS)

#: Behind a lookahead for its first characters (literal_prefilter.first_char_guard): same matches, less CPU.
_DATE = re.compile(
    first_char_guard(
        r"(?<![\w$€£.,-])(?:"
        rf"(?P<iso>{YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-2]\d|3[01])"
        rf"|(?P<mdy_m>{_MONTH})\s+(?P<mdy_d>{_DAY})(?![\d:])(?:,?\s+(?P<mdy_y>{YEAR}))?"
        rf"|(?P<dmy_d>{_DAY}|{_DAY_WORD})\s+(?:of\s+)?(?P<dmy_m>{_MONTH})(?:,?\s+(?P<dmy_y>{YEAR}))?"
        rf"|(?:(?:the\s+)?(?:end|close)\s+of\s+)?(?P<my_m>{_MONTH})(?:\s+of)?,?\s+(?P<my_y>{YEAR})"
        rf"|(?:(?:fiscal\s+)?Q(?P<qn>[1-4])|(?P<qw>first|second|third|fourth|final|last)\s+quarter)"
        rf"(?:(?:\s+of|,)?\s+(?:(?:fiscal\s+|calendar\s+)?(?P<q_y>{YEAR})|(?P<q_rel>this|next)\s+year)|\s*'(?P<q_yy>\d\d)"
        rf"|(?:\s+of)?\s+(?:fiscal\s+)?FY\s?'?(?:(?P<q_fy4>{YEAR})|(?P<q_fy2>\d\d)))?"
        rf"|(?P<qn2>[1-4])Q\s?(?:'?(?P<q_yy2>\d\d)|(?P<q_y2>{YEAR}))"
        rf"|(?:the\s+)?(?P<fz>early|mid|middle|late|later|first\s+half|second\s+half|[Hh][12]|[12][Hh]|year-end|"
        rf"(?:the\s+)?(?:end|close|beginning|start)(?:\s+of)?)(?:\s+of)?[- ]?(?:the\s+year\s+)?"
        rf"(?:(?:fiscal\s+|calendar\s+)?(?P<fz_y>{YEAR})|(?P<fz_rel>this|next)\s+year|(?P<fz_the>the\s+year))"
        rf"|(?P<ye>year[- ]end)(?!\s+(?:19|20)\d\d)"
        rf"|(?:fiscal\s+|calendar\s+|the\s+year\s+)?(?P<y>{YEAR})(?![\d%]|[.,]\d|\s*(?:GPUs|chips|MW|megawatts))"
        rf"|(?P<rel>today|tomorrow|yesterday|(?:next|this)\s+(?:month|year|quarter))"
        rf"|(?:(?P<wd_mod>last|this|next)\s+)?(?P<wd>{_WD})"
        rf"|(?P<mon>{_MONTH})(?!\s+(?:\d|of\b))"
        r")(?![\w])"
    )
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


Group = Callable[[str], Any]


def _iso(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    d = date(int(g("iso")), int(g("iso_m")), int(g("iso_d")))
    return DateExpr(s, e, d, d, "day")


def _month_day(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    mon = _month_num(g("mdy_m") or g("dmy_m"))
    written = g("mdy_d") or g("dmy_d")
    day = ORDINAL_DAYS.get(written.lower()) or int(re.sub(r"\D", "", written))
    ys = g("mdy_y") or g("dmy_y")
    if ys:
        y, rel = int(ys), False
    elif ref is None:
        return None
    else:
        y, rel = _pick_year(mon, day, ref, future), True
    d = date(y, mon, day)
    return DateExpr(s, e, d, d, "day", relative=rel)


def _month_year(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    y, mon = int(g("my_y")), _month_num(g("my_m"))
    return DateExpr(s, e, date(y, mon, 1), _month_last(y, mon), "month")


def _quarter(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
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
        y = _quarter_year(q, ref, future)
        first = date(y, 3 * q - 2, 1)
        return DateExpr(s, e, first, _month_last(y, 3 * q), "quarter", relative=True)
    else:
        return None
    if y is None:
        return None
    first = date(y, 3 * q - 2, 1)
    return DateExpr(s, e, first, _month_last(y, 3 * q), "quarter")


def _quarter_year(q: int, ref: date, future: bool) -> int:
    """The year of the next (``future``) or latest quarter ``q`` on the reference date's side."""
    ref_q = (ref.month - 1) // 3 + 1
    if future:
        return ref.year if q >= ref_q else ref.year + 1
    return ref.year if q <= ref_q else ref.year - 1


def _fuzzy(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
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


def _year_end(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    if ref is None:
        return None
    last = date(ref.year, 12, 31)
    return DateExpr(s, e, date(ref.year, 1, 1), last, "year", last, last, relative=True)


def _year(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    y = int(g("y"))
    return DateExpr(s, e, date(y, 1, 1), date(y, 12, 31), "year")


def _relative(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    if ref is None:
        return None
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


def _weekday(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    if ref is None:
        return None
    wd = WEEKDAYS[g("wd").lower()]
    mod = (g("wd_mod") or "").lower()
    if mod == "next" or (future and mod != "last"):
        delta = (wd - ref.weekday()) % 7 or 7
        d = ref + timedelta(days=delta)
    else:
        delta = (ref.weekday() - wd) % 7
        d = ref - timedelta(days=delta)
    return DateExpr(s, e, d, d, "day", relative=True)


def _month(g: Group, s: int, e: int, ref: date | None, future: bool) -> DateExpr | None:
    if ref is None:
        return None
    mon = _month_num(g("mon"))
    y = _pick_year(mon, 1, ref, future)
    if future and y == ref.year and mon < ref.month:
        y += 1
    return DateExpr(s, e, date(y, mon, 1), _month_last(y, mon), "month", relative=True)


Reading = Callable[[Group, int, int, "date | None", bool], "DateExpr | None"]

#: (id, the named groups of which one must have matched, reading). The regex's alternatives are
#: exclusive, so at most one row applies; the order is the order they are tried in.
EXPRESSION_KINDS: tuple[tuple[str, tuple[str, ...], Reading], ...] = (
    ("iso", ("iso",), _iso),
    ("month_day", ("mdy_m", "dmy_m"), _month_day),
    ("month_year", ("my_m",), _month_year),
    ("quarter", ("qn", "qw", "qn2"), _quarter),
    ("fuzzy", ("fz",), _fuzzy),
    ("year_end", ("ye",), _year_end),
    ("year", ("y",), _year),
    ("relative", ("rel",), _relative),
    ("weekday", ("wd",), _weekday),
    ("month", ("mon",), _month),
)


def _to_expr(m: re.Match[str], ref: date | None, future: bool) -> DateExpr | None:
    """The reading of the first row of ``EXPRESSION_KINDS`` whose group matched."""
    for _id, groups, reading in EXPRESSION_KINDS:
        if any(m.group(name) for name in groups):
            return reading(m.group, m.start(), m.end(), ref, future)
    return None
