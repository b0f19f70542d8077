"""Recognising and reading what a source URL or file returns: RSS/Atom feeds, sitemaps and
sitemap indexes (also gzipped), plain lists of URLs. Pure functions of the bytes; no fetching."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser

from flows.source_types import SourceItem, SourceProblem

_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
#: Feed entries whose link is not http(s) each get an `articles` row, up to this many per feed.
MAX_BAD_ENTRY_ROWS = 100


def root_element(body: bytes) -> str | None:
    """Local name of the first element (after XML declaration, comments, doctype), lower-cased."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<![^>]*>", b"", head, flags=re.S)
    m = _ROOT.search(head)
    return m.group(1).decode("ascii", "replace").split(":")[-1].lower() if m else None


def detect_kind(body: bytes, content_type: str | None) -> str:
    """'feed' | 'sitemap' | 'sitemapindex' | 'urls' | 'page' | 'unknown', from type and body."""
    root = root_element(body)
    if root in ("rss", "rdf", "feed"):
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap" if root == "urlset" else "sitemapindex"
    if content_type == "text/plain" or (content_type is None and root is None):
        return "urls" if url_list_lines(body.decode("utf-8", "replace")) is not None else "page"
    if root == "html" or content_type in ("text/html", "application/xhtml+xml"):
        return "page"
    return "unknown"


def is_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        return (
            parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in text)
        )
    except ValueError:  # "http://[::1" and friends
        return False


def url_list_lines(text: str) -> list[str] | None:
    """The URLs if every non-blank, non-# line is exactly one http(s) URL; otherwise None."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            return None
        urls.append(line)
    return urls or None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return _utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


def feed_items(body: bytes, base_url: str, source: str) -> tuple[list[SourceItem], list[SourceProblem]]:
    """Items of an RSS/Atom feed, links made absolute; entries without a usable link are reported.

    An entry whose link is not http(s) (``javascript:``, ``ftp:``, ...) is a document the user
    will look for, so it is reported with its link as location (an `articles` row says why).
    """
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    items, skipped = [], []
    bad: list[SourceProblem] = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("href")), None
        )
        if not link:
            skipped.append("(no link)")
            continue
        link = urljoin(base_url, link.strip())
        if not is_url(link):
            if len(bad) < MAX_BAD_ENTRY_ROWS and link:
                m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", link)
                scheme = m.group(1).lower() if m else ""
                why = f"scheme {scheme!r} is not http or https" if scheme else "not an http(s) URL"
                bad.append(SourceProblem(source, f"feed {base_url}: entry link {why}", link[:2000]))
            else:
                skipped.append(link[:80])
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            SourceItem(
                location=link,
                kind="url",
                source=source,
                title_hint=(entry.get("title") or "").strip() or None,
                published_hint=datetime(*stamp[:6], tzinfo=UTC) if stamp else None,
            )
        )
    problems = bad
    if skipped:
        problems.append(
            SourceProblem(source, f"feed {base_url}: {len(skipped)} entries without an http(s) link skipped")
        )
    if not parsed.entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        problems.append(SourceProblem(source, f"feed {base_url} has no entries{why}", base_url))
    return items, problems


def warm_feeds() -> int:
    """Import feedparser and run it once in a worker process before a run hands it a feed
    (flows.parallel.warm_workers): the import alone is ~0.1-0.3 s, which the first feed of a run
    would otherwise wait for."""
    return len(
        feedparser.parse(b"<rss><channel><item><link>http://a.invalid/</link></item></channel></rss>").entries
    )


def sitemap_entries(
    body: bytes, base_url: str, source: str
) -> tuple[str, list[SourceItem], list[str], str | None]:
    """(kind, page items, child sitemap URLs, error) of a sitemap or sitemap index."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return "sitemap", [], [], f"sitemap {base_url} is not well-formed XML ({exc})"

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1].lower()

    def child_text(el: ET.Element, name: str) -> str | None:
        # Direct children first: <image:image><image:loc> must not stand in for the page's own <loc>.
        for sub in [*el, *el.iter()]:
            if local(sub.tag) == name and sub.text and sub.text.strip():
                return sub.text.strip()
        return None

    kind = local(root.tag)
    items, children = [], []
    for el in root:
        loc = child_text(el, "loc")
        if not loc:
            continue
        loc = urljoin(base_url, loc)
        if local(el.tag) == "sitemap":
            children.append(loc)
        elif local(el.tag) == "url" and is_url(loc):
            published = _parse_iso(child_text(el, "publication_date")) or _parse_iso(
                child_text(el, "lastmod")
            )
            items.append(SourceItem(loc, "url", source, child_text(el, "title"), published))
    return ("sitemapindex" if kind == "sitemapindex" else "sitemap"), items, children, None


def gunzip(body: bytes, limit: int) -> bytes | str:
    """Bodies that are gzip files themselves (sitemap.xml.gz); returns a reason string on failure."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    from flows.fetch import CappedDecoder, FetchError  # here: a worker parsing feeds needs no fetcher

    try:
        decoder = CappedDecoder("gzip", limit)
        out = decoder.feed(body)
        decoder.finish()
        return out
    except FetchError as exc:
        return exc.reason
