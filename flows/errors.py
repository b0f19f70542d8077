"""Exceptions used inside fetching. None of them escapes the public functions.

``fetch_many`` and ``expand_sources`` turn each of these into a recorded outcome (a
``FetchResult`` status + plain-words ``error``) because one bad URL must never stop a run. They
exist so that internal layers can signal *why* a request stopped without string matching::

    FetchError                  base class; ``reason`` is the plain-words text that gets recorded
    ├── RefusedError            the URL may not be fetched at all (scheme, SSRF guard) -> 'refused'
    ├── RobotsDisallowed        robots.txt forbids it                                   -> 'robots'
    ├── UnsupportedContent      the media type is not one we parse                      -> 'unsupported'
    └── BodyTooLarge            body over ``max_bytes`` on the wire or after decompression -> 'error'
"""

from __future__ import annotations

from extractors.models import FetchStatus


class FetchError(Exception):
    """A request stopped for a reason we record; ``status`` is the FetchResult status it maps to."""

    status = FetchStatus.ERROR

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RefusedError(FetchError):
    """Refused before any packet is sent: not http(s), or the host resolves to a forbidden address."""

    status = FetchStatus.REFUSED


class RobotsDisallowed(FetchError):
    status = FetchStatus.ROBOTS


class UnsupportedContent(FetchError):
    status = FetchStatus.UNSUPPORTED


class BodyTooLarge(FetchError):
    status = FetchStatus.ERROR
