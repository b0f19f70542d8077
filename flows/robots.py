"""robots.txt rules per origin, fetched once and cached (RFC 9309 semantics, protego parser).

How a robots.txt answer maps to rules (RFC 9309 section 2.3.1):
  - 2xx: parse it (protego); its Crawl-delay raises that host's minimum delay.
  - 4xx other than 429 ("unavailable"): everything is allowed.
  - 5xx or 429 ("unreachable"): everything is disallowed for this run; the site is struggling.
  - no answer at all (connection refused, timeout): allowed. The page fetch that follows meets
    the same network error and records it, which tells the user more than "robots" would.
Redirects of robots.txt are followed by the fetcher like any other request (at most 5 hops).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

#: Rules are re-fetched after this long (RFC 9309 asks for at most 24 hours of caching).
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says; ``note`` explains a blanket allow/deny."""

    parser: Protego | None
    allow_all: bool = False
    deny_all: bool = False
    note: str = ""
    expires: float = 0.0

    def allowed(self, url: str, token: str) -> bool:
        if self.deny_all:
            return False
        if self.allow_all or self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, token))

    def crawl_delay(self, token: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        return float(delay) if delay is not None else None


#: (http_status or None, body or None, error or None) of fetching a robots.txt URL.
RobotsFetch = Callable[[str], Awaitable[tuple[int | None, bytes | None, str | None]]]


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def origin_of(url: str) -> str:
    """scheme://host:port — robots.txt and politeness delays apply per origin."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def rules_from_response(status: int | None, body: bytes | None, error: str | None) -> RobotsRules:
    """Turn a robots.txt fetch outcome into rules (see module docstring for the mapping)."""
    expires = time.monotonic() + CACHE_SECONDS
    if status is None:
        return RobotsRules(
            None, allow_all=True, note=f"robots.txt not reachable ({error}); allowed", expires=expires
        )
    if status == 429 or status >= 500:
        return RobotsRules(
            None,
            deny_all=True,
            note=f"robots.txt answered HTTP {status}; site treated as disallowed",
            expires=expires,
        )
    if status >= 400 or body is None:
        return RobotsRules(None, allow_all=True, note=f"no robots.txt (HTTP {status})", expires=expires)
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        parser = Protego.parse(text)
    except Exception as exc:  # protego is lenient, but a parser bug must not stop a crawl
        return RobotsRules(
            None, allow_all=True, note=f"robots.txt unparseable ({exc}); allowed", expires=expires
        )
    return RobotsRules(parser, expires=expires)
