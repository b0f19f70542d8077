"""Compatibility rules: do two Facts about one field of one deal agree, and how?

Outlets round, omit and hedge. Before two values are called a contradiction they are compared as
what they claim: an interval of amounts (a qualifier or a range widens it, a round figure carries a
rounding unit), an interval of days (a date's precision), a set of name tokens, or an enum.

``compare(field, a, b)`` returns a :class:`Verdict` whose ``relation`` is one of:

- ``same``: the same claim;
- ``compatible``: one refines the other ("July 2026" / "July 1, 2026"; "more than $40B" / "$45B");
- ``minor``: not identical but explainable by rounding or approximation ("$6B" / "$6.3B");
- ``conflict``: both cannot be true ("$5.4B" / "$6.3B");
- ``distinct``: different items that do not exclude each other (two hardware models).

The relation is symmetric and reflexive, and a refinement is never a conflict (property-tested).
Bad input never raises: a value that cannot be read is compared as text.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from extractors.models import Fact

SAME, COMPATIBLE, MINOR, CONFLICT, DISTINCT = "same", "compatible", "minor", "conflict", "distinct"

#: How each field's values are compared. Fields not listed compare as free text.
FIELD_KINDS: dict[str, str] = {
    "monthly_fee": "money",
    "total_value": "money",
    "prepayment": "money",
    "start_date": "date",
    "end_date": "date",
    "announced_on": "date",
    "term_months": "count",
    "termination_notice_days": "count",
    "termination_lockin_months": "count",
    "accelerator_count": "quantity",
    "capacity_mw": "quantity",
    "deal_type": "enum",
    "termination_by": "enum",
    "provider": "name",
    "customer": "name",
    "facility": "name",
    "location": "name",
    "hardware": "item",
}

UPPER_QUALIFIERS = frozenset(
    [
        "up to",
        "as much as",
        "at most",
        "less than",
        "under",
        "no more than",
        "below",
        "as high as",
        "a maximum of",
        "capped at",
    ]
)
LOWER_QUALIFIERS = frozenset(
    [
        "more than",
        "over",
        "at least",
        "exceeding",
        "above",
        "upwards of",
        "in excess of",
        "north of",
        "no less than",
        "a minimum of",
        "a minimum",
    ]
)
BELOW_QUALIFIERS = frozenset(["nearly", "almost", "close to", "just under", "just shy of"])
APPROX_QUALIFIERS = frozenset(
    [
        "about",
        "around",
        "roughly",
        "approximately",
        "some",
        "an estimated",
        "estimated",
        "circa",
        "~",
        "approx.",
        "approx",
        "nearly",
        "almost",
        "close to",
        "just under",
        "just shy of",
    ]
)
#: Half-width of the interval an approximate figure allows ("about $6B" → $5.4B–$6.6B).
APPROX_TOLERANCE = 0.10

#: Stated recurring amount → per month ("$15B a year" is $1.25B a month).
PER_MONTH = {"month": 1.0, "year": 1 / 12, "quarter": 1 / 3, "week": 52 / 12, "day": 365 / 12}

LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "corp",
        "corporation",
        "co",
        "ltd",
        "llc",
        "plc",
        "nv",
        "ag",
        "sa",
        "gmbh",
        "holdings",
        "limited",
        "incorporated",
        "the",
    ]
)

# termination_by: 'either' covers a statement that names one side only.
ENUM_COVERS = {("termination_by", "either"): frozenset({"provider", "customer"})}
#: Enum fields whose disagreement is a classification nuance, not a factual contradiction.
SOFT_ENUMS = frozenset({"deal_type"})


@dataclass(frozen=True)
class Verdict:
    relation: str  # SAME, COMPATIBLE, MINOR, CONFLICT or DISTINCT
    reason: str  # why: 'equal', 'contains', 'rounding', 'approximation', 'disjoint', 'currency', ...


@dataclass(frozen=True)
class Amount:
    """A numeric claim as the interval of values it allows."""

    lo: float
    hi: float
    point: float | None  # the figure stated (None when only a range was stated)
    unit: float  # rounding unit of the stated figure, in normalised units
    shape: str  # 'exact', 'approx', 'bound' (up to / more than) or 'range'
    currency: str | None


def field_kind(field: str) -> str:
    return FIELD_KINDS.get(field, "text")


# ---------------------------------------------------------------------------------------- numbers


def rounding_unit(x: float) -> float:
    """The largest power of ten that ``x`` is a multiple of: 6e9 → 1e9, 6.3e9 → 1e8, 150e6 → 1e7."""
    x = abs(x)
    if x == 0 or not math.isfinite(x):
        return 1.0
    exp = math.floor(math.log10(x))
    for e in range(exp, exp - 12, -1):
        p = 10.0**e
        q = x / p
        if abs(q - round(q)) < 1e-6 * max(1.0, q):
            return p
    return 10.0 ** (exp - 12)


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def amount_of(fact: Fact, exact_units: bool = False) -> Amount | None:
    """Read a money/count/quantity Fact as an :class:`Amount`; None when it has no number."""
    attrs = fact.attrs if isinstance(fact.attrs, dict) else {}
    v = _num(fact.value)
    low, high = _num(attrs.get("low")), _num(attrs.get("high"))
    currency = attrs.get("currency") or None
    qualifier = str(attrs.get("qualifier") or "").strip().lower()
    if v is None and low is None and high is None:
        return None
    stated = _num(attrs.get("stated_amount"))
    factor = PER_MONTH.get(str(attrs.get("period") or "month").lower(), 1.0)
    if exact_units:
        unit = 1.0
    elif stated is not None and stated > 0:
        unit = rounding_unit(stated) * factor
    else:
        unit = rounding_unit(v if v is not None else (high or low or 0.0))
    if low is not None and high is not None and low <= high:
        return Amount(low, high, v, unit, "range", currency)
    if v is None:
        v = low if low is not None else high
        assert v is not None
    if qualifier in UPPER_QUALIFIERS:
        return Amount(0.0, v, v, unit, "bound", currency)
    if qualifier in LOWER_QUALIFIERS:
        return Amount(v, math.inf, v, unit, "bound", currency)
    if qualifier in BELOW_QUALIFIERS:
        return Amount(v * (1 - APPROX_TOLERANCE), v, v, unit, "approx", currency)
    if qualifier in APPROX_QUALIFIERS:
        return Amount(v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE), v, unit, "approx", currency)
    return Amount(v, v, v, unit, "exact", currency)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _contains(outer: Amount, inner: Amount) -> bool:
    def le(x: float, y: float) -> bool:
        return x <= y or (math.isfinite(x) and math.isfinite(y) and x - y <= 1e-9 * max(abs(x), abs(y)))

    return le(outer.lo, inner.lo) and le(inner.hi, outer.hi)


def compare_amounts(a: Amount, b: Amount) -> Verdict:
    """Symmetric comparison of two numeric claims."""
    if a.currency and b.currency and a.currency != b.currency:
        return Verdict(CONFLICT, "currency")
    if a.shape == b.shape and _close(a.lo, b.lo) and _close(a.hi, b.hi):
        return Verdict(SAME, "equal")
    a_in_b, b_in_a = _contains(b, a), _contains(a, b)
    if a_in_b or b_in_a:
        # an approximate figure containing a different figure is an approximation, not a refinement
        pairs = [(b, a)] if not b_in_a else [(a, b)] if not a_in_b else [(a, b), (b, a)]
        for outer, inner in pairs:
            if outer.shape == "approx" and not (
                inner.point is not None and _close(inner.point, outer.point or 0)
            ):
                return Verdict(MINOR, "approximation")
        return Verdict(COMPATIBLE, "contains")
    gap = max(a.lo, b.lo) - min(a.hi, b.hi)
    if gap <= 0:
        return Verdict(MINOR, "approximation" if "approx" in (a.shape, b.shape) else "overlap")
    # a round figure may be the other rounded (half a unit either way); bounds are taken as stated
    coarse = max([x.unit for x in (a, b) if x.shape in ("exact", "approx")], default=0.0)
    if gap <= coarse / 2 * (1 + 1e-9):
        return Verdict(MINOR, "rounding")
    return Verdict(CONFLICT, "disjoint")


# ------------------------------------------------------------------------------------------ dates


def _parse_date(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except (TypeError, ValueError):
        return None


def date_interval(fact: Fact) -> tuple[date, date] | None:
    """First and last day a date Fact allows, from ``attrs['interval']`` or value + precision."""
    attrs = fact.attrs if isinstance(fact.attrs, dict) else {}
    iv = attrs.get("interval")
    if isinstance(iv, (list, tuple)) and len(iv) == 2:
        first, last = _parse_date(iv[0]), _parse_date(iv[1])
        if first and last and first <= last:
            return first, last
    d = _parse_date(fact.value)
    if d is None:
        return None
    return precision_interval(d, str(attrs.get("precision") or "day"))


def precision_interval(d: date, precision: str) -> tuple[date, date]:
    """The interval of days a date stated at ``precision`` covers."""
    if precision == "month":
        first_month, months = d.month, 1
    elif precision == "quarter":
        first_month, months = 3 * ((d.month - 1) // 3) + 1, 3
    elif precision == "half":
        first_month, months = 1 if d.month <= 6 else 7, 6
    elif precision == "year":
        first_month, months = 1, 12
    else:
        return d, d
    last_month = first_month + months - 1
    return date(d.year, first_month, 1), date(d.year, last_month, calendar.monthrange(d.year, last_month)[1])


def compare_dates(a: tuple[date, date], b: tuple[date, date]) -> Verdict:
    if a == b:
        return Verdict(SAME, "equal")
    if (b[0] <= a[0] and a[1] <= b[1]) or (a[0] <= b[0] and b[1] <= a[1]):
        return Verdict(COMPATIBLE, "contains")
    gap = (max(a[0], b[0]) - min(a[1], b[1])).days
    if gap <= 0:
        return Verdict(MINOR, "overlap")
    if gap <= 1 and a[0] == a[1] and b[0] == b[1]:
        return Verdict(MINOR, "adjacent")  # "June 30" / "July 1": an off-by-one day
    return Verdict(CONFLICT, "disjoint")


# ------------------------------------------------------------------------------------ names, enums


def name_tokens(v: Any) -> frozenset[str]:
    """Tokens of a name with case, punctuation and legal suffixes ignored."""
    words = re.findall(r"[a-z0-9]+", str(v if v is not None else "").casefold())
    return frozenset(w for w in words if w not in LEGAL_SUFFIXES)


def compare_tokens(a: frozenset[str], b: frozenset[str], otherwise: str) -> Verdict:
    if a == b:
        return Verdict(SAME, "equal")
    if a and b and (a <= b or b <= a):
        return Verdict(COMPATIBLE, "contains")
    return Verdict(otherwise, "different")


def compare_enums(field: str, a: Any, b: Any) -> Verdict:
    x, y = str(a).strip().lower(), str(b).strip().lower()
    if x == y:
        return Verdict(SAME, "equal")
    if y in ENUM_COVERS.get((field, x), ()) or x in ENUM_COVERS.get((field, y), ()):
        return Verdict(COMPATIBLE, "contains")
    return Verdict(MINOR if field in SOFT_ENUMS else CONFLICT, "different")


# ------------------------------------------------------------------------------------------ entry


def compare(field: str, a: Fact, b: Fact) -> Verdict:
    """How Fact ``a`` and Fact ``b`` (both about ``field`` of one deal) relate. Never raises."""
    try:
        return _compare(field, a, b)
    except Exception:  # bad input: fall back to plain text equality
        return _compare_text(a, b)


def _compare(field: str, a: Fact, b: Fact) -> Verdict:
    kind = field_kind(field)
    if kind in ("money", "count", "quantity"):
        exact = kind == "count"
        x, y = amount_of(a, exact), amount_of(b, exact)
        if x is not None and y is not None:
            return compare_amounts(x, y)
    elif kind == "date":
        x, y = date_interval(a), date_interval(b)
        if x is not None and y is not None:
            return compare_dates(x, y)
    elif kind == "name":
        return compare_tokens(name_tokens(a.value), name_tokens(b.value), CONFLICT)
    elif kind == "item":
        return compare_tokens(name_tokens(a.value), name_tokens(b.value), DISTINCT)
    elif kind == "enum":
        return compare_enums(field, a.value, b.value)
    return _compare_text(a, b)


def _compare_text(a: Fact, b: Fact) -> Verdict:
    same = str(a.value).strip().casefold() == str(b.value).strip().casefold()
    return Verdict(SAME, "equal") if same else Verdict(DISTINCT, "different")


def specificity(field: str, fact: Fact) -> float:
    """Width of what ``fact`` allows; smaller is more specific (used to pick the resolved value)."""
    try:
        kind = field_kind(field)
        if kind in ("money", "count", "quantity"):
            amt = amount_of(fact, kind == "count")
            if amt is None:
                return math.inf
            width = amt.hi - amt.lo
            return amt.unit if width == 0 else (width if math.isfinite(width) else 1e30)
        if kind == "date":
            iv = date_interval(fact)
            return math.inf if iv is None else float((iv[1] - iv[0]).days)
        if kind in ("name", "item"):
            return -float(len(name_tokens(fact.value)))
        if kind == "enum":
            return 1.0 if str(fact.value).lower() == "either" else 0.0
    except Exception:
        return math.inf
    return 0.0


def value_key(field: str, fact: Fact) -> tuple:
    """A hashable key that is equal for facts that make the same claim (same relation)."""
    try:
        kind = field_kind(field)
        if kind in ("money", "count", "quantity"):
            amt = amount_of(fact, kind == "count")
            if amt is not None:
                hi = round(amt.hi, 6) if math.isfinite(amt.hi) else "inf"
                return (amt.shape, round(amt.lo, 6), hi, amt.currency or "")
        elif kind == "date":
            iv = date_interval(fact)
            if iv is not None:
                return ("date", iv[0].isoformat(), iv[1].isoformat())
        elif kind in ("name", "item"):
            return ("tokens", tuple(sorted(name_tokens(fact.value))))
        elif kind == "enum":
            return ("enum", str(fact.value).strip().lower())
    except Exception:
        pass
    return ("text", str(fact.value).strip().casefold())
