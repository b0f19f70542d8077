"""Turn what the user named (SOURCE arguments, sources.toml) into documents to fetch or read.

A SOURCE is one of:
  - an http(s) URL: fetched once and recognised by its content type and body, not its name:
    RSS 0.9x/1.0/2.0 or Atom feed, sitemap or sitemap index (also gzipped), a text/plain list
    of URLs, or an article page (whose fetched body is kept in ``ExpandedSources.pages`` so the
    caller does not fetch it twice);
  - a local file: ``.html``/``.htm``/``.xhtml`` (an article), ``.urls`` (always a URL list),
    ``.txt`` (a URL list when *every* non-blank line not starting with ``#`` is a single http(s)
    URL, otherwise an article in plain text), ``.xml``/``.rss``/``.atom`` (a feed or sitemap);
  - a directory: every such file below it (hidden files and other extensions skipped, sorted).

Which endpoints are *explicit* (exempt from the private-address guard): the host:port of URLs
the user named directly, and of URLs listed in the user's own local URL-list files (another port
on the same host is not exempt). URLs found in fetched
documents (feed items, sitemap entries, remote URL lists, redirects) are not.

Nothing here raises for a bad source: each one that yields nothing says why in ``problems``.
"""

from __future__ import annotations

import asyncio
import re
import tomllib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from extractors.models import FetchStatus
from flows.fetch import Fetcher, FetchResult, run_sync
from flows.host_state import HostRegistry
from flows.http_policy import FetchPolicy
from flows.source_formats import (
    detect_kind,
    feed_items,
    gunzip,
    is_url,
    root_element,
    sitemap_entries,
    url_list_lines,
)
from flows.source_types import ExpandedSources, Offload, SourceItem, SourceProblem, SourceSpec
from flows.ssrf import normalize_host, url_endpoint

__all__ = [
    "ExpandedSources",
    "SourceItem",
    "SourceProblem",
    "SourceSpec",
    "detect_kind",
    "expand_sources",
    "expand_sources_async",
    "feed_items",
    "load_sources_file",
    "root_element",
    "sitemap_entries",
    "url_list_lines",
]

ARTICLE_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt"})
LIST_SUFFIXES = frozenset({".urls"})
XML_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
LOCAL_SUFFIXES = ARTICLE_SUFFIXES | TEXT_SUFFIXES | LIST_SUFFIXES | XML_SUFFIXES
KINDS = ("auto", "feed", "sitemap", "page", "urls")
GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")
MAX_SITEMAP_DEPTH = 3  # index -> index -> sitemap is the deepest real sites go
MAX_SITEMAPS_PER_SOURCE = 50  # sitemap documents read per source, however they nest


# ----------------------------------------------------------------------------- sources.toml


def load_sources_file(path: Path) -> list[SourceSpec]:
    """Read sources.toml: ``[[source]]`` tables with ``url`` and optional name/enabled/delay/kind.

    Never raises: an unreadable file or a bad entry comes back as a SourceSpec with ``problem``
    set and ``enabled = False`` (unknown keys count as bad: a typo like ``enable = false`` must
    not silently leave a source on).
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [_bad(str(path), str(path), f"sources file {path} does not exist")]
    except (OSError, UnicodeDecodeError) as exc:
        return [_bad(str(path), str(path), f"cannot read sources file {path}: {exc}")]
    except tomllib.TOMLDecodeError as exc:
        return [_bad(str(path), str(path), f"sources file {path} is not valid TOML: {exc}")]
    entries = data.get("source", [])
    if not isinstance(entries, list):
        return [_bad(str(path), str(path), f"{path}: 'source' must be an array of tables ([[source]])")]
    return [_spec_from_entry(entry, n, path.parent) for n, entry in enumerate(entries, start=1)]


def _bad(name: str, url: str, reason: str) -> SourceSpec:
    return SourceSpec(name=name, url=url, enabled=False, problem=reason)


def _spec_from_entry(entry: object, n: int, base: Path) -> SourceSpec:
    label = f"source #{n}"
    if not isinstance(entry, dict):
        return _bad(label, "", f"{label} is not a table")
    url = entry.get("url")
    name = entry.get("name") or url or label
    if not isinstance(url, str) or not url.strip():
        return _bad(str(name), "", f"{label} has no 'url'")
    unknown = sorted(set(entry) - {"name", "url", "enabled", "delay", "kind"})
    if unknown:
        return _bad(str(name), url, f"{label} has unknown key(s): {', '.join(unknown)}")
    enabled, delay, kind = entry.get("enabled", True), entry.get("delay"), entry.get("kind", "auto")
    if not isinstance(enabled, bool):
        return _bad(str(name), url, f"{label}: 'enabled' must be true or false")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0):
        return _bad(str(name), url, f"{label}: 'delay' must be a number of seconds >= 0")
    if kind not in KINDS:
        return _bad(str(name), url, f"{label}: 'kind' must be one of {', '.join(KINDS)}")
    url = url.strip()
    if not is_url(url) and not url.startswith("file:") and not Path(url).expanduser().is_absolute():
        url = str((base / Path(url).expanduser()).resolve())
    return SourceSpec(str(name), url, enabled, float(delay) if delay is not None else None, kind)


# ----------------------------------------------------------------------------- expansion


class _Expander:
    def __init__(
        self,
        fetcher: Fetcher,
        validators: Mapping[str, tuple[str | None, str | None]],
        item_limit: int,
        offload: Offload | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.offload = offload
        self.validators = validators
        self.item_limit = item_limit
        #: sitemaps fetched in this run, by any source: an index that lists itself (or a sitemap
        #: two sources share) is read once, not once per mention
        self.visited_sitemaps: set[str] = set()
        self.sitemaps_read: dict[str, int] = {}  # per source name

    async def expand(self, spec: SourceSpec) -> ExpandedSources:
        out = ExpandedSources()
        try:
            if is_url(spec.url):
                await self._url(spec, out)
            else:
                await self._local(spec, out)
        except Exception as exc:  # one broken source must not lose the others
            out.problems.append(SourceProblem(spec.name, f"{spec.url}: {type(exc).__name__}: {exc}"))
        if len(out.items) > self.item_limit:
            out.items.sort(key=lambda i: i.published_hint or datetime.min.replace(tzinfo=UTC), reverse=True)
            dropped = len(out.items) - self.item_limit
            out.items = out.items[: self.item_limit]
            out.problems.append(
                SourceProblem(
                    spec.name, f"{spec.url}: kept the newest {self.item_limit} items, {dropped} skipped"
                )
            )
        return out

    async def _url(self, spec: SourceSpec, out: ExpandedSources) -> None:
        if spec.kind == "page":
            out.items.append(SourceItem(spec.url, "url", spec.name))
            return
        kept = self.fetcher.policy.kept_content_types + GZIP_TYPES
        r = await self.fetcher.fetch(spec.url, self.validators.get(spec.url), kept_types=kept)
        if spec.kind == "auto" and (r.status != FetchStatus.OK or r.body is None):
            # Unchanged (304) or failed: we cannot tell a feed from a page, and nothing new can be read.
            # Handed over as the page the user named, so its outcome is recorded like any article's.
            out.pages.append(r)
            out.items.append(SourceItem(spec.url, "url", spec.name))
            return
        if r.status != FetchStatus.OK or r.body is None:
            out.fetches.append(r)
            if r.status != FetchStatus.NOT_MODIFIED:
                out.problems.append(SourceProblem(spec.name, f"{spec.url}: {r.error or r.status}", spec.url))
            return
        body = gunzip(r.body, self.fetcher.policy.max_bytes)
        if isinstance(body, str):
            out.fetches.append(r)
            out.problems.append(SourceProblem(spec.name, f"{spec.url}: {body}", spec.url))
            return
        kind = detect_kind(body, r.content_type)
        if spec.kind != "auto" and not _kind_matches(spec.kind, kind):
            out.fetches.append(r)
            out.problems.append(
                SourceProblem(
                    spec.name, f"{spec.kind} {spec.url} is not a {spec.kind} ({_describe(kind, r)})", spec.url
                )
            )
            return
        base = r.final_url or spec.url
        if kind == "unknown":
            out.fetches.append(r)
            what = r.content_type or "no content type"
            out.problems.append(
                SourceProblem(
                    spec.name, f"{spec.url} is not a feed, sitemap, URL list or HTML page ({what})", spec.url
                )
            )
            return
        if kind == "page":
            out.pages.append(r)
            out.items.append(SourceItem(spec.url, "url", spec.name))
            return
        out.fetches.append(r)
        if kind in ("sitemap", "sitemapindex"):
            self.visited_sitemaps.update({spec.url, base})
            self.sitemaps_read[spec.name] = self.sitemaps_read.get(spec.name, 0) + 1
        await self._document(kind, body, base, spec.name, out, depth=0)

    async def _document(
        self, kind: str, body: bytes, base: str, source: str, out: ExpandedSources, depth: int
    ) -> None:
        """Items of a fetched or local feed / sitemap / URL list (sitemap children fetched here)."""
        if kind == "feed":  # feedparser: ~0.2 CPU-s per 500 items, done elsewhere where it can be
            if self.offload is not None:
                items, problems = await self.offload(feed_items, body, base, source)
            else:
                items, problems = feed_items(body, base, source)
            out.items += items
            out.problems += problems
        elif kind == "urls":
            urls = url_list_lines(body.decode("utf-8", "replace")) or []
            out.items += [SourceItem(u, "url", source) for u in urls]
        elif kind in ("sitemap", "sitemapindex"):
            await self._sitemap(body, base, source, out, depth)
        else:
            out.problems.append(
                SourceProblem(
                    source, f"{base} is not a feed, sitemap, URL list or HTML page ({kind} content)"
                )
            )

    async def _sitemap(self, body: bytes, base: str, source: str, out: ExpandedSources, depth: int) -> None:
        _, items, children, error = sitemap_entries(body, base, source)
        if error:  # the user looks for the rejected sitemap in `articles`: give it a row
            out.problems.append(SourceProblem(source, error, base))
            return
        out.items += items
        if children and depth + 1 >= MAX_SITEMAP_DEPTH:
            out.problems.append(
                SourceProblem(source, f"sitemap {base}: nested deeper than {MAX_SITEMAP_DEPTH}")
            )
            return
        children = self._unvisited(children, base, source, out)
        kept = self.fetcher.policy.kept_content_types + GZIP_TYPES
        results = await asyncio.gather(
            *(self.fetcher.fetch(c, self.validators.get(c), kept_types=kept) for c in children)
        )
        for child, r in zip(children, results, strict=True):
            out.fetches.append(r)
            if r.final_url:
                self.visited_sitemaps.add(r.final_url)
            if r.status == FetchStatus.NOT_MODIFIED:
                continue
            if r.status != FetchStatus.OK or r.body is None:
                out.problems.append(SourceProblem(source, f"sitemap {child}: {r.error or r.status}", child))
                continue
            child_body = gunzip(r.body, self.fetcher.policy.max_bytes)
            if isinstance(child_body, str):
                out.problems.append(SourceProblem(source, f"sitemap {child}: {child_body}", child))
                continue
            child_kind = detect_kind(child_body, r.content_type)
            if child_kind not in ("sitemap", "sitemapindex"):
                out.problems.append(
                    SourceProblem(source, f"sitemap {child} is not a sitemap ({_describe(child_kind, r)})")
                )
                continue
            await self._sitemap(child_body, r.final_url or child, source, out, depth + 1)

    def _unvisited(self, children: list[str], base: str, source: str, out: ExpandedSources) -> list[str]:
        """The child sitemaps not read yet this run, within the source's sitemap cap; marked as
        visited before any is fetched, so concurrent indexes cannot read one twice."""
        fresh = [c for c in dict.fromkeys(children) if c not in self.visited_sitemaps]
        if len(fresh) < len(children):
            out.problems.append(
                SourceProblem(
                    source,
                    f"sitemap index {base}: {len(children) - len(fresh)} repeated or already read sitemaps skipped",
                )
            )
        room = max(0, MAX_SITEMAPS_PER_SOURCE - self.sitemaps_read.get(source, 0))
        if len(fresh) > room:
            out.problems.append(
                SourceProblem(
                    source,
                    f"sitemap index {base}: at most {MAX_SITEMAPS_PER_SOURCE} sitemaps are read per "
                    f"source, {len(fresh) - room} skipped",
                )
            )
            fresh = fresh[:room]
        self.visited_sitemaps.update(fresh)
        self.sitemaps_read[source] = self.sitemaps_read.get(source, 0) + len(fresh)
        return fresh

    async def _local(self, spec: SourceSpec, out: ExpandedSources) -> None:
        scheme = urlsplit(spec.url).scheme
        if scheme == "file":
            path = Path(unquote(urlsplit(spec.url).path))
        elif len(scheme) > 1 and "://" in spec.url or scheme in ("javascript", "data", "mailto"):
            out.problems.append(
                SourceProblem(
                    spec.name, f"{spec.url}: scheme {scheme!r} is not http, https or a file", spec.url
                )
            )
            return
        else:
            path = Path(spec.url).expanduser()
        if not path.exists():
            looks_like_host = re.match(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|$)", spec.url) is not None
            hint = " (for a URL, start it with http:// or https://)" if looks_like_host else ""
            out.problems.append(SourceProblem(spec.name, f"file {spec.url} does not exist{hint}", spec.url))
            return
        path = path.resolve()
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            others = sorted(
                {p.suffix.lower() or "(none)" for p in files if p.suffix.lower() not in LOCAL_SUFFIXES}
            )
            skipped = sum(1 for p in files if p.suffix.lower() not in LOCAL_SUFFIXES)
            if skipped:
                out.problems.append(
                    SourceProblem(
                        spec.name,
                        f"directory {path}: skipped {skipped} files of other types ({', '.join(others)})",
                    )
                )
            files = [p for p in files if p.suffix.lower() in LOCAL_SUFFIXES]
            if not files:
                out.problems.append(
                    SourceProblem(
                        spec.name, f"directory {path} has no .html, .htm, .txt or .urls files", str(path)
                    )
                )
            for p in files:
                await self._local_file(p, spec.name, out)
        else:
            await self._local_file(path, spec.name, out)

    async def _local_file(self, path: Path, source: str, out: ExpandedSources) -> None:
        suffix = path.suffix.lower()
        if suffix in ARTICLE_SUFFIXES:
            out.items.append(SourceItem(str(path), "file", source))
            return
        if suffix not in LOCAL_SUFFIXES:
            out.problems.append(
                SourceProblem(source, f"file {path}: unsupported type {suffix or '(none)'}", str(path))
            )
            return
        try:
            with path.open("rb") as fh:
                body = fh.read(self.fetcher.policy.max_bytes + 1)
        except OSError as exc:
            out.problems.append(
                SourceProblem(source, f"cannot read file {path}: {exc.strerror or exc}", str(path))
            )
            return
        text = body.decode("utf-8", "replace")
        if suffix in LIST_SUFFIXES or (suffix in TEXT_SUFFIXES and url_list_lines(text) is not None):
            self._local_list(path, text, source, out)
        elif suffix in TEXT_SUFFIXES:
            out.items.append(SourceItem(str(path), "file", source))
        else:  # .xml/.rss/.atom: a feed or sitemap saved to disk
            kind = detect_kind(body, "application/xml")
            if kind in ("feed", "sitemap", "sitemapindex"):
                await self._document(kind, body, path.as_uri(), source, out, depth=0)
            else:
                out.problems.append(
                    SourceProblem(source, f"file {path} is neither a feed nor a sitemap", str(path))
                )

    def _local_list(self, path: Path, text: str, source: str, out: ExpandedSources) -> None:
        for n, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if is_url(line):
                out.items.append(SourceItem(line, "url", source))
                out.explicit_hosts.add(url_endpoint(line))
            else:
                out.problems.append(
                    SourceProblem(source, f"{path} line {n} is not an http(s) URL: {line[:80]}")
                )


def _kind_matches(wanted: str, found: str) -> bool:
    return wanted == found or (wanted == "sitemap" and found == "sitemapindex")


def _describe(kind: str, r: FetchResult) -> str:
    shown = {"page": "HTML", "unknown": r.content_type or "unknown type"}.get(kind, kind)
    return f"{shown}, {r.content_type}" if kind == "page" and r.content_type else shown


def _as_spec(spec: str | SourceSpec) -> SourceSpec:
    if isinstance(spec, SourceSpec):
        return spec
    text = str(spec).strip()
    return SourceSpec(name=text, url=text)


async def expand_sources_async(
    specs: Sequence[str | SourceSpec],
    policy: FetchPolicy,
    *,
    validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    item_limit: int = 1000,
    hosts: HostRegistry | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    offload: Offload | None = None,
) -> ExpandedSources:
    """Async ``expand_sources``; see the module docstring for what a SOURCE may be."""
    result = ExpandedSources()
    usable = []
    for spec in map(_as_spec, specs):
        if not spec.url.strip():  # Path("") would silently mean the current directory
            result.problems.append(SourceProblem(spec.name or "(empty)", "empty source"))
        elif spec.problem:
            result.problems.append(SourceProblem(spec.name, spec.problem))
        elif spec.enabled:
            usable.append(spec)
            if is_url(spec.url):
                host = normalize_host(urlsplit(spec.url).hostname or "")
                result.explicit_hosts.add(url_endpoint(spec.url))
                if spec.delay is not None:
                    result.host_delays[host] = max(result.host_delays.get(host, 0.0), spec.delay)
    async with Fetcher(
        policy,
        explicit_hosts=result.explicit_hosts,
        host_delays=result.host_delays,
        hosts=hosts,
        transport=transport,
    ) as fetcher:
        expander = _Expander(fetcher, validators or {}, item_limit, offload)
        parts = await asyncio.gather(*(expander.expand(s) for s in usable))
    for part in parts:
        result.merge(part)
        result.explicit_hosts |= part.explicit_hosts
    return result


def expand_sources(
    specs: Sequence[str | SourceSpec],
    policy: FetchPolicy,
    *,
    validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    item_limit: int = 1000,
    hosts: HostRegistry | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    offload: Offload | None = None,
) -> ExpandedSources:
    """Expand SOURCE arguments and/or sources.toml entries into items; never raises.

    ``validators`` (URL -> (ETag, Last-Modified)) make feed/sitemap fetches conditional, so an
    unchanged feed costs one 304. ``item_limit`` caps items per source (newest kept, reported).
    ``hosts`` / ``transport``: the run's politeness state and HTTP transport (flows.run_context).
    ``offload``: where feeds are parsed when not here (Offload); the items are the same.
    """
    spec_list = list(specs)
    return run_sync(
        lambda: expand_sources_async(
            spec_list,
            policy,
            validators=validators,
            item_limit=item_limit,
            hosts=hosts,
            transport=transport,
            offload=offload,
        )
    )
