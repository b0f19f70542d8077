"""Which qualifier a deal's total carries when one outlet states it flat and another hedges it.

The row shows the firmest figure ("$6.3B" over "about $6B"; reconciliation/resolution.py). A hedge
another outlet put on that figure still tells the analyst something: "about" or "nearly" the very
figure shown, or an approximation whose range holds it, means the sources do not all stand behind
the exact number, so the qualifier stays with the row. A bound that names another figure ("up to
$900M" beside "$860M") is not carried — it would claim something of the shown figure no one said —
but is flagged as a conflict (reconciliation/deal_conflicts.py). A rounded headline of the outlet
whose own body gives the exact figure carries nothing: that outlet stands behind the figure.
"""

from __future__ import annotations

from extractors.vocabulary import canonical_qualifier, qualifier_meaning
from reconciliation.compat import CONFLICT
from reconciliation.resolution import Resolution

#: Two figures this close (relative) are one figure.
SAME_FIGURE = 0.01


def carried_qualifier(res: Resolution | None) -> str | None:
    """The hedge of the best-supported other wording that still holds for the shown total, or None."""
    if res is None or res.winner is None:
        return None
    shown = res.winner.claim.amount
    if shown is None or shown.point is None or shown.shape != "exact":
        return None
    found: list[tuple[int, str]] = []
    for g in res.groups:
        verdict = res.verdicts.get(g.key)
        if g is res.winner or verdict is None or verdict.relation == CONFLICT:
            continue
        if g.sources <= res.winner.sources:
            continue  # the same outlets also state the figure flat
        attrs = g.rep.attrs if g.rep is not None and isinstance(g.rep.attrs, dict) else {}
        qualifier = canonical_qualifier(str(attrs.get("qualifier") or ""))
        amount = g.claim.amount
        if not qualifier or amount is None or amount.point is None:
            continue
        same = abs(amount.point - shown.point) <= SAME_FIGURE * max(abs(amount.point), abs(shown.point))
        holds = qualifier_meaning(qualifier) == "approx" and amount.lo <= shown.point <= amount.hi
        if same or holds:
            found.append((-len(g.sources), qualifier))
    return min(found)[1] if found else None
