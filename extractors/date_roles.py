"""What a date in a deal story dates when it is not the contract's own start or end.

"The second hall was completed in August", "energised in Q3 2026", "construction starts in 2025",
"the first phase is handed over in mid-2026": build-out milestones. Their start/end Facts carry
``attrs['date_role']`` ('construction', 'handover', 'phase', 'energization', 'completion',
'groundbreaking'), which reconciliation does not take for contract dates
(reconciliation/consistency.py) — unless the clause says the lease or contract itself starts then
("the lease starts on handover in mid-2026").
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from extractors.vocabulary import phrase_alternation

_DATA = tomllib.loads((Path(__file__).parent / "patterns" / "dates.toml").read_text("utf-8"))["milestones"]
#: How far before the date a milestone word may stand (the date's own clause only).
_WINDOW = 70


def _alt(words: list[str]) -> str:
    return phrase_alternation(words)


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]:
    roles = [
        (k, re.compile(r"(?<![\w-])(?:" + _alt(v) + r")(?![\w-])", re.I))
        for k, v in _DATA.items()
        if k != "contract"
    ]
    contract = re.compile(
        r"(?<![\w-])(?:" + _alt(_DATA["contract"]) + r")\s+(?:[\w-]+\s+){0,3}?"
        r"(?:start|starts|starting|begin|begins|beginning|commence\w*|run|runs|running|expire\w*|end|ends|ending)\b",
        re.I,
    )
    return roles, contract


def milestone_role(text: str, start: int, clause_start: int) -> str | None:
    """The milestone a date at ``start`` dates (the nearest milestone word before it in its clause),
    or None when it is the contract's own date or no milestone is named."""
    lo = max(clause_start, start - _WINDOW)
    before = text[lo:start]
    roles, contract = _patterns()
    if contract.search(before):
        return None
    best: tuple[int, str] | None = None
    for role, rx in roles:
        for m in rx.finditer(before):
            if best is None or m.end() > best[0]:
                best = (m.end(), role)
    return best[1] if best else None
