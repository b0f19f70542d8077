"""A deal's conflicts: values sources disagree on, and figures that do not add up.

Split out of the deal builder in reconciliation/reconcile.py; the mixin reads the builder's resolutions
(``self.res``), term and claims and appends to ``self.conflicts``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from extractors.models import ConflictStatus
from reconciliation.arithmetic import check_term, check_total
from reconciliation.compat import COMPATIBLE, CONFLICT, MINOR, Verdict, date_interval
from reconciliation.explain import (
    Stated,
    explain_disagreement,
    field_label,
    format_fact,
    format_money,
    outlets,
)
from reconciliation.resolution import ValueGroup, _date, publisher_of
from storage.encoding import json_value

PARTY_FIELDS = ("provider", "customer")
#: Two figures this close (relative) are the same figure rounded, not two figures.
HEDGE_SAME_FIGURE = 0.01


def _hash(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def hedged_apart(winner: ValueGroup, group: ValueGroup, verdict: Verdict) -> Verdict:
    """A hedged figure that names another number than the one shown is a minor disagreement.

    "Up to $900M" contains "$860M" and "more than $700M" contains "$720M", so the rules of
    reconciliation/compat.py call them compatible (the row shows the firmer figure); but two outlets
    stated different figures, and an analyst reading either would expect the other to be flagged.
    Figures within 1% of each other (one outlet's rounding of the other's) stay agreed.
    """
    if verdict.relation != COMPATIBLE or group is winner:
        return verdict
    a, b = winner.claim.amount, group.claim.amount
    if a is None or b is None or a.point is None or b.point is None or "bound" not in (a.shape, b.shape):
        return verdict
    if abs(a.point - b.point) <= HEDGE_SAME_FIGURE * max(abs(a.point), abs(b.point)):
        return verdict
    return Verdict(MINOR, "same source" if group.sources <= winner.sources else "hedged")


class ConflictMixin:
    """Conflict building for :class:`reconciliation.reconcile._DealBuilder`."""

    def value_conflicts(self) -> None:
        for fname, res in self.res.items():
            if fname in PARTY_FIELDS or res.winner is None:
                continue
            others = [
                (g, v)
                for g in res.groups
                if (v := hedged_apart(res.winner, g, res.verdicts[g.key])).relation in (MINOR, CONFLICT)
            ]
            if others:
                self.add_conflict(fname, "value", res.winner, others)

    def add_conflict(
        self,
        fname: str,
        kind: str,
        winner: ValueGroup,
        others: list[tuple[ValueGroup, Verdict]],
    ) -> None:
        severity = CONFLICT if any(v.relation == CONFLICT for _, v in others) else MINOR
        groups = [winner] + [g for g, _ in others]
        explanation = explain_disagreement(
            fname, self.stated(fname, winner), [(self.stated(fname, g), v) for g, v in others]
        )
        self.conflicts.append(
            {
                "field": fname,
                "kind": kind,
                "severity": severity,
                "values": [self.value_entry(fname, g) for g in groups],
                "explanation": explanation,
                "keys": [list(map(str, g.key)) for g in groups],
            }
        )

    def stated(self, fname: str, g: ValueGroup) -> Stated:
        return Stated(self.display(fname, g), g.publishers, len(g.sources))

    def display(self, fname: str, g: ValueGroup) -> str:
        fact = g.rep or g.items[0][1]
        return format_fact(fname, fact, self.claims(fname, fact).amount)

    def value_entry(self, fname: str, g: ValueGroup) -> dict:
        return {
            "value": json_value(g.rep.value),
            "display": self.display(fname, g),
            "article_ids": g.article_ids,
            "publishers": g.publishers,
        }

    def arithmetic_conflicts(self) -> None:
        fee = self.winner("monthly_fee")
        total = self.res.get("total_value")
        basis = ["monthly_fee", "term_months", "start_date", "end_date"]
        if fee is not None and total is not None and total.groups:
            fee_amount = self.claims("monthly_fee", fee).amount
            totals = [(g.claim.amount, self.display("total_value", g)) for g in total.groups]
            checked = check_total(
                fee_amount,
                format_fact("monthly_fee", fee, fee_amount),
                self.term,
                [(a, d) for a, d in totals if a is not None],
                {self.display("total_value", g): outlets(g.publishers) for g in total.groups},
            )
            if checked is not None:
                sum_text, finding = checked
                if finding is not None:
                    self.add_finding(
                        "total_value", finding.explanation, finding.computed, basis, finding.contradicted
                    )
                else:  # consistent: still worth showing next to a rounding/approximation note
                    self.annotate("total_value", sum_text)
        start, end = self.winner("start_date"), self.winner("end_date")
        if self.term is not None and self.term.source == "stated" and start is not None and end is not None:
            finding = check_term(self.term.months, _date(start), date_interval(end))
            if finding is not None:
                self.add_finding(
                    "term_months",
                    finding.explanation,
                    finding.computed,
                    ["start_date", "end_date"],
                    finding.contradicted,
                )

    def annotate(self, fname: str, text: str) -> None:
        row = next((c for c in self.conflicts if c["field"] == fname), None)
        if row is not None:
            row["explanation"] += f" Arithmetic: {text}."

    def add_finding(
        self, fname: str, explanation: str, computed: float | None, basis: list[str], contradicted: list[str]
    ) -> None:
        """An arithmetic contradiction: joins the field's value conflict, or becomes its own."""
        row = next((c for c in self.conflicts if c["field"] == fname), None)
        if row is not None:
            row["explanation"] += f" Arithmetic: {explanation}."
            row["severity"] = CONFLICT
            res = self.res.get(fname)
            shown = {v["display"] for v in row["values"]}
            for g in res.groups if res else []:
                display = self.display(fname, g)
                if display not in shown and display in contradicted:
                    row["values"].append(self.value_entry(fname, g))
                    row["keys"].append(list(map(str, g.key)))
            return
        res = self.res.get(fname)
        values = [self.value_entry(fname, g) for g in (res.groups if res else [])]
        support = [
            r
            for f in basis
            if f != fname and self.res.get(f) and self.res[f].winner
            for r, _ in self.res[f].winner.items
        ]
        if computed is not None:
            shown = (
                format_money(computed, self.currency())
                if fname == "total_value"
                else f"{computed:.0f} months"
            )
            values.append(
                {
                    "value": computed,
                    "display": f"{shown} (computed)",
                    "article_ids": sorted({r.mention.article_id for r in support}),
                    "publishers": sorted({publisher_of(r) for r in support}),
                }
            )
        self.conflicts.append(
            {
                "field": fname,
                "kind": "arithmetic",
                "severity": CONFLICT,
                "values": values,
                "explanation": f"{field_label(fname)} does not add up: {explanation}.",
                "keys": [[str(v["value"])] for v in values],
            }
        )

    def finish_conflicts(self) -> list[dict]:
        out = []
        for c in self.conflicts:
            cid = "c_" + _hash(self.deal_id, c["field"], c["kind"])[:12]
            vhash = _hash(c["severity"], sorted(map(str, c.pop("keys"))))
            prev = self.previous.conflict_status.get(cid)
            acked = prev and prev[0] == ConflictStatus.ACKNOWLEDGED and prev[1] == vhash
            status = ConflictStatus.ACKNOWLEDGED if acked else ConflictStatus.OPEN
            out.append(
                {"conflict_id": cid, "deal_id": self.deal_id, **c, "status": status, "values_hash": vhash}
            )
        return out
