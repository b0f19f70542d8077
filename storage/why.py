"""``dealwatch show DEAL_ID --why``: why the deal reads as it does, in plain words.

For the pair, the direction and each value: the sentences and rule ids behind it, and what was
outvoted or dropped and why. Reads only the stored result (deal_store, evidence, conflicts), so
it explains exactly what analysts see.
"""

from __future__ import annotations

import json
from collections import defaultdict

import duckdb

from extractors.models import DealStatus
from reconciliation.explain import format_money
from storage.db import fetch_dicts

PARTY_FIELDS = ("provider", "customer")
MONEY_FIELDS = ("monthly_fee", "total_value")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    return fetch_dicts(con.execute(sql, params))


def _sentence(text: str | None, limit: int = 220) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _evidence_lines(items: list[dict]) -> list[str]:
    out = []
    for e in items:
        where = e.get("publisher") or e.get("url") or e.get("article_id")
        mark = "" if e.get("used") in (None, True) else "   NOT USED"
        out.append(f"    - {e['value']}  [{e['extractor']}, {where}]{mark}")
        out.append(f"      “{_sentence(e['sentence'])}”")
        if e.get("why"):
            out.append(f"      why: {e['why']}")
    return out


def explain_deal(con: duckdb.DuckDBPyConnection, deal_id: str) -> list[str] | None:
    """The lines of the explanation, or None when there is no such deal or candidate."""
    deals = _rows(con, "SELECT * FROM deal_store WHERE deal_id = ?", [deal_id])
    if not deals:
        return None
    deal = deals[0]
    extra = json.loads(deal.get("extra") or "{}")
    evidence = _rows(
        con,
        "SELECT * FROM evidence WHERE deal_id = ? ORDER BY field, used DESC, publisher, start_char",
        [deal_id],
    )
    conflicts = _rows(con, "SELECT field, severity, explanation FROM conflicts WHERE deal_id = ?", [deal_id])
    by_field: dict[str, list[dict]] = defaultdict(list)
    for e in evidence:
        by_field[e["field"]].append(e)
    status = deal.get("status") or DealStatus.DEAL
    lines = [f"Deal {deal_id}: {deal['provider'] or '?'} supplies {deal['customer'] or '?'}  ({status})"]
    if status == DealStatus.CANDIDATE:
        lines.append(f"  Not in `deals`, only in `deal_candidates`: {deal.get('reason')}.")
    lines.append("\nWho supplies whom")
    lines.append(f"  {extra.get('direction') or 'one direction only; no other article states the reverse.'}")
    for v in extra.get("direction_votes", []):
        lines.append(
            f"    {v['side']:7} {v['rule']} ({'main' if v['main'] else 'passing'} mention {v['mention_id']}, "
            f"weight {v['weight']})"
        )
    for fname in PARTY_FIELDS:
        lines.append(f"  {fname}: {deal.get(fname) or '?'}")
        lines += _evidence_lines(by_field.pop(fname, []))
    notes = dict.fromkeys(deal.get("derived_fields") or [], deal.get("derivation"))
    dropped = set(deal.get("dropped_fields") or [])
    explained = defaultdict(list)
    for c in conflicts:
        explained[c["field"]].append(f"[{c['severity']}] {c['explanation']}")
    lines.append("\nValues")
    for fname in sorted(by_field):
        shown = deal.get(fname, extra.get(fname))
        if fname in MONEY_FIELDS and isinstance(shown, (int, float)):
            shown = format_money(shown, deal.get("currency"))
        head = f"  {fname}: {shown if shown not in (None, []) else '(not shown)'}"
        if fname in dropped:
            head += "  — left out to keep the row consistent"
        if fname in notes:
            head += f"  — derived: {notes[fname]}"
        lines.append(head)
        lines += [f"    {text}" for text in explained.pop(fname, [])]
        lines += _evidence_lines(by_field[fname])
    for fname, texts in sorted(explained.items()):
        lines.append(f"  {fname}:")
        lines += [f"    {t}" for t in texts]
    return lines
