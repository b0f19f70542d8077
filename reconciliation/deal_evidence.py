"""A deal's evidence: every fact behind it, and why a fact does not stand behind the shown value.

Split out of the deal builder in reconciliation/reconcile.py; the mixin reads the builder's items,
resolutions, exclusions, drops and directions.
"""

from __future__ import annotations

from extractors.models import DEAL_FIELDS, Fact
from reconciliation.explain import field_label
from reconciliation.grouping import MentionRecord
from reconciliation.resolution import Resolution

#: Fields that come from the grouping key; their facts are evidence, never conflicts.
PARTY_FIELDS = ("provider", "customer")


class EvidenceMixin:
    """Evidence rows for :class:`reconciliation.reconcile._DealBuilder`."""

    def why_not_used(self, rec: MentionRecord, fname: str, fact: Fact, res: Resolution | None) -> str | None:
        """Why a fact does not stand behind the value the deal shows (None: it does)."""
        if id(fact) in self.excluded:
            return self.excluded[id(fact)]
        if fname in PARTY_FIELDS:
            return self.directions.flipped.get(rec.mention.mention_id)
        if fname in self.dropped:
            return f"the deal does not show {field_label(fname).lower()}: {self.dropped[fname]}"
        if res is None or fname not in DEAL_FIELDS or res.winner is None:
            return None
        group = next((g for g in res.groups if any(f is fact for _, f in g.items)), None)
        if group is None or res.agrees(group):
            return None
        verdict = res.verdicts.get(group.key)
        reason = verdict.reason if verdict else "different"
        return (
            f"outweighed ({reason}): {len(res.winner.sources)} source(s) state "
            f"{self.display(fname, res.winner)}, {len(group.sources)} state {self.display(fname, group)}"
        )

    def evidence(self) -> list[dict]:
        out, seen = [], set()
        for fname, items in self.all_items.items():
            res = self.res.get(fname)
            for rec, fact in items:
                key = (
                    fname,
                    rec.mention.mention_id,
                    fact.start_char,
                    fact.end_char,
                    fact.extractor,
                    fact.display,
                )
                if key in seen:  # the same fact stated twice by one mention is one piece of evidence
                    continue
                seen.add(key)
                why = self.why_not_used(rec, fname, fact, res)
                out.append(
                    {
                        "deal_id": self.deal_id,
                        "field": fname,
                        "value": fact.display,
                        "article_id": rec.mention.article_id,
                        "mention_id": rec.mention.mention_id,
                        "url": rec.url,
                        "publisher": rec.publisher,
                        "sentence": fact.sentence,
                        "start_char": fact.start_char,
                        "end_char": fact.end_char,
                        "extractor": fact.extractor,
                        "confidence": fact.confidence,
                        "used": why is None,
                        "why": why,
                    }
                )
        return out
