"""Derived values rounded no finer than what was stated, and said to be derived.

A monthly fee computed from "$1 billion a year" is $83,333,333.33 only to a calculator; the
article stated one significant figure, so the deal shows $83.3M and marks the field derived. Three
figures at least: fewer would move the fee by more than 1% from the stated figure ÷ 12 ("£14m a
year" as £1.2M a month is 2.9% off, £1.17M is 0.3%), which reads as another figure, not a rounding.
"""

from __future__ import annotations

import math

from extractors.models import Fact

#: Never round a derived value to fewer significant figures than this.
MIN_FIGURES = 3


def significant_figures(x: float) -> int:
    """Figures stated in ``x``: 1.8e9 -> 2, 1e9 -> 1, 2.45e9 -> 3, 150e6 -> 2."""
    if not x or not math.isfinite(x):
        return MIN_FIGURES
    digits = f"{abs(x):.12e}".split("e")[0].replace(".", "").rstrip("0")
    return max(1, len(digits))


def round_figures(x: float, figures: int) -> float:
    if not x or not math.isfinite(x):
        return x
    scale = figures - 1 - math.floor(math.log10(abs(x)))
    return round(x, scale) if scale > 0 else float(round(x / 10 ** (-scale)) * 10 ** (-scale))


def honest_fee(fact: Fact | None) -> tuple[float | None, str | None]:
    """The monthly fee the deal shows, and how it was derived (None when stated per month)."""
    if fact is None:
        return None, None
    try:
        value = float(fact.value)
    except (TypeError, ValueError):
        return None, None
    attrs = fact.attrs if isinstance(fact.attrs, dict) else {}
    period = str(attrs.get("period") or "month").lower()
    stated = attrs.get("stated_amount")
    if period == "month" or not isinstance(stated, (int, float)):
        return value, None
    figures = max(MIN_FIGURES, significant_figures(float(stated)))
    return round_figures(value, figures), f"monthly fee from a per-{period} figure ({fact.display})"
