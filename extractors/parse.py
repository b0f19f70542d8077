"""Fetched bytes → :class:`~extractors.models.Article`: main text, metadata, and a status.

Main text comes from trafilatura (a maintained boilerplate remover); metadata the page declares
(``extractors.html_meta``) wins over trafilatura's guesses. Pages that are not articles are
still returned, with ``status`` saying why, so storage keeps them and extraction skips them.
``parse_document`` never raises: bad input becomes ``status='unparsable: <reason>'``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from extractors.budget import Deadline, TookTooLong
from extractors.decode import decode_body
from extractors.html_meta import (
    PageMeta,
    clean_author,
    extract_meta,
    parse_datetime,
    read_html,
)
from extractors.language import detect_language
from extractors.models import Article
from extractors.urls import canonical_url, host_of, same_site

log = logging.getLogger(__name__)

#: trafilatura's time grows fast with page size; beyond this many characters of HTML (after
#: scripts and styles are dropped) the rest is cut and the status says so.
MAX_HTML_CHARS = 2_000_000
#: Fewer body words than this (title excluded) is not an article. Wire "headline" briefs run
#: 30-40 words, paywall teasers and error pages under 20.
MIN_BODY_WORDS = 25
#: A shorter body is still an article when it states a deal in a sentence of its own (the gate's
#: transaction + compute cues): market flashes and wire briefs run 15-25 words; a paywall teaser
#: or an error page states none. Below this many words nothing is an article.
MIN_BRIEF_WORDS = 10
#: Section fronts: the main text has at least this many lines that are whole link texts, making
#: up at least this share of its words (measured: fronts 0.6-0.9, articles 0.0-0.05).
FRONT_MIN_LINKED_LINES = 5
FRONT_LINKED_SHARE = 0.5
#: When trafilatura kept only a few teasers of a front: many links, most page words inside links
#: (article pages measured 0.02-0.35, but a 40-word brief under a big menu reaches 0.75, which
#: is why this alone never makes a front).
FRONT_MIN_LINKS = 20
FRONT_LINK_DENSITY = 0.6

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
TEXT_TYPES = ("text/plain", "text/markdown")
_WORD = re.compile(r"\w+")
_SCRIPT_OPEN = re.compile(r"<(script|style|svg|noscript)\b[^<>]*>", re.I)
_SCRIPT_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "svg", "noscript")}
_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s+")
_SENTENCE_END = (".", "!", "?", ":", '"', "”", "’", ")")
_WRAP_WIDTH = 100  # plain text with no longer line is taken as hard-wrapped
_TITLE_SEPARATORS = (" | ", " - ", " — ", " – ", " :: ", " · ")


def strip_scripts(html_text: str) -> str:
    """Drop <script>, <style>, <svg> and <noscript> elements in one pass (linear time).

    A regex with a lazy ``.*?`` up to the closing tag rescans the rest of the page for every
    unclosed opening tag: 10,000 of them on a 2.4 MB page ran for minutes. Here a closing tag is
    searched from where its element opens, and once none is left for a tag name no later
    element of that name is searched for again (an unclosed element loses only its opening tag).
    """
    parts: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    while (m := _SCRIPT_OPEN.search(html_text, pos)) is not None:
        parts.append(html_text[pos : m.start()])
        name = m.group(1).lower()
        close = None if name in unclosed else _SCRIPT_CLOSE[name].search(html_text, m.end())
        if close is None:
            unclosed.add(name)
            parts.append(" ")
            pos = m.end()
            continue
        parts.append(" ")
        pos = close.end()
    parts.append(html_text[pos:])
    return "".join(parts)


def article_id_for(url: str) -> str:
    """Stable 16-hex-digit id: sha1 of the canonical URL (same page, same id, across runs)."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def is_ok_status(status: str) -> bool:
    """True for statuses that mean "extract this" ('ok', or 'ok (truncated: ...)')."""
    return status == "ok" or status.startswith("ok (")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class LinkStats:
    """How much of a page is links: section fronts are lists of links, articles are prose."""

    links: int = 0
    link_words: int = 0
    #: lower-cased texts of links with at least 3 words (headline-like; "Home", "RSS" left out)
    anchors: frozenset[str] = frozenset()
    #: the page's tree, kept until its words are counted (see ``page_words``)
    tree: Any = field(default=None, repr=False, compare=False)

    @cached_property
    def page_words(self) -> int:
        """Visible words of the page's body. Counted on first use and then the tree let go: only
        a rare page with a few linked teaser lines needs it, and counting is ~90 % of these stats."""
        words, self.tree = page_words(self.tree), None
        return words

    @property
    def density(self) -> float:
        return self.link_words / self.page_words if self.page_words else 0.0


def page_words(tree: Any) -> int:
    """Words of the text under <body>, outside scripts, styles and <noscript>."""
    if tree is None:
        return 0
    visible = "[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
    # One count over the joined text nodes (a space between nodes splits no word that counting
    # each node apart would join): one regex pass instead of one per text node.
    return word_count(" ".join(tree.xpath(f"//body//text(){visible}")))


def link_stats(tree: Any) -> LinkStats:
    if tree is None:
        return LinkStats()
    anchors = tree.xpath("//body//a[@href]")
    link_words = 0
    texts = set()
    for a in anchors:
        text = " ".join(a.text_content().split())
        n = word_count(text)
        link_words += n
        if n >= 3:
            texts.add(text.lower())
    return LinkStats(len(anchors), link_words, frozenset(texts), tree)


def linked_share(lines: list[str], anchors: frozenset[str], total: int | None = None) -> tuple[int, float]:
    """(lines of the main text that are link texts, their share of the main text's words).

    On a section front trafilatura's "main text" is the list of teaser headlines, each the text
    of a link; an article's main text is prose that is almost never a whole link. ``total``: the
    lines' words when the caller has counted them; only the linked lines are counted here.
    """
    if not lines or not anchors:
        return 0, 0.0
    linked = [word_count(line) for line in lines if line.lower() in anchors]
    total = sum(map(word_count, lines)) if total is None else total
    return len(linked), (sum(linked) / total if total else 0.0)


def _kind(content_type: str | None, url: str, text_head: str) -> str:
    """'html', 'text', or 'other:<mime>' from the content type, URL suffix and first bytes."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    path = urlsplit(url).path.lower() if "://" in url else url.lower()
    looks_html = bool(re.search(r"<(!doctype html|html|head|body|article|p|div)\b", text_head, re.I))
    is_html_document = bool(re.match(r"\s*(<\?xml[^>]*>\s*)?<(!doctype html|html)\b", text_head, re.I))
    if is_html_document:  # an HTML document served as text/plain is still HTML
        return "html" if mime in TEXT_TYPES or mime in HTML_TYPES or not mime else f"other:{mime}"
    if mime in TEXT_TYPES or (not mime and path.endswith((".txt", ".md"))):
        return "text"
    if mime in HTML_TYPES or (not mime and looks_html):
        return "html"
    if mime.startswith("text/") or not mime:
        return "html" if looks_html else "text"
    return f"other:{mime}"


def _clean_title(title: str | None, site_name: str | None) -> str | None:
    """Collapse whitespace and cut a trailing " | Site Name" the page appended to its title."""
    if not title:
        return None
    title = " ".join(title.split())
    if site_name:
        for sep in _TITLE_SEPARATORS:
            suffix = f"{sep}{site_name}"
            if title.lower().endswith(suffix.lower()) and len(title) > len(suffix) + 10:
                return title[: -len(suffix)].strip()
    return title or None


def _plain_paragraphs(lines: list[str]) -> list[str]:
    """Lines → paragraphs. Each line is a paragraph, unless the text looks hard-wrapped (no line
    longer than ``_WRAP_WIDTH``): then a line that stops mid-sentence is joined to the next one
    in its blank-line block; bullets always start a new line."""
    lines = [" ".join(raw.split()) for raw in lines]
    wrapped = max((len(line) for line in lines), default=0) <= _WRAP_WIDTH
    if not wrapped:
        return [line for line in lines if line]
    out: list[str] = []
    joinable = False
    for line in lines:
        if not line:
            joinable = False
            continue
        if joinable and not _BULLET.match(line) and not out[-1].endswith(_SENTENCE_END):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joinable = not _BULLET.match(line)
    return out


def _sane_date(dt: datetime | None, now: datetime) -> datetime | None:
    """Drop dates from the future (clock or template errors) and before the web news era."""
    if dt is None or dt > now + timedelta(days=1) or dt.year < 1995:
        return None
    return dt


def _unparsable(url: str, reason: str, **kw: Any) -> Article:
    canon = canonical_url(url)
    return Article(
        article_id=article_id_for(canon or url), url=url, text="", canonical_url=canon or None,
        status=f"unparsable: {reason}", **kw,
    )  # fmt: skip


def _status(
    body: str, language: str | None, front: str | None, title: str | None = None, words: int | None = None
) -> str:
    """``words``: the body's word count when the caller has it."""
    if front:
        return front
    if language not in (None, "en", "und"):  # 'und': too few function words to tell
        return f"not English (language={language})"
    words = word_count(body) if words is None else words
    if words < MIN_BODY_WORDS and not (words >= MIN_BRIEF_WORDS and _states_a_deal(body, title)):
        return f"not an article: too little text ({words} words)"
    return "ok"


def _states_a_deal(body: str, title: str | None = None) -> bool:
    """Whether a short body is a brief that states a deal: it gives a figure (money, power, chips)
    and it or its headline has a deal sentence. A teaser ("in talks ... subscribe") gives no figure."""
    from extractors.gate import is_deal_sentence, states_amount  # the gate's cues, loaded on use

    if not states_amount(body):
        return False
    parts = [p for p in re.split(r"(?<=[.;!?])\s+|\n+", body) if p.strip()]
    return any(is_deal_sentence(p) for p in [*parts, title or ""] if p)


def _front_reason(meta: PageMeta, stats: LinkStats, lines: list[str], words: int) -> str | None:
    """Why the page is a section front (a list of links to articles), or None; ``words``: the
    lines' words."""
    reason = f"not an article: section front ({stats.links} links, {words} words)"
    if meta.page_type == "listing" and words < 400:
        return reason
    n_linked, share = linked_share(lines, stats.anchors, words)
    if share < FRONT_LINKED_SHARE:
        return None
    if n_linked >= FRONT_MIN_LINKED_LINES:
        return reason
    # trafilatura kept only a few teasers: then most of the page's words must be inside links
    if n_linked >= 2 and stats.links >= FRONT_MIN_LINKS and stats.density >= FRONT_LINK_DENSITY:
        return reason
    return None


def _parse_text(text: str, url: str, published_hint: datetime | None, now: datetime) -> Article:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return _unparsable(url, "empty document")
    title = " ".join(lines[first].split())
    body = "\n".join(_plain_paragraphs(lines[first + 1 :]))
    language, _ = detect_language(f"{title}\n{body}")
    canon = canonical_url(url)
    return Article(
        article_id=article_id_for(canon),
        url=url,
        text=f"{title}\n\n{body}" if body else title,
        title=title,
        canonical_url=canon,
        publisher=host_of(canon) or None,
        published_at=_sane_date(_utc(published_hint), now),
        language=language,
        status=_status(body, language, None, title),
    )


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


#: Below this many words the fast extraction may have missed the story: run the full cascade.
FAST_ENOUGH_WORDS = 200


def _extract_main(
    html: Any, url: str, with_metadata: bool = True, deadline: Deadline | None = None
) -> tuple[Any, int]:
    """trafilatura's main-content extraction of an HTML string or lxml tree (trafilatura copies a
    tree before cleaning it, so the caller's tree is left intact), and the words of its text
    (counted here anyway, so the caller does not count them again).

    The fast mode skips the comparison with readability/justext, which costs ~40% of the time and,
    on pages with a long article body, picks the same text; when the fast result is short, where
    that comparison rescues stories from odd layouts, the full cascade runs. trafilatura's own
    metadata (title, author, date, site name heuristics) is over half of what is left, so it is
    asked for only when the page's declared metadata lacks one of them."""
    import trafilatura  # imported lazily: ~0.5 s, and only the HTML path needs it

    def run(fast: bool) -> Any:
        return trafilatura.bare_extraction(
            html, url=url if "://" in url else None, with_metadata=with_metadata, fast=fast,
            include_comments=False, include_tables=True, deduplicate=False,
            # no "extensive" date search: it guesses from archive links and sidebars, and a wrong
            # publication date silently shifts every relative date ("on Tuesday") in the article
            date_extraction_params={"extensive_search": False, "original_date": True},
        )  # fmt: skip

    doc = run(fast=True)
    words = word_count(getattr(doc, "text", None) or "")
    if doc is None or words < FAST_ENOUGH_WORDS:
        if deadline is not None:
            deadline.check("the main text (fast pass)")
        doc = run(fast=False)
        words = word_count(getattr(doc, "text", None) or "")
    return doc, words


def _body_lines(
    text: str, text_words: int, article_body: str | None, title: str | None
) -> tuple[list[str], int]:
    """The body's lines, whitespace collapsed and the headline left out, and their word count.

    ``text_words``: the words of ``text``. Collapsing whitespace, dropping blank lines and joining
    lines by newlines change no word (whitespace is never a word character), so the counts of
    the whole texts carry over and only a dropped headline line is counted again.
    """
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    words = text_words
    if article_body and (body_words := word_count(article_body)) > 2 * text_words:
        # a page rendered by scripts: the HTML holds a stub, JSON-LD the whole story
        lines = [" ".join(x.split()) for x in article_body.split("\n") if x.strip()]
        words = body_words
    if lines and title and lines[0].lower() == title.lower():
        words -= word_count(lines[0])
        lines = lines[1:]
    return lines, words


def _trusted_canonical(declared: str | None, url: str) -> str:
    """The page's canonical URL when it is on the same site and not just the home page;
    a cross-site canonical (a syndicated copy naming the original) would merge two fetched
    documents into one article id, so the fetched URL is used instead."""
    fetched = canonical_url(url)
    if not declared:
        return fetched
    candidate = canonical_url(declared)
    if not candidate.startswith(("http://", "https://")):
        return fetched
    if not (fetched.startswith("file:") or same_site(candidate, fetched)):
        return fetched
    if urlsplit(candidate).path in ("", "/") and urlsplit(fetched).path not in ("", "/"):
        return fetched
    return candidate


def _parse_html(
    html_text: str,
    url: str,
    title_hint: str | None,
    published_hint: datetime | None,
    now: datetime,
    deadline: Deadline,
) -> Article:
    tree, html_text = read_html(html_text)  # unwrapped when nested deeper than libxml2 reads
    if tree is None:
        return _unparsable(url, "no HTML content")
    deadline.check("reading the HTML")
    meta = extract_meta(tree, base_url=url if "://" in url else "")
    stats = link_stats(tree)
    deadline.check("the page metadata")
    # The page's own title (declared, else its <title>/<h1> as trafilatura reads them) wins over
    # a feed item's title, so trafilatura's metadata is asked for whenever none is declared.
    need_meta = not (meta.title and meta.authors and (meta.published_at or published_hint) and meta.site_name)
    note = ""
    if len(html_text) > MAX_HTML_CHARS:
        _ = stats.page_words  # counted now: the tree of a page this big is let go before trafilatura
        del tree
        slim = strip_scripts(html_text)
        if len(slim) > MAX_HTML_CHARS:
            note = f" (truncated: parsed the first {MAX_HTML_CHARS:,} of {len(slim):,} characters)"
            slim = slim[:MAX_HTML_CHARS]
        deadline.check("dropping scripts")
        doc, text_words = _extract_main(slim, url, need_meta, deadline)
    else:
        doc, text_words = _extract_main(tree, url, need_meta, deadline)  # no second parse of the same page
    deadline.check("the main text")
    guess: dict[str, Any] = {}
    if doc is not None:
        guess = {k: getattr(doc, k, None) for k in ("title", "author", "sitename", "date", "text")}
    site_name = meta.site_name or guess.get("sitename")
    title = _clean_title(meta.title or guess.get("title"), site_name)
    lines, words = _body_lines(guess.get("text") or "", text_words, meta.article_body, title)
    body = "\n".join(lines)
    heading = title  # only the page's own headline opens the text, never a feed item's title
    title = title or _clean_title(title_hint, site_name)
    canon = _trusted_canonical(meta.canonical_url, url)
    published = _sane_date(meta.published_at, now)
    if meta.sources.get("published_at", "").startswith("time") and published_hint is not None:
        published = _sane_date(_utc(published_hint), now) or published  # feed date over <time>
    published = published or _sane_date(_utc(published_hint), now)
    published = published or _sane_date(parse_datetime(guess.get("date")), now)
    authors = meta.authors or [clean_author(a) for a in (guess.get("author") or "").split(";") if a.strip()]
    language, _ = detect_language(body or title or "")
    if language is None:
        language = meta.language
    status = _status(body, language, _front_reason(meta, stats, lines, words), heading, words)
    if status == "ok":
        status += note
    return Article(
        article_id=article_id_for(canon),
        url=url,
        text=f"{heading}\n\n{body}" if heading and body else (heading or body),
        title=title,
        canonical_url=canon,
        publisher=site_name or host_of(canon) or None,
        authors=authors,
        published_at=published,
        language=language,
        status=status,
    )


def parse_document(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    fetched_at: datetime | None = None,
    title_hint: str | None = None,
    published_hint: datetime | None = None,
    budget_s: float | None = None,
) -> Article:
    """Parse fetched bytes into an Article (text = title + blank line + body paragraphs).

    ``title_hint``/``published_hint`` (e.g. from a feed item) are used when the page has no
    title/date of its own; a feed title is never put into the text. Parsing past ``budget_s``
    (default: :func:`extractors.budget.document_budget`) gives status ``failed: took too long
    (...)``. Never raises.
    """
    url = url or ""
    deadline = Deadline("parsing") if budget_s is None else Deadline("parsing", budget_s)
    try:
        if not isinstance(body, (bytes, bytearray)):
            return _unparsable(url, f"body is {type(body).__name__}, not bytes")
        if not body.strip():
            return _unparsable(url, "empty document")
        now = _utc(fetched_at) or datetime.now(UTC)
        text, _encoding = decode_body(bytes(body), content_type)
        deadline.check("decoding")
        if "\x00" in text[:4096]:
            return _unparsable(url, "binary content (NUL bytes)")
        kind = _kind(content_type, url, text[:2048])
        if kind == "text":
            return _parse_text(text, url, published_hint, now)
        if kind.startswith("other:"):
            return _unparsable(url, f"unsupported content type {kind[6:]}")
        return _parse_html(text, url, title_hint, published_hint, now, deadline)
    except TookTooLong as exc:
        log.warning("gave up parsing %s: %s", url, exc)
        canon = canonical_url(url)
        return Article(
            article_id=article_id_for(canon or url), url=url, text="", canonical_url=canon or None,
            status=str(exc),
        )  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"; reason is recorded
        log.warning("parse failed for %s: %r", url, exc)
        return _unparsable(url, f"{exc.__class__.__name__}: {exc}"[:300])
