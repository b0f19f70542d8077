"""Where each deal sits on the report's timeline: x by date, y by value (log scale), as SVG numbers.

Plain arithmetic, so the template only draws what is computed here. Deals without a value sit on a
separate band at the bottom; deals without any date are left out and counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from reconciliation.explain import format_money

WIDTH, HEIGHT = 960, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 50  # margins for the axes' labels
NO_VALUE_BAND = 36  # height of the "no value" band above the date axis


@dataclass
class Point:
    deal_id: str
    x: float
    y: float
    r: float
    label: str
    short: str  # beside the circle, where it does not cover another label
    has_value: bool
    label_x: float = 0.0
    label_anchor: str = "start"
    labelled: bool = False


@dataclass
class Timeline:
    width: int = WIDTH
    height: int = HEIGHT
    points: list[Point] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    undated: int = 0
    plot: tuple[float, float, float, float] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)
    no_value_y: float = HEIGHT - BOTTOM - NO_VALUE_BAND / 2


def _when(deal: dict[str, Any]) -> date | None:
    for key in ("deal_date", "announced_on", "start_date"):
        value = deal.get(key)
        if isinstance(value, date):
            return value
    return None


def _month_ticks(lo: date, hi: date, x_of) -> list[tuple[float, str]]:
    """About eight ticks: months for a short span, years for a long one."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = max(1, math.ceil(months / 8))
    ticks, y, m = [], lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        d = date(y, m, 1)
        if d >= lo - timedelta(days=1):
            ticks.append((x_of(d), d.strftime("%b %Y") if step < 12 else str(y)))
        m += step
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return ticks


def build_timeline(deals: list[dict[str, Any]]) -> Timeline:
    """Place every dated deal; value on a log scale so $50M and $30B both read."""
    tl = Timeline()
    x0, y0, x1, y1 = tl.plot
    dated = [(d, _when(d)) for d in deals]
    tl.undated = sum(1 for _, w in dated if w is None)
    dated = [(d, w) for d, w in dated if w is not None]
    if not dated:
        return tl
    lo = min(w for _, w in dated) - timedelta(days=15)
    hi = max(w for _, w in dated) + timedelta(days=15)
    span = max((hi - lo).days, 1)

    def x_of(d: date) -> float:
        return round(x0 + (x1 - x0) * (d - lo).days / span, 1)

    values = [d["total_value"] for d, _ in dated if _is_amount(d.get("total_value"))]
    vlo = math.floor(math.log10(min(values))) if values else 6
    vhi = math.ceil(math.log10(max(values))) if values else 10
    vhi = vhi if vhi > vlo else vlo + 1
    plot_bottom = y1 - NO_VALUE_BAND

    def y_of(v: float) -> float:
        return round(plot_bottom - (plot_bottom - y0) * (math.log10(v) - vlo) / (vhi - vlo), 1)

    for d, when in dated:
        value = d.get("total_value")
        sources = d.get("source_count") or 1
        r = round(4 + 2 * math.sqrt(min(sources, 16)), 1)
        money = format_money(value, d.get("currency")) if _is_amount(value) else "no value"
        parties = f"{d.get('provider') or '?'} → {d.get('customer') or '?'}"
        tl.points.append(
            Point(
                deal_id=d["deal_id"],
                x=x_of(when),
                y=y_of(value) if _is_amount(value) else tl.no_value_y,
                r=r,
                label=f"{parties}: {money}, {when.isoformat()}",
                short=f"{d.get('customer') or d.get('provider') or '?'} {money if _is_amount(value) else ''}".strip(),
                has_value=_is_amount(value),
            )
        )
    place_labels(tl.points, x1)
    tl.x_ticks = _month_ticks(lo, hi, x_of)
    tl.y_ticks = [(y_of(10.0**e), format_money(10.0**e, "USD").lstrip("$")) for e in range(vlo, vhi + 1)]
    return tl


def _is_amount(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


CHAR_WIDTH, LABEL_HEIGHT = 6.5, 13  # 11px text, roughly


def place_labels(points: list[Point], right_edge: float) -> None:
    """Label points right of the circle (left of it near the right edge), biggest deals first,
    skipping a label that would cover one already placed: the tooltip still names every point."""
    boxes: list[tuple[float, float, float, float]] = []
    for p in sorted(points, key=lambda p: (not p.has_value, -p.r, p.y)):
        width = len(p.short) * CHAR_WIDTH
        if p.x + p.r + 4 + width <= right_edge:
            p.label_x, p.label_anchor, x0 = p.x + p.r + 4, "start", p.x + p.r + 4
        else:
            p.label_x, p.label_anchor, x0 = p.x - p.r - 4, "end", p.x - p.r - 4 - width
        box = (x0, p.y - LABEL_HEIGHT / 2, x0 + width, p.y + LABEL_HEIGHT / 2)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            boxes.append(box)
            p.labelled = True
