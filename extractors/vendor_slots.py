"""Chip vendors named only by their hardware ("10,000 Nvidia GPUs"): a slot of their own.

Role claims' fallback rows read the seller of hardware from such a name; the other rows keep the
sentence without these slots (another slot would break their gaps).
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.companies import known_companies


@lru_cache(maxsize=1)
def _vendor_before_hardware() -> re.Pattern[str]:
    """A chip or server maker's name (left as text because it only names hardware) right before
    what it makes: "10,000 Nvidia GPUs", "24,000 Acme Instinct accelerators"."""
    names = {
        n
        for e in known_companies().values()
        if e.kind in ("chipmaker", "hardware")
        for n in (e.name, *e.aliases)
        if n[:1].isupper() and len(n) > 2
    }
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        r"(?<![\w⟦-])(?:" + alts + r")(?=(?:'s|’s)?\s+(?:[\w-]+\s+|⟦c\d+⟧\s+){0,3}?"
        r"(?:GPUs?|chips|accelerators|processors|superchips|systems|servers|[A-Z]{1,3}\d{2,4}\w*)\b)"
    )


_SLOT = re.compile(r"⟦([cd]\d+)⟧")


def vendor_slots(
    masked: str, table: dict[str, tuple[str, int, int]]
) -> tuple[str, dict[str, tuple[str, int, int]]]:
    """Give a chip vendor named only before its hardware a slot of its own (⟦c100⟧ …), so that
    "X will buy 10,000 Nvidia GPUs" can name the seller; its offset is counted from the nearest slot."""
    if not table or not any(ch.isupper() for ch in masked):
        return masked, table
    found = list(_vendor_before_hardware().finditer(masked))
    if not found:
        return masked, table
    anchors = [(m.start(), m.end(), table[m.group(1)]) for m in _SLOT.finditer(masked) if m.group(1) in table]
    if not anchors:
        return masked, table
    table = dict(table)
    out, pos = [], 0
    for i, v in enumerate(found):
        before = [a for a in anchors if a[1] <= v.start()]
        if before:
            m_end, orig_end = before[-1][1], before[-1][2][2]
            start = orig_end + (v.start() - m_end)
        else:
            m_start, orig_start = anchors[0][0], anchors[0][2][1]
            start = orig_start - (m_start - v.start())
        key = f"c{100 + i}"
        table[key] = (v.group(), start, start + len(v.group()))
        out.append(masked[pos : v.start()] + f"⟦{key}⟧")
        pos = v.end()
    out.append(masked[pos:])
    return "".join(out), table
