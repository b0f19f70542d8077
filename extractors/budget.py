"""A time budget per document, so one pathological page cannot hold a run.

Parsing and extraction check a :class:`Deadline` between their steps (cooperatively: a step
that has started runs to its end, and every step is bounded by the size caps on its input).
Past the budget the document is given up with a status that says so, and the run goes on.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

#: Seconds one document may spend in parsing, and again in extraction. A news page takes well
#: under a second of each here; a 2 MB page of junk about 5-7 s to parse.
DEFAULT_BUDGET_S = 30.0
BUDGET_ENV = "DEALWATCH_DOC_BUDGET"
#: How the status of a document given up for time begins (parse and extraction alike).
GAVE_UP = "failed: took too long"


def document_budget() -> float:
    """The budget in seconds: ``$DEALWATCH_DOC_BUDGET`` when it is a positive number, else the default."""
    raw = os.environ.get(BUDGET_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_BUDGET_S
    except ValueError:
        return DEFAULT_BUDGET_S
    return value if value > 0 else DEFAULT_BUDGET_S


class TookTooLong(Exception):
    """The document used up its time budget; ``str()`` is its status ('failed: took too long (...)')."""


@dataclass
class Deadline:
    """When a document's work must stop; ``check`` raises :class:`TookTooLong` past it."""

    what: str  # 'parsing' or 'extraction'
    budget_s: float = field(default_factory=document_budget)
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def expired(self) -> bool:
        return self.elapsed > self.budget_s

    def check(self, step: str) -> None:
        if self.expired():
            raise TookTooLong(
                f"{GAVE_UP} ({self.what} stopped at {step} after {self.elapsed:.1f} s; "
                f"the budget is {self.budget_s:g} s per document)"
            )
