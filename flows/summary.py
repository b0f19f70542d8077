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
    # Every document looked at is exactly one of: new, changed, unchanged, duplicate, skipped, failed
    # (so they add up to ``documents``).
    fetched: int = 0  # received with a body, read from disk, or taken from an interrupted run
    resumed: int = 0  # of those, stored by an interrupted run and finished now (not fetched again)
    new: int = 0  # articles not seen (or never finished) before
    changed: int = 0  # articles whose text changed since the last run
    unchanged: int = 0  # 304 Not Modified, the same bytes, or the same text as last time
    failed: list[Outcome] = field(default_factory=list)  # fetch/read errors, refused, unparsable
    skipped: list[Outcome] = field(default_factory=list)  # stored but not extracted (not an article...)
    problems: list[Outcome] = field(default_factory=list)  # sources that could not be expanded
    duplicates: int = 0  # copies of an article already held (syndication)
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
    # `reprocess` only: documents redone because an older extractor made their facts (None: not a
    # reprocess), and whether every document was redone (--all); the rest count as unchanged.
    stale: int | None = None
    up_to_date: int = 0
    redo_all: bool = False

    @property
    def documents(self) -> int:
        return (
            self.new + self.changed + self.unchanged + self.duplicates + len(self.skipped) + len(self.failed)
        )

    @property
    def ingested(self) -> int:
        """Documents now held and processed (a duplicate or a non-article page counts too)."""
        return self.new + self.changed + self.unchanged + self.duplicates + len(self.skipped)

    def counts(self) -> dict[str, int]:
        """The numbers the `runs` view shows as columns."""
        return {
            "documents": self.documents,
            "fetched": self.fetched,
            "resumed": self.resumed,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "skipped": len(self.skipped),
            "failed": len(self.failed),
            "problems": len(self.problems),
            "deal_articles": self.deal_articles,
            "mentions": self.mentions,
            "deals_created": self.deals_created,
            "deals_updated": self.deals_updated,
            "deals_total": self.deals_total,
            "conflicts": self.conflicts,
            "open_conflicts": self.open_conflicts,
        }

    @property
    def exit_code(self) -> int:
        """Non-zero only when nothing could be ingested (the caller handles database errors)."""
        return 0 if self.ingested > 0 else 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["started_at"] = self.started_at.isoformat()
        d["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        d["counts"] = self.counts()
        return d


def _reasons(outcomes: list[Outcome], limit: int = 12) -> list[str]:
    lines = [f"    - {o.location}: {o.reason}" for o in outcomes[:limit]]
    if len(outcomes) > limit:
        more = Counter(o.reason.split(":")[0] for o in outcomes[limit:])
        lines.append("    … and " + ", ".join(f"{n} more {r}" for r, n in more.most_common()))
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _names(sources: list[str], limit: int = 4) -> str:
    """Every source named, or the first few and how many more, so names and count agree."""
    shown = ", ".join(sources[:limit])
    return shown + (f" and {len(sources) - limit} more" if len(sources) > limit else "")


def _reprocess_line(s: RunSummary) -> str:
    if s.redo_all:
        return f"  reprocess: all {_plural(s.stale or 0, 'stored document')} redone (--all)"
    return (
        f"  reprocess: {s.stale} stale document(s) redone (extracted by an older extractor), "
        f"{s.up_to_date} up to date and skipped (--all redoes every one)"
    )


def render_summary(s: RunSummary) -> str:
    """Plain text a user reads at the end of `dealwatch ingest`."""
    resumed = f" ({s.resumed} stored by an interrupted run, finished now)" if s.resumed else ""
    lines = [
        f"Run {s.run_id} — {_plural(len(s.sources), 'source')}{' (' + _names(s.sources) + ')' if s.sources else ''}, "
        f"{_plural(s.documents, 'document')}",
        f"  articles: {s.fetched} fetched{resumed}; {s.new} new, {s.changed} changed, {s.unchanged} unchanged, "
        f"{s.duplicates} duplicate(s), {len(s.skipped)} skipped, {len(s.failed)} failed",
        f"  extraction: {s.deal_articles} deal article(s), {s.mentions} deal mention(s)",
        f"  deals: {s.deals_created} created, {s.deals_updated} updated, {s.deals_total} in total; "
        f"conflicts: {s.conflicts} ({s.open_conflicts} open)",
    ]
    if s.stale is not None:
        lines.append(_reprocess_line(s))
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
