"""Arithmetic cross-checks between a deal's figures: fee × term vs total, start + term vs end.

Outlets often state a monthly fee, a period and a total; when the total is misread or the period
misreported, the numbers stop adding up. A check shows the arithmetic and what the disagreeing
figure implies, e.g. "$150M/month × 42 months (Jul 2026 – Dec 2029) = $6.3B; the $5.4B figure
matches 36 months (Jul 2026 – Jun 2029)", so an analyst sees which source got what wrong.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

from reconciliation.compat import CONFLICT, Amount, compare_amounts, rounding_unit
from reconciliation.explain import format_money, format_month

#: A stated total within this relative distance of fee × term is consistent with it.
RELATIVE_TOLERANCE = 0.02


@dataclass
class Term:
    """A deal's length in months and where it came from."""

    months: int
    source: str  # 'stated' or 'derived' (from start and end dates)
    start: date | None = None
    end: date | None = None

    def describe(self) -> str:
        if self.start is not None and self.end is not None:
            return f"{self.months} months ({format_month(self.start)} – {format_month(self.end)})"
        if self.start is not None:
            return f"{self.months} months from {format_month(self.start)}"
        return f"{self.months} months"


@dataclass
class Finding:
    """A figure that the other figures contradict."""

    field: str
    contradicted: list[str]  # the contradicted figures as shown to analysts
    computed: float | None  # what the other figures give (None when not a number)
    explanation: str


def months_inclusive(start: date, end: date) -> int:
    """Months from the start date's month to the end date's month, both counted: Jul 2026 – Dec 2029 = 42."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def last_month_of(start: date, months: int) -> date:
    """The first day of the last month of a term of ``months`` starting in ``start``'s month."""
    index = start.year * 12 + start.month - 1 + max(months, 1) - 1
    return date(index // 12, index % 12 + 1, 1)


def derived_term(start: date | None, end: date | None) -> Term | None:
    if start is None or end is None or end < start:
        return None
    return Term(months_inclusive(start, end), "derived", start, end)


#: The precision of an end computed from a start and a term in months: a day start gives a month
#: end (the stated term is whole months, not days); coarser starts keep their own precision.
END_PRECISION_FROM_START = {
    "day": "month",
    "month": "month",
    "quarter": "quarter",
    "half": "half",
    "year": "year",
}


def end_from_term(start: date | None, months: int | None, precision: str | None) -> tuple[date, str] | None:
    """The last day of a term of ``months`` that begins on ``start`` (a month-precision start is its
    first day), with the precision that end can claim; None without both or for a nonsense term."""
    if start is None or not months or months <= 0 or months > 1200:
        return None
    total = start.year * 12 + start.month - 1 + months
    first_after = date(total // 12, total % 12 + 1, 1) if start.day == 1 else None
    if first_after is None:
        last_day = calendar.monthrange(total // 12, total % 12 + 1)[1]
        first_after = date(total // 12, total % 12 + 1, min(start.day, last_day))
    end = first_after - timedelta(days=1)
    if precision in ("year", "half", "quarter", "month"):
        end = date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])
    elif start.day != 1:
        return end, "day"  # "from March 16 for 12 months": the day before March 16, to the day
    return end, END_PRECISION_FROM_START.get(precision or "day", "month")


def fee_times_term(fee: Amount, term: Term) -> Amount:
    """The total a fee claim implies over ``term`` (an 'up to' fee gives an 'up to' total)."""
    n = term.months
    point = fee.point * n if fee.point is not None else None
    hi = fee.hi * n if math.isfinite(fee.hi) else math.inf
    unit = rounding_unit(point) if point else fee.unit * n
    return Amount(fee.lo * n, hi, point, unit, fee.shape, fee.currency)


def total_consistent(stated: Amount, computed: Amount) -> bool:
    """A stated total agrees with fee × term unless they contradict beyond rounding and 2%."""
    if compare_amounts(stated, computed).relation != CONFLICT:
        return True
    if stated.point is not None and computed.point:
        return abs(stated.point - computed.point) <= RELATIVE_TOLERANCE * abs(computed.point)
    return False


def check_total(
    fee: Amount | None,
    fee_display: str,
    term: Term | None,
    totals: list[tuple[Amount, str]],
    stated_by: dict[str, str] | None = None,
) -> tuple[str, Finding | None] | None:
    """fee × term against each stated total (amount, display).

    Returns None when the arithmetic cannot be done, else the arithmetic as text ("$150M/month ×
    42 months (Jul 2026 – Dec 2029) = $6.3B") and a Finding naming the totals it contradicts and
    the term each of them would imply.
    """
    if fee is None or term is None or term.months <= 0 or fee.point is None or fee.point <= 0:
        return None
    computed = fee_times_term(fee, term)
    sum_text = f"{fee_display} × {term.describe()} = {format_money(computed.point, fee.currency)}"
    bad = [(amount, display) for amount, display in totals if not total_consistent(amount, computed)]
    if not bad:
        return sum_text, None
    stated_by = stated_by or {}
    implied = "; ".join(
        implied_term(amount, fee, display, term, stated_by.get(display)) for amount, display in bad
    )
    finding = Finding("total_value", [d for _, d in bad], computed.point, f"{sum_text}; {implied}")
    return sum_text, finding


def implied_term(total: Amount, fee: Amount, display: str, term: Term, who: str | None = None) -> str:
    """'the $5.4B figure matches 36 months (Jul 2026 – Jun 2029)' or '… implies 37.5 months'."""
    figure = f"the {display} figure ({who})" if who else f"the {display} figure"
    if total.point is None or not fee.point:
        return f"{figure} does not match it"
    months = total.point / fee.point
    whole = round(months)
    if whole >= 1 and abs(months - whole) <= 0.1:
        span = ""
        if term.start is not None:
            span = f" ({format_month(term.start)} – {format_month(last_month_of(term.start, whole))})"
        return f"{figure} matches {whole} months{span}"
    return f"{figure} implies {months:.1f} months"


def check_term(
    stated: int | None, start: date | None, end_interval: tuple[date, date] | None
) -> Finding | None:
    """A stated term that does not fit between the start date and the end date as stated."""
    if stated is None or start is None or end_interval is None or stated <= 0:
        return None
    first, last = end_interval
    if last < start:
        return None
    shortest, longest = months_inclusive(start, max(first, start)), months_inclusive(start, last)
    if shortest - 1 <= stated <= longest + 1:
        return None
    ends = last_month_of(start, stated)
    if first.year == last.year and (first.month, last.month) == (1, 12):
        end_text = str(last.year)
    else:
        end_text = format_month(last)
    span = f"{longest} months" if shortest == longest else f"{shortest}–{longest} months"
    return Finding(
        "term_months",
        [f"{stated} months"],
        float(longest),
        f"{format_month(start)} + {stated} months runs to {format_month(ends)}, "
        f"but the end date stated is {end_text} ({span} from the start)",
    )
