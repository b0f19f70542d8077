"""Canonical URLs: one spelling per page, so refetches and tracking-tagged links are one article.

The tracking-parameter list is data (``gazetteers/tracking_params.txt``); everything else here is
the small set of normalisations that never change which page a server returns.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_DATA = Path(__file__).parent / "gazetteers" / "tracking_params.txt"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_COUNTRY_SECOND_LEVELS = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"})
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@lru_cache(maxsize=1)
def _tracking_rules() -> tuple[frozenset[str], tuple[str, ...]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    for raw in _DATA.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        if line.endswith("*"):
            prefixes.append(line[:-1])
        else:
            exact.add(line)
    return frozenset(exact), tuple(prefixes)


def is_tracking_param(name: str) -> bool:
    """True when ``name`` is a query parameter that only tracks the visitor."""
    exact, prefixes = _tracking_rules()
    low = name.lower()
    return low in exact or low.startswith(prefixes)


def _file_uri(path: str) -> str:
    try:
        return Path(path).expanduser().resolve().as_uri()
    except (OSError, ValueError):
        return "file://" + quote(path)


def canonical_url(url: str) -> str:
    """Normalise ``url``: tracking params dropped, scheme/host lower-cased, default port and
    fragment dropped, remaining query params sorted; a local path becomes a ``file://`` URI.

    Never raises: a string that cannot be parsed as a URL is returned stripped, unchanged.
    """
    url = (url or "").strip()
    if not url:
        return ""
    if not _SCHEME.match(url) or re.match(r"^[a-zA-Z]:[\\/]", url):
        return _file_uri(url)
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            return urlunsplit(("file", "", parts.path or "/", "", ""))
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return url
    netloc = host
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]"
    if parts.username is not None:
        cred = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{cred}@{netloc}"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = parts.path or ("/" if netloc else "")
    query_pairs = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)
    ]
    query = urlencode(sorted(query_pairs), doseq=False) if query_pairs else ""
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """Host name without a leading ``www.`` ('' for file URIs and unparsable strings)."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def site_of(url: str) -> str:
    """Registrable-domain guess: last two host labels, three under country second levels like
    ``co.uk``/``com.au`` (a cheap stand-in for a public-suffix list; no download needed)."""
    labels = host_of(url).split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _COUNTRY_SECOND_LEVELS:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(a: str, b: str) -> bool:
    """True when two URLs are on one site (same registrable domain by :func:`site_of`).
    Used to decide whether a page's canonical link can be trusted."""
    if not host_of(a) or not host_of(b):
        return False
    return site_of(a) == site_of(b)
