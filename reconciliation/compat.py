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
from functools import lru_cache
from typing import Any

from extractors.models import Fact
from extractors.vocabulary import (
    approx_tolerance,
    facility_nouns,
    legal_suffix_tokens,
    per_month,
    place_aliases,
    qualifier_meaning,
)

SAME, COMPATIBLE, MINOR, CONFLICT, DISTINCT = "same", "compatible", "minor", "conflict", "distinct"

#: How each field's values are compared. Fields not listed compare as free text.
FIELD_KINDS: dict[str, str] = {
    "monthly_fee": "money",
    "total_value": "money",
    "prepayment": "money",
    "start_date": "date",
    "end_date": "date",
    "announced_on": "date",
    "termination_lockin_until": "date",
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
    "related_party": "item",  # a backer, lender, guarantor ... of a party: evidence, never a conflict
}

#: Name tokens that never tell two companies apart: legal forms (the vocabulary) and "the".
NAME_NOISE = legal_suffix_tokens() | {"the"}
PLACE_PARTS = ("city", "region", "country")
#: Abbreviations that outlets use for the same place (after dots are dropped: "U.S." → "us").
PLACE_ALIASES = place_aliases()

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
    currency = str(attrs["currency"]).upper() if attrs.get("currency") else None
    meaning = qualifier_meaning(str(attrs.get("qualifier") or ""))
    if v is None and low is None and high is None:
        return None
    stated = _num(attrs.get("stated_amount"))
    factor = per_month().get(str(attrs.get("period") or "month").lower(), 1.0)
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
    tol = approx_tolerance()
    if meaning == "upper":
        return Amount(0.0, v, v, unit, "bound", currency)
    if meaning == "lower":
        return Amount(v, math.inf, v, unit, "bound", currency)
    if meaning == "below":
        return Amount(v * (1 - tol), v, v, unit, "approx", currency)
    if meaning == "approx":
        return Amount(v * (1 - tol), v * (1 + tol), v, unit, "approx", currency)
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


def name_tokens(v: Any, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """Tokens of a name with case, punctuation, legal suffixes and ``ignore`` dropped.

    A dot or slash inside a word joins it ("N.V." → "nv", "A/S" → "as"), as the vocabulary spells it.
    """
    text = re.sub(r"(?<=[a-z0-9])[./](?=[a-z0-9])", "", str(v if v is not None else "").casefold())
    words = re.findall(r"[a-z0-9]+", text)
    return frozenset(w for w in words if w not in NAME_NOISE and w not in ignore)


def place_tokens(v: Any) -> frozenset[str]:
    """Tokens of a place, abbreviations spelled out: "Reno, NV" = "Reno, Nevada"; "U.S." = "United States"."""
    text = str(v if v is not None else "").casefold().replace(".", "")
    words = []
    for w in re.findall(r"[a-z0-9]+", text):
        words.extend(PLACE_ALIASES.get(w, w).split())
    return frozenset(w for w in words if w != "the")


def fact_tokens(field: str, fact: Fact) -> frozenset[str]:
    """A name's distinguishing tokens: a facility's proper name without "data center", "campus"…"""
    attrs = fact.attrs if isinstance(fact.attrs, dict) else {}
    if field == "facility":
        tokens = name_tokens(attrs.get("name") or fact.value, facility_nouns())
        return tokens or name_tokens(fact.value)
    if field == "location":
        return place_tokens(fact.value)
    return name_tokens(fact.value)


def place_parts(fact: Fact) -> tuple[tuple[str, frozenset[str]], ...]:
    """(component, tokens) for the structured parts of a location (city, region, country)."""
    attrs = fact.attrs if isinstance(fact.attrs, dict) else {}
    return tuple((k, place_tokens(attrs[k])) for k in PLACE_PARTS if attrs.get(k))


def compare_places(a: tuple, b: tuple) -> Verdict | None:
    """Places compare part by part ("Reno" city vs "Nevada" region say nothing against each other)."""
    if not a or not b:
        return None
    pa, pb = dict(a), dict(b)
    common = [k for k in pa if k in pb]
    if not common:
        return Verdict(DISTINCT, "different parts")
    if any(pa[k] != pb[k] for k in common):
        return Verdict(CONFLICT, "different")
    return Verdict(SAME, "equal") if pa == pb else Verdict(COMPATIBLE, "contains")


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


@dataclass(frozen=True, eq=False)
class Claim:
    """What one Fact claims about a field, parsed once: the thing the rules compare.

    Two claims are equal (and hash alike) when their ``key`` is: the key holds everything the
    rules look at, so relations can be cached on it.
    """

    field: str
    kind: str  # 'amount', 'date', 'tokens', 'enum' or 'text'
    amount: Amount | None = None
    interval: tuple[date, date] | None = None
    tokens: frozenset[str] = frozenset()
    parts: tuple = ()  # a location's (component, tokens) pairs, when the extractor gave them
    text: str = ""
    key: tuple = ()  # set in __post_init__
    width: float = 0.0  # how much the claim allows; smaller is more specific

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", self._key())
        object.__setattr__(self, "width", self._width())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Claim) and self.field == other.field and self.key == other.key

    def __hash__(self) -> int:
        return hash((self.field, self.key))

    def _key(self) -> tuple:
        if self.amount is not None:
            a = self.amount
            hi = round(a.hi, 6) if math.isfinite(a.hi) else "inf"
            point = round(a.point, 6) if a.point is not None else None
            return (a.shape, round(a.lo, 6), hi, point, a.unit, a.currency or "")
        if self.interval is not None:
            return ("date", self.interval[0].isoformat(), self.interval[1].isoformat())
        if self.kind == "tokens":
            return ("tokens", tuple(sorted(self.tokens)), tuple((k, tuple(sorted(v))) for k, v in self.parts))
        return (self.kind, self.text)

    def _width(self) -> float:
        if self.amount is not None:
            a = self.amount
            span = a.hi - a.lo
            return a.unit if span == 0 else (span if math.isfinite(span) else 1e30)
        if self.interval is not None:
            return float((self.interval[1] - self.interval[0]).days)
        if self.kind == "tokens":
            return -float(len(self.tokens))
        if self.kind == "enum":
            return 1.0 if self.text == "either" else 0.0
        return 0.0


def claim(field: str, fact: Fact) -> Claim:
    """Parse ``fact`` for comparison. Never raises: what cannot be read becomes text."""
    text = str(getattr(fact, "value", "")).strip().casefold()
    try:
        kind = field_kind(field)
        if kind in ("money", "count", "quantity"):
            amt = amount_of(fact, exact_units=kind == "count")
            if amt is not None:
                return Claim(field, "amount", amount=amt, text=text)
        elif kind == "date":
            iv = date_interval(fact)
            if iv is not None:
                return Claim(field, "date", interval=iv, text=text)
        elif kind in ("name", "item"):
            parts = place_parts(fact) if field == "location" else ()
            return Claim(field, "tokens", tokens=fact_tokens(field, fact), parts=parts, text=text)
        elif kind == "enum":
            return Claim(field, "enum", text=text)
    except Exception:
        pass
    return Claim(field, "text", text=text)


@lru_cache(maxsize=100_000)
def relate(a: Claim, b: Claim) -> Verdict:
    """How two claims about one field relate (symmetric; cached, claims are immutable)."""
    try:
        if a.kind != b.kind:
            return Verdict(SAME, "equal") if a.text == b.text else Verdict(DISTINCT, "different")
        if a.amount is not None and b.amount is not None:
            return compare_amounts(a.amount, b.amount)
        if a.interval is not None and b.interval is not None:
            return compare_dates(a.interval, b.interval)
        if a.kind == "tokens":
            by_part = compare_places(a.parts, b.parts)
            if by_part is not None:
                return by_part
            return compare_tokens(a.tokens, b.tokens, DISTINCT if field_kind(a.field) == "item" else CONFLICT)
        if a.kind == "enum":
            return compare_enums(a.field, a.text, b.text)
    except Exception:
        pass
    return Verdict(SAME, "equal") if a.text == b.text else Verdict(DISTINCT, "different")


def compare(field: str, a: Fact, b: Fact) -> Verdict:
    """How Fact ``a`` and Fact ``b`` (both about ``field`` of one deal) relate. Never raises."""
    try:
        return relate(claim(field, a), claim(field, b))
    except Exception:
        return Verdict(DISTINCT, "unreadable")


def specificity(field: str, fact: Fact) -> float:
    """Width of what ``fact`` allows; smaller is more specific (used to pick the resolved value)."""
    return claim(field, fact).width


def value_key(field: str, fact: Fact) -> tuple:
    """A hashable key that is equal for facts that make the same claim."""
    return claim(field, fact).key


class ClaimCache:
    """Claims of one reconciliation run, parsed once per distinct (field, value, attrs).

    Outlets repeat one deal's figures many times over; parsing each wording once keeps
    reconciling thousands of mentions well under a second.
    """

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Fact, str, Claim]] = {}
        self._by_content: dict[tuple, Claim] = {}

    def __call__(self, field: str, fact: Fact) -> Claim:
        hit = self._by_id.get(id(fact))
        if hit is not None and hit[0] is fact and hit[1] == field:
            return hit[2]
        content = (field, _plain(fact.value), _plain_attrs(fact.attrs))
        c = self._by_content.get(content)
        if c is None:
            c = self._by_content[content] = claim(field, fact)
        self._by_id[id(fact)] = (fact, field, c)
        return c


def _plain(v: Any) -> Any:
    return v if isinstance(v, (str, int, float, type(None))) else repr(v)


def _plain_attrs(attrs: Any) -> Any:
    if not isinstance(attrs, dict):
        return repr(attrs)
    return tuple(sorted((str(k), _plain(v)) for k, v in attrs.items()))
