"""Each deal row consistent with itself: the values it shows must not contradict one another.

A deal shows one start, one end, one term, one fee and one total. When they contradict (an end
before the start; start + term far from the end; fee × term far from the total, beyond rounding
and qualifiers), the row drops the weakest of the values involved (fewest independent sources,
then the one the dropped-value order below names) rather than show a contradiction as fact. The
dropped value stays in ``evidence`` (used = false, with why) and in ``conflicts``, which explain
the arithmetic. Dates the extraction tags as construction, handover or phase dates are never
contract dates unless stated so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from extractors.models import Fact
from reconciliation.arithmetic import Term, check_term, fee_times_term, months_inclusive, total_consistent
from reconciliation.compat import Amount, date_interval
from reconciliation.resolution import _date

#: ``attrs['date_role']`` values (set by extraction) that are not the contract's own dates.
NON_CONTRACT_DATE_ROLES = frozenset(
    {"construction", "handover", "phase", "energization", "completion", "delivery", "groundbreaking"}
)


@dataclass
class Shown:
    """A value the row would show and how many independent sources state it."""

    fact: Fact | None
    sources: int = 0


def is_contract_date(fact: Fact) -> bool:
    attrs = fact.attrs if isinstance(fact.attrs, dict) else {}
    role = str(attrs.get("date_role") or "").lower()
    return role not in NON_CONTRACT_DATE_ROLES


def _weaker(a: tuple[str, Shown], b: tuple[str, Shown]) -> str:
    """The field to drop of two that contradict: fewer sources, then lower confidence, then b.

    Ties drop the value more often misread: an end date (a construction or phase date taken for
    the contract's) before a stated term, a monthly fee (another deal's) before a total."""
    (fa, sa), (fb, sb) = a, b
    ka = (sa.sources, float(sa.fact.confidence or 0) if sa.fact else 0.0)
    kb = (sb.sources, float(sb.fact.confidence or 0) if sb.fact else 0.0)
    return fa if ka < kb else fb


def date_drops(start: Shown, end: Shown, term_months: int | None, term: Shown) -> dict[str, str]:
    """Fields to drop so that start < end and start + term ≈ end; field -> why."""
    drops: dict[str, str] = {}
    s, e = _date(start.fact), _date(end.fact)
    if s is not None and e is not None and e < s:
        weak = _weaker(("end_date", end), ("start_date", start))
        drops[weak] = "the end date stated is before the start date; the less supported date is not used"
        return drops
    if term_months and s is not None and end.fact is not None:
        finding = check_term(term_months, s, date_interval(end.fact))
        why = f"start + term does not reach the end: {finding.explanation}" if finding else None
        why = why or _shown_end_off(s, term_months, e)
        if why:
            weak = _weaker(("term_months", term), ("end_date", end))  # a tie: the end goes
            drops[weak] = why
    return drops


#: How many months start + term may miss the end date the row shows ("through 2028" is shown as
#: 2028-12-31): beyond this the row would contradict itself as an analyst reads it.
SHOWN_END_SLACK_MONTHS = 3


def _shown_end_off(start: date, term_months: int, shown_end: date | None) -> str | None:
    """Why the end date as shown is far from start + term, or None. A year-only end ("through 2028")
    fits an 18-month term from March 2027 as an interval, yet the row shows 31 December 2028,
    22 months from the start: that row would contradict itself."""
    if shown_end is None or shown_end < start:
        return None
    months = months_inclusive(start, shown_end)
    if abs(months - term_months) <= SHOWN_END_SLACK_MONTHS:
        return None
    return (
        f"start {start.isoformat()} + {term_months} months is {months} months from the end "
        f"shown ({shown_end.isoformat()}); the end stated is less precise than the term"
    )


def total_drop(
    fee: Amount | None, fee_shown: Shown, term: Term | None, total: Amount | None, total_shown: Shown
) -> dict[str, str]:
    """Drop the weaker of fee and total when fee × term contradicts the total (qualifiers allowed)."""
    if fee is None or total is None or term is None or term.months <= 0 or not fee.point or fee.point <= 0:
        return {}
    computed = fee_times_term(fee, term)
    if total_consistent(total, computed):
        return {}
    weak = _weaker(("total_value", total_shown), ("monthly_fee", fee_shown))
    return {weak: f"monthly fee × {term.months} months does not come near the total stated"}
