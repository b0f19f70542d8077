"""Per-origin politeness state (one per run, shared by the run's fetchers) and retry timing."""

from __future__ import annotations

import email.utils
import random
import threading
import time
from datetime import UTC, datetime

from flows.http_policy import FetchPolicy
from flows.robots import RobotsRules


class HostRegistry:
    """Per-origin politeness state shared by every fetcher of one run (flows.run_context).

    Shared so that fetching a feed and then its articles in two calls still keeps the delay
    between two requests to one host, and robots.txt is read once per run, not once per call.
    Owned by the run, not the process: a new run (or test) starts with no remembered state.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}
        self._robots: dict[str, RobotsRules] = {}

    def reserve(self, origin: str, delay: float) -> float:
        """Book the next request slot for ``origin``; returns how long to wait for it."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_slot.get(origin, 0.0))
            self._next_slot[origin] = start + delay
            return start - now

    def hold_off(self, origin: str, seconds: float) -> None:
        """Nobody talks to ``origin`` for ``seconds`` (it sent Retry-After)."""
        with self._lock:
            until = time.monotonic() + seconds
            self._next_slot[origin] = max(self._next_slot.get(origin, 0.0), until)

    def robots(self, origin: str) -> RobotsRules | None:
        with self._lock:
            rules = self._robots.get(origin)
            return rules if rules and rules.expires > time.monotonic() else None

    def set_robots(self, origin: str, rules: RobotsRules) -> None:
        with self._lock:
            self._robots[origin] = rules


# ----------------------------------------------------------------------------- retries


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(policy: FetchPolicy, attempt: int) -> float:
    """Exponential backoff with 'equal jitter': half fixed, half random, so retries spread out."""
    ceiling = min(policy.backoff_cap, policy.backoff_base * (2 ** (attempt - 1)))
    return ceiling / 2 + random.uniform(0, ceiling / 2)
