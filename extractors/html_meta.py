"""Structured metadata a page states about itself: JSON-LD, OpenGraph, <meta>, <link>, <time>.

What a publisher declares in markup is more reliable than what an extractor infers from layout,
so ``extractors.parse`` lets every field found here win over trafilatura's guesses. Each field
records which source it came from (``PageMeta.sources``) so a wrong value can be traced.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html

#: JSON-LD @type values that describe one article (schema.org Article and its news subtypes).
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "TechArticle",
        "Report",
    }
)
#: @type values that describe a list of articles (a section front).
LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage"})
_PUBLISHED_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publish-date"),
    ("name", "date"),
    ("name", "dc.date.issued"),
    ("name", "dc.date"),
    ("name", "dcterms.created"),
    ("name", "sailthru.date"),
    ("name", "parsely-pub-date"),
    ("property", "og:published_time"),
)
_MODIFIED_META = (("property", "article:modified_time"), ("property", "og:updated_time"))
_AUTHOR_META = (("name", "author"), ("property", "article:author"), ("name", "byl"), ("name", "dc.creator"))
_BY_PREFIX = re.compile(r"^\s*(?:(?:story|words|posted|written|reporting|text)\s+)?(?:by|von|par)\s+", re.I)


@dataclass
class PageMeta:
    """Metadata declared by the page. ``sources`` maps a field name to where it was found."""

    title: str | None = None
    site_name: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    canonical_url: str | None = None
    language: str | None = None  # the <html lang> attribute, lower-cased primary subtag
    description: str | None = None
    article_body: str | None = None  # JSON-LD articleBody: the text of pages rendered by scripts
    page_type: str | None = None  # 'article', 'listing', or None when the page does not say
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # problems met (bad JSON-LD, bad dates)

    def set(self, name: str, value: Any, source: str) -> None:
        """Set a field unless an earlier (more trusted) source already set it."""
        if value in (None, "", []) or getattr(self, name) not in (None, "", []):
            return
        setattr(self, name, value)
        self.sources[name] = source


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822 string → aware UTC datetime. Naive times are taken as UTC; None if
    the string is not a date a machine wrote (prose dates are left to the extractor's guesses)."""
    if not value or not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    dt: datetime | None = None
    iso = s.replace("Z", "+00:00").replace("z", "+00:00")
    iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)  # +0200 → +02:00
    iso = re.sub(r"\.(\d{6})\d+", r".\1", iso)  # nanoseconds → microseconds
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        try:
            dt = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def clean_author(name: str) -> str:
    """'Story by Jane Roe' → 'Jane Roe'."""
    return _BY_PREFIX.sub("", " ".join(name.split())).strip()


def _text(v: Any) -> str | None:
    if isinstance(v, str):
        return " ".join(v.split()) or None
    if isinstance(v, dict):
        return _text(v.get("name") or v.get("@value"))
    if isinstance(v, list) and v:
        return _text(v[0])
    return None


def _names(v: Any) -> list[str]:
    """Author names from a JSON-LD author value (string, Person, list of either)."""
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        name = _text(item)
        if name and not name.startswith(("http://", "https://")):
            out.append(clean_author(name))
    return out


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return {t.rsplit("/", 1)[-1]}
    if isinstance(t, list):
        return {x.rsplit("/", 1)[-1] for x in t if isinstance(x, str)}
    return set()


def _walk_jsonld(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every object in a JSON-LD document, flattening lists and @graph (bounded depth)."""
    if depth > 6:
        return []
    if isinstance(data, list):
        return [n for item in data for n in _walk_jsonld(item, depth + 1)]
    if isinstance(data, dict):
        nodes = [data]
        if "@graph" in data:
            nodes += _walk_jsonld(data["@graph"], depth + 1)
        return nodes
    return []


def _load_jsonld(raw: str) -> Any:
    raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip()
    raw = raw.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(raw, strict=False)
    except json.JSONDecodeError:
        return json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)  # trailing commas


def _from_jsonld(tree: Any, meta: PageMeta, base_url: str) -> None:
    nodes: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        try:
            nodes += _walk_jsonld(_load_jsonld(script.text_content() or ""))
        except (json.JSONDecodeError, RecursionError, ValueError) as exc:
            meta.notes.append(f"bad JSON-LD ignored: {exc.__class__.__name__}")
    articles = [n for n in nodes if _types(n) & ARTICLE_TYPES]
    if any(_types(n) & LISTING_TYPES for n in nodes) and not articles:
        meta.set("page_type", "listing", "json-ld")
    if articles:
        art = articles[0]
        meta.set("page_type", "article", "json-ld")
        meta.set("title", _text(art.get("headline") or art.get("name")), "json-ld")
        meta.set("published_at", parse_datetime(_text(art.get("datePublished"))), "json-ld")
        meta.set("modified_at", parse_datetime(_text(art.get("dateModified"))), "json-ld")
        meta.set("authors", _names(art.get("author")), "json-ld")
        meta.set("description", _text(art.get("description")), "json-ld")
        body = art.get("articleBody")
        if isinstance(body, str) and body.strip():
            meta.set("article_body", body.strip(), "json-ld")
        publisher = art.get("publisher")
        if isinstance(publisher, dict):
            meta.set("site_name", _text(publisher.get("name")), "json-ld")
        page = art.get("mainEntityOfPage")
        page_url = page.get("@id") if isinstance(page, dict) else page
        for candidate in (art.get("url"), page_url):
            if isinstance(candidate, str) and candidate.startswith(("http", "/")):
                meta.set("canonical_url", urljoin(base_url, candidate), "json-ld")
                break
        if art.get("datePublished") and meta.published_at is None:
            meta.notes.append(f"unreadable JSON-LD datePublished {art.get('datePublished')!r}")
    for n in nodes:
        if _types(n) & {"WebSite", "NewsMediaOrganization", "Organization"}:
            meta.set("site_name", _text(n.get("name")), "json-ld")


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _meta_index(tree: Any) -> dict[tuple[str, str], str]:
    """(attribute, ASCII-lower-cased value) -> content of the first <meta> carrying it with a
    non-empty content, in one pass over the page: looking each name up with its own XPath scan
    was ~25 whole-document scans per page."""
    index: dict[tuple[str, str], str] = {}
    for el in tree.xpath("//meta"):
        value = el.get("content")
        if not (value and value.strip()):
            continue
        for attr, key in el.items():
            if attr != "content":
                index.setdefault((attr, key.translate(_ASCII_LOWER)), " ".join(value.split()))
    return index


def _meta_content(index: dict[tuple[str, str], str], attr: str, name: str) -> str | None:
    return index.get((attr, name.lower()))


def _from_meta_tags(tree: Any, meta: PageMeta, base_url: str) -> None:
    index = _meta_index(tree)
    og_type = _meta_content(index, "property", "og:type")
    if og_type:
        meta.set("page_type", "article" if og_type.lower() == "article" else None, "og:type")
    meta.set("title", _meta_content(index, "property", "og:title"), "og:title")
    meta.set("title", _meta_content(index, "name", "twitter:title"), "twitter:title")
    meta.set("site_name", _meta_content(index, "property", "og:site_name"), "og:site_name")
    meta.set("site_name", _meta_content(index, "name", "application-name"), "application-name")
    meta.set("description", _meta_content(index, "property", "og:description"), "og:description")
    meta.set("description", _meta_content(index, "name", "description"), "meta description")
    for attr, name in _PUBLISHED_META:
        raw = _meta_content(index, attr, name)
        meta.set("published_at", parse_datetime(raw), f"meta {name}")
        if raw and meta.published_at is None:
            meta.notes.append(f"unreadable date in meta {name}: {raw!r}")
    for attr, name in _MODIFIED_META:
        meta.set("modified_at", parse_datetime(_meta_content(index, attr, name)), f"meta {name}")
    for attr, name in _AUTHOR_META:
        raw = _meta_content(index, attr, name)
        if raw and not raw.startswith(("http://", "https://")):
            names = [clean_author(p) for p in re.split(r"\s*(?:;|,| and )\s*", raw)]
            meta.set("authors", [n for n in names if n], f"meta {name}")
    for el in tree.xpath('//link[@href][contains(translate(@rel,"CANONIL","canonil"),"canonical")]'):
        meta.set("canonical_url", urljoin(base_url, el.get("href").strip()), "link rel=canonical")
        break
    og_url = _meta_content(index, "property", "og:url")
    if og_url:
        meta.set("canonical_url", urljoin(base_url, og_url), "og:url")


#: Kinds of <time datetime> element, most trusted first, and the source each one is noted as.
_TIME_KINDS: tuple[tuple[str, Callable[[Any], bool]], ...] = (
    ("time itemprop=datePublished", lambda el: el.get("itemprop") == "datePublished"),
    ("time pubdate", lambda el: el.get("pubdate") is not None),
    ("time in article", lambda el: next(el.iterancestors("article"), None) is not None),
    ("time", lambda el: True),
)


def _from_time_elements(tree: Any, meta: PageMeta) -> None:
    """<time datetime>: prefer one marked as the publication time, then one inside <article>.
    The page's <time> elements are gathered in one walk, not one whole-page XPath scan per kind."""
    times = [el for el in tree.iter("time") if el.get("datetime") is not None]
    for source, kind in _TIME_KINDS:
        for el in times:
            if kind(el) and (dt := parse_datetime(el.get("datetime"))) is not None:
                meta.set("published_at", dt, source)
                return


def extract_meta(tree: Any, base_url: str = "") -> PageMeta:
    """Metadata from a parsed lxml HTML tree (see :func:`parse_html`). Never raises for odd markup."""
    meta = PageMeta()
    if tree is None:
        return meta
    _from_jsonld(tree, meta, base_url)
    _from_meta_tags(tree, meta, base_url)
    _from_time_elements(tree, meta)
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta.language = lang.strip().lower().split("-")[0].split("_")[0] or None
    return meta


def parse_html(text: str) -> Any:
    """lxml tree of an HTML string, or None when there is no markup lxml can read."""
    return read_html(text)[0]


def read_html(text: str) -> tuple[Any, str]:
    """(lxml tree or None, the HTML it was read from).

    libxml2 stops building the tree past 256 levels of nesting and keeps none of the text below;
    when its parser says so, the excess nesting is unwrapped (:func:`flatten_nesting`) and the
    page read again, and the caller gets that HTML too (trafilatura must read the same text).
    """
    tree, too_deep = _read(text)
    if too_deep:
        text, _ = flatten_nesting(text)
        tree, _ = _read(text)
    return tree, text


def _read(text: str) -> tuple[Any, bool]:
    if not text.strip():
        return None, False
    parser = lxml_html.HTMLParser()
    try:
        # lxml refuses str input that carries an XML encoding declaration.
        cleaned = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
        tree = lxml_html.document_fromstring(cleaned, parser=parser)
    except (ValueError, TypeError):  # lxml.etree.ParserError is a ValueError subclass
        return None, False
    return tree, any("Excessive depth" in e.message for e in parser.error_log)


#: libxml2 stops building the tree (and drops everything below) past 256 levels of nesting.
MAX_NESTING = 128
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)\b[^<>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def flatten_nesting(text: str, max_depth: int = MAX_NESTING) -> tuple[str, int]:
    """The HTML with every element nested deeper than ``max_depth`` unwrapped (its tags dropped,
    its text kept), and how many tags were dropped. One linear pass over the tags.

    lxml (libxml2) gives up on a document nested thousands of levels deep and keeps none of the
    text inside; a page of 100,000 nested <div>s would otherwise read as empty.
    """
    out: list[str] = []
    pos = 0
    depth = 0
    dropped: dict[str, int] = {}
    removed = 0
    for m in _TAG.finditer(text):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        keep = True
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                keep = False
            else:
                depth = max(0, depth - 1)
        elif not self_closing and name not in _VOID:
            if depth >= max_depth:
                dropped[name] = dropped.get(name, 0) + 1
                keep = False
            else:
                depth += 1
        if not keep:
            out.append(text[pos : m.start()])
            out.append(" ")
            pos = m.end()
            removed += 1
    out.append(text[pos:])
    return "".join(out), removed
