"""Settings for polite, bounded fetching, in one frozen dataclass.

One object is passed through every fetching function so that a run's limits are visible in one
place (and can be logged with the run) instead of being spread over keyword arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

#: Placeholder the User-Agent carries until an operator names a real contact.
CONTACT_PLACEHOLDER = "set DEALWATCH_CONTACT"

#: Media types whose bodies are kept. Anything else becomes status 'unsupported' (body dropped).
KEPT_CONTENT_TYPES: tuple[str, ...] = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/x-rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "text/plain",
)


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and manners for one run. Defaults suit a small crawl of news sites.

    ``retries`` counts *extra* attempts, so a page gets at most ``1 + retries`` tries.
    ``total_timeout`` bounds one request (connect, headers and body of one attempt at one redirect
    hop); read/connect timeouts alone cannot stop a server that trickles one byte per second.
    Waiting for a host's turn (politeness delays) is not counted against it. A page's worst case is
    therefore about ``(1 + max_redirects) * (1 + retries) * total_timeout`` plus backoff; timeouts
    are not retried, so in practice it is one ``total_timeout`` per hop.
    ``max_crawl_delay``: a robots.txt Crawl-delay above it is applied as this cap (and noted).
    """

    user_agent: str = f"dealwatch/0.1 (+https://example.invalid/dealwatch; contact: {CONTACT_PLACEHOLDER})"
    contact: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000  # enforced while streaming, also after decompression
    max_redirects: int = 5
    retries: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 20.0
    retry_after_cap: float = 30.0  # a longer Retry-After is not waited for: the page fails instead
    global_concurrency: int = 8
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    max_crawl_delay: float = 60.0  # robots.txt Crawl-delay is honoured up to this many seconds
    allow_private: bool = False
    respect_robots: bool = True
    robots_max_bytes: int = 500_000  # RFC 9309 asks crawlers to parse at least 500 KiB
    kept_content_types: tuple[str, ...] = KEPT_CONTENT_TYPES
    ca_bundle: str | None = (
        None  # PEM file of extra trusted CAs (a corporate TLS proxy, tests); None = certifi
    )

    @property
    def robots_token(self) -> str:
        """Product token matched against robots.txt ``User-agent`` lines."""
        return self.user_agent.split("/", 1)[0].strip() or "dealwatch"

    def effective_user_agent(self) -> str:
        """User-Agent with the contact filled in, so site operators can reach a person."""
        if self.contact and CONTACT_PLACEHOLDER in self.user_agent:
            return self.user_agent.replace(CONTACT_PLACEHOLDER, self.contact)
        return self.user_agent

    @classmethod
    def from_env(cls, **overrides: object) -> FetchPolicy:
        """Defaults plus ``DEALWATCH_CONTACT`` from the environment, then explicit overrides."""
        policy = cls(contact=os.environ.get("DEALWATCH_CONTACT") or None)
        return replace(policy, **overrides)  # type: ignore[arg-type]
