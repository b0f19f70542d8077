"""Plain-words formatting for the conflicts view: values as analysts write them, outlets by name.

An explanation must let an analyst act without opening the articles: it names each value the way
an analyst would write it ("$6.3B", "Jul 2026"), who states it, and why the values disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from extractors.models import Fact
from extractors.vocabulary import per_month
from reconciliation.compat import (
    CONFLICT,
    MINOR,
    Amount,
    Verdict,
    amount_of,
    date_interval,
    field_kind,
)

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CNY": "CN¥"}
SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PERIOD_WORDS = {"month": "month", "year": "year", "quarter": "quarter", "week": "week", "day": "day"}
FIELD_LABELS = {
    "total_value": "Total value",
    "monthly_fee": "Monthly fee",
    "start_date": "Start date",
    "end_date": "End date",
    "term_months": "Term",
    "announced_on": "Announcement date",
    "termination_notice_days": "Termination notice",
    "termination_lockin_months": "Lock-in before termination",
    "termination_by": "Who may terminate",
    "accelerator_count": "Accelerator count",
    "capacity_mw": "Capacity",
    "deal_type": "Deal type",
}
UNIT_SUFFIX = {
    "term_months": " months",
    "termination_notice_days": " days",
    "termination_lockin_months": " months",
    "capacity_mw": " MW",
}
REASON_WORDS = {
    "rounding": "which reads as {r} rounded",
    "approximation": "which only roughly agrees with {r}",
    "overlap": "which overlaps {r} but is not the same",
    "adjacent": "which is a day away from {r}",
    "disjoint": "which contradicts {r}",
    "currency": "which is in another currency than {r}",
    "different": "which differs from {r}",
    "same source": "while the same outlet also states {r}",
    "hedged": "a bound that names another figure than {r}",
}


@dataclass
class Stated:
    """One distinct value of a field and who states it, as an explanation needs it."""

    display: str
    publishers: list[str]  # outlets that state it, deduplicated
    source_count: int


def format_money(amount: float | None, currency: str | None = "USD") -> str:
    """$6.3B, $150M, $1.25B, €2B; 'CHF 2B' for currencies without a symbol."""
    if amount is None or not isinstance(amount, (int, float)) or not math.isfinite(amount):
        return "?"
    sym = CURRENCY_SYMBOLS.get((currency or "USD").upper())
    prefix = sym if sym else f"{currency} "
    for scale, suffix in SCALES:
        if abs(amount) >= scale:
            return f"{prefix}{_trim(amount / scale)}{suffix}"
    return f"{prefix}{_trim(amount)}"


def _trim(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def format_month(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def format_date(d: date, precision: str | None = "day") -> str:
    """A date as precisely as it was stated: 'Jul 1, 2026', 'Jul 2026', 'Q3 2026', 'H2 2026', '2029'."""
    if precision == "month":
        return format_month(d)
    if precision == "quarter":
        return f"Q{(d.month - 1) // 3 + 1} {d.year}"
    if precision == "half":
        return f"H{1 if d.month <= 6 else 2} {d.year}"
    if precision == "year":
        return str(d.year)
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def format_fact(field: str, fact: Fact, amount: Amount | None = None) -> str:
    """The value of ``fact`` as an analyst writes it; falls back to the article's own wording."""
    try:
        kind = field_kind(field)
        attrs = fact.attrs if isinstance(fact.attrs, dict) else {}
        if kind == "money":
            amt = amount or amount_of(fact)
            if amt is None:
                return fact.display
            cur = amt.currency
            if amt.shape == "range":
                text = f"{format_money(amt.lo, cur)}–{format_money(amt.hi, cur)}"
            else:
                text = format_money(amt.point, cur)
                qualifier = str(attrs.get("qualifier") or "").strip()
                text = f"{qualifier} {text}" if qualifier else text
            if field == "monthly_fee":
                text += "/month"
                period = str(attrs.get("period") or "month").lower()
                stated = attrs.get("stated_amount")
                if period != "month" and period in per_month() and isinstance(stated, (int, float)):
                    text = f"{format_money(stated, cur)}/{PERIOD_WORDS[period]} (= {text})"
            return text
        if kind == "date":
            iv = date_interval(fact)
            if iv is None:
                return fact.display
            precision = attrs.get("precision") or "day"
            return format_date(iv[1] if field == "end_date" else iv[0], precision)
        if kind in ("count", "quantity"):
            amt = amount_of(fact, exact_units=True)
            if amt is None or amt.point is None:
                return fact.display
            number = f"{amt.point:,.0f}" if float(amt.point).is_integer() else f"{amt.point:,.1f}"
            qualifier = str(attrs.get("qualifier") or "").strip()
            text = f"{number}{UNIT_SUFFIX.get(field, '')}"
            return f"{qualifier} {text}" if qualifier else text
        return str(fact.value) if fact.value is not None else fact.display
    except Exception:
        return str(fact.display)


def outlets(publishers: list[str], limit: int = 4) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C, D and 2 others'."""
    names = [p for p in dict.fromkeys(publishers) if p]
    if not names:
        return "an unnamed source"
    if len(names) > limit:
        return f"{', '.join(names[:limit])} and {len(names) - limit} other{'s' if len(names) - limit > 1 else ''}"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _who(s: Stated) -> str:
    named = len({p for p in s.publishers if p})
    if s.source_count > 1 and named > s.source_count:  # a syndicated copy counts once as a source
        return (
            f"{s.source_count} independent sources ({named} outlets: {outlets(s.publishers)}, "
            f"a syndicated copy counted once) say"
        )
    if s.source_count > 1:
        return f"{s.source_count} sources ({outlets(s.publishers)}) say"
    if len(set(s.publishers)) > 1:  # one story, republished
        return f"{outlets(s.publishers)} (one syndicated story) say"
    return f"{outlets(s.publishers)} says"


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def explain_disagreement(field: str, resolved: Stated, others: list[tuple[Stated, Verdict]]) -> str:
    """'Total value: 4 sources (A, B, C, D) say $6.3B; E says $6B, which reads as a rounded …'."""
    parts = [f"{field_label(field)}: {_who(resolved)} {resolved.display}"]
    for stated, verdict in others:
        reason = REASON_WORDS.get(verdict.reason, "which differs from {r}").format(r=resolved.display)
        parts.append(f"{_who(stated)} {stated.display}, {reason}")
    text = "; ".join(parts) + "."
    if any(v.relation == CONFLICT for _, v in others):
        text += " These cannot all be right: check the articles."
    elif all(v.relation == MINOR for _, v in others):
        text += f" The deal shows {resolved.display}."
    return text
