"""What a run did, in numbers and plain reasons — printed at the end so nothing fails silently."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Outcome:
    """One document or source that did not become an extracted article, and why."""

    location: str
    reason: str


@dataclass
class RunSummary:
    run_id: str
    started_at: datetime
    sources: list[str]
    finished_at: datetime | None = None
    documents: int = 0  # documents looked at (feed items, URLs, files)
    fetched: int = 0  # received with a body (or read from disk)
    new: int = 0  # articles not seen before
    changed: int = 0  # articles whose content changed since the last run
    unchanged: int = 0  # 304 Not Modified or the same bytes as last time
    failed: list[Outcome] = field(default_factory=list)  # fetch/read errors, refused URLs
    skipped: list[Outcome] = field(default_factory=list)  # stored but not extracted (not an article...)
    problems: list[Outcome] = field(default_factory=list)  # sources that could not be expanded
    duplicates: int = 0
    deal_articles: int = 0
    mentions: int = 0
    deals_total: int = 0
    deals_created: int = 0
    deals_updated: int = 0
    conflicts: int = 0
    open_conflicts: int = 0
    db_path: str = ""
    snapshot_path: str = ""
    stage_seconds: dict[str, float] = field(default_factory=dict)
    work_counts: dict[str, int] = field(default_factory=dict)  # extraction counters (sentences parsed...)
    workers: list[str] = field(default_factory=list)  # host:pid of each process that parsed/extracted

    @property
    def ingested(self) -> int:
        return self.new + self.changed + self.unchanged

    @property
    def exit_code(self) -> int:
        """Non-zero only when nothing could be ingested (the caller handles database errors)."""
        return 0 if self.ingested > 0 else 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["started_at"] = self.started_at.isoformat()
        d["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return d


def _reasons(outcomes: list[Outcome], limit: int = 12) -> list[str]:
    lines = [f"    - {o.location}: {o.reason}" for o in outcomes[:limit]]
    if len(outcomes) > limit:
        more = Counter(o.reason.split(":")[0] for o in outcomes[limit:])
        lines.append("    … and " + ", ".join(f"{n} more {r}" for r, n in more.most_common()))
    return lines


def render_summary(s: RunSummary) -> str:
    """Plain text a user reads at the end of `dealwatch ingest`."""
    lines = [
        f"Run {s.run_id} — {len(s.sources)} source(s), {s.documents} document(s)",
        f"  articles: {s.fetched} fetched, {s.new} new, {s.changed} changed, {s.unchanged} unchanged, "
        f"{len(s.failed)} failed, {len(s.skipped)} skipped, {s.duplicates} duplicate(s)",
        f"  extraction: {s.deal_articles} deal article(s), {s.mentions} deal mention(s)",
        f"  deals: {s.deals_created} created, {s.deals_updated} updated, {s.deals_total} in total; "
        f"conflicts: {s.conflicts} ({s.open_conflicts} open)",
    ]
    if s.problems:
        lines.append(f"  sources with problems ({len(s.problems)}):")
        lines += _reasons(s.problems)
    if s.failed:
        lines.append(f"  failed ({len(s.failed)}):")
        lines += _reasons(s.failed)
    if s.skipped:
        lines.append(f"  skipped, stored but not extracted ({len(s.skipped)}):")
        lines += _reasons(s.skipped)
    if s.stage_seconds:
        lines.append("  time: " + ", ".join(f"{k} {v:.1f}s" for k, v in s.stage_seconds.items() if v >= 0.05))
    lines.append(f"  database: {s.db_path} (analysts' snapshot: {s.snapshot_path})")
    return "\n".join(lines)
