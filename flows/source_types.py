"""What sources are and what expanding them yields (shared by the expansion and the format readers)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a worker parsing a feed (Offload) then does not import the fetcher: ~5.5 MB
    from flows.fetch import FetchResult

#: ``await offload(func, *args)``: ``func(*args)`` computed elsewhere, e.g. a feed parsed on an idle
#: Dask worker while this process fetches the next feed (flows.parallel.BatchRunner.offload).
Offload = Callable[..., Awaitable[Any]]


@dataclass
class SourceSpec:
    """One entry of sources.toml (or a SOURCE argument). ``problem`` set = unusable, with why."""

    name: str
    url: str  # absolute URL, or a path (relative paths in sources.toml are relative to that file)
    enabled: bool = True
    delay: float | None = None  # minimum seconds between requests to this source's host
    kind: str = "auto"  # one of KINDS; 'auto' detects from the fetched content
    problem: str | None = None


@dataclass
class SourceItem:
    """One document to fetch (kind 'url') or read (kind 'file')."""

    location: str  # absolute URL, or absolute local path
    kind: str  # 'url' | 'file'
    source: str  # name of the SOURCE / sources.toml entry it came from
    title_hint: str | None = None
    published_hint: datetime | None = None  # UTC


@dataclass
class SourceProblem:
    """Why a source (or a document it names) gave nothing to read.

    ``location`` is set when the problem is about one document the user will look for in the
    ``articles`` view (a failing feed, a missing file); informational notes leave it None.
    """

    source: str
    reason: str
    location: str | None = None


@dataclass
class ExpandedSources:
    """Everything the sources named, plus what went wrong and every fetch made to find out.

    ``fetches``: feed/sitemap/URL-list fetches (store them in the fetch log).
    ``pages``: article pages fetched while detecting a URL's kind; ``r.url == item.location``,
    so the caller stores these instead of fetching them again.
    ``explicit_hosts`` / ``host_delays``: pass straight to ``fetch_many`` for the items.
    """

    items: list[SourceItem] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    pages: list[FetchResult] = field(default_factory=list)
    explicit_hosts: set[str] = field(default_factory=set)
    host_delays: dict[str, float] = field(default_factory=dict)

    def merge(self, other: ExpandedSources) -> None:
        seen = {i.location for i in self.items}
        for item in other.items:
            if item.location not in seen:  # first source to name a document keeps it
                seen.add(item.location)
                self.items.append(item)
        self.problems += other.problems
        self.fetches += other.fetches
        self.pages += other.pages
