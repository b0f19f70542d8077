"""The state one run owns, passed in explicitly: settings, clock, HTTP transport, per-host
politeness and metrics.

Nothing of a run lives in a module global: two runs in one process (tests, a served schedule, a
library user) each get their own context, so one run's robots.txt rules, host delays or stage
timings never leak into another's. Inside a run the same context reaches every fetch, so the delay
between two requests to one host holds across the feed fetch and the article fetches.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from flows.host_state import HostRegistry
from flows.http_policy import FetchPolicy


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RunMetrics:
    """Wall seconds per stage and work counters of one run: what the summary reports and the
    benchmark reads (bench/measure.py), measured where the work happens."""

    stage_seconds: dict[str, float] = field(default_factory=dict)
    work_counts: dict[str, int] = field(default_factory=dict)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Adds the wall time of the ``with`` body to stage ``name`` (also when it raises)."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.add_seconds(name, time.perf_counter() - t0)

    def add_seconds(self, name: str, seconds: float) -> None:
        self.stage_seconds[name] = self.stage_seconds.get(name, 0.0) + seconds

    def add_counts(self, counts: dict[str, int]) -> None:
        for key, n in counts.items():
            self.work_counts[key] = self.work_counts.get(key, 0) + n


@dataclass
class RunContext:
    """Everything a run reads or keeps besides its database: made once per run, passed down.

    ``policy``: the fetch settings. ``clock``: the run's notion of now (start/end times).
    ``transport``: the HTTP transport for every fetch; None means the SSRF-guarded one built per
    fetcher (flows.ssrf); tests hand in ``httpx.MockTransport``. ``hosts``: per-origin delays and
    robots.txt rules, shared by all of the run's fetches. ``metrics``: stage timings and counters.
    """

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    clock: Callable[[], datetime] = utc_now
    transport: httpx.AsyncBaseTransport | None = None
    hosts: HostRegistry = field(default_factory=HostRegistry)
    metrics: RunMetrics = field(default_factory=RunMetrics)

    @classmethod
    def for_run(
        cls, allow_private: bool = False, policy_overrides: dict[str, Any] | None = None, **parts: Any
    ) -> RunContext:
        """A fresh context: the default fetch policy with ``allow_private`` and ``policy_overrides``
        (FetchPolicy fields, e.g. ``{"per_host_delay": 0}``), and any of the other parts given."""
        policy = FetchPolicy(**{"allow_private": allow_private, **(policy_overrides or {})})
        return cls(policy=policy, **parts)

    def fetch_kwargs(self) -> dict[str, Any]:
        """What the fetch functions take from the run (flows.fetch, flows.sources)."""
        return {"hosts": self.hosts, "transport": self.transport}
