"""HTML/text bytes → Article, on the project's own test pages (tests/data/html)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.parse import MAX_HTML_CHARS, article_id_for, is_ok_status, parse_document

PAGES = Path(__file__).parent / "data" / "html"


def parse_page(name: str, url: str | None = None, **kw) -> object:
    return parse_document((PAGES / name).read_bytes(), url=url or f"https://pages.example/{name}", **kw)


def test_jsonld_newsarticle_wins_over_opengraph_and_time() -> None:
    url = "https://www.harborledger.example/tech/2026/03/tessaline-morrow-gpu-lease?utm_source=x"
    a = parse_page("jsonld_newsarticle.html", url, content_type="text/html; charset=utf-8")
    assert a.status == "ok"
    # JSON-LD headline, not og:title ("opinion roundup") nor <title> with the site suffix
    assert a.title == "Tessaline Cloud lands Morrow Labs as GPU tenant in four-year lease"
    assert a.publisher == "Harbor Ledger"  # JSON-LD publisher beats og:site_name
    assert a.published_at == datetime(2026, 3, 4, 7, 30, tzinfo=UTC)  # +02:00 → UTC; not <time>
    assert a.authors == ["Priya Okonjo", "Henrik Saal"]
    assert a.canonical_url == "https://www.harborledger.example/tech/2026/03/tessaline-morrow-gpu-lease"
    assert a.article_id == article_id_for(a.canonical_url)
    assert a.language == "en"
    assert a.text.startswith(a.title + "\n\n")
    assert "$840 million" in a.text
    for boilerplate in ("Podcasts", "Privacy", "Ohio utilities brace"):
        assert boilerplate not in a.text


def test_opengraph_page() -> None:
    a = parse_page("opengraph.html", "https://circuitdesk.example/news/gantry-pellucid-accelerators/")
    assert a.status == "ok"
    assert a.title == "Gantry Systems to supply 12,000 accelerators to Pellucid AI"
    assert a.publisher == "The Circuit Desk"
    assert a.published_at == datetime(2026, 2, 10, 23, 15, tzinfo=UTC)  # 18:15 -05:00
    assert a.authors == ["Dana Whitcombe", "Luis Ferreira"]
    assert "Most read" not in a.text and "Subscribe" not in a.text
    assert a.text.count("\n\n") == 1 and a.text.count("\n") >= 5  # title, blank line, paragraphs


def test_time_byline_only_and_host_as_publisher() -> None:
    a = parse_page("time_byline.html", "https://www.quarrypoint-news.example/2026/power-deal")
    assert a.status == "ok"
    assert a.published_at == datetime(2026, 1, 20, 14, 0, tzinfo=UTC)
    assert a.publisher == "quarrypoint-news.example"
    assert a.authors == ["Meera Castell"]
    assert a.title == "Quarry Point signs power deal for new compute hall"


def test_feed_hints_fill_gaps_but_do_not_override_the_page() -> None:
    hint = datetime(2026, 1, 19, 23, 0, tzinfo=UTC)
    a = parse_page("bom_utf8.html", published_hint=hint, title_hint="Feed title")
    assert a.published_at == hint  # page has no date of its own
    # the page's own <title>/<h1> is its headline: a feed item's title neither replaces it nor
    # is put into the text (a page's real headline was lost that way)
    assert a.title == "Ostrander Labs commits to “multi-year” cloud spend"
    assert a.text.startswith(a.title + "\n\n") and "Feed title" not in a.text
    c = parse_page("opengraph.html", title_hint="Feed title")
    assert c.title == "Gantry Systems to supply 12,000 accelerators to Pellucid AI"  # nor og:title
    b = parse_page("opengraph.html", published_hint=hint)
    assert b.published_at == datetime(2026, 2, 10, 23, 15, tzinfo=UTC)


def test_latin1_page_with_only_meta_charset() -> None:
    a = parse_page("latin1_meta_charset.html")  # no charset in the content type
    assert a.status == "ok"
    assert a.title == "Café Systèmes signs Zürich compute lease"
    assert "£48 million" in a.text and "Bärwald" in a.text
    assert "\ufffd" not in a.text


def test_bom_page() -> None:
    a = parse_page("bom_utf8.html", content_type="text/html; charset=iso-8859-1")  # wrong header
    assert a.status == "ok"
    assert a.title.startswith("Ostrander Labs commits to “multi-year”")
    assert "$220 million with Vantor Cloud — its largest" in a.text
    assert "\ufeff" not in a.text and "â€" not in a.text


def test_blog_layout_drops_comments_and_sidebar_and_strips_tracking_from_canonical() -> None:
    a = parse_page("blog_layout.html", "https://racknotes.example/posts/fenwick-ardent")
    assert a.status == "ok"
    assert 'value of the agreement at "up to" $310 million' in a.text
    for noise in ("First!", "Great write-up", "Blogroll", "February 2026"):
        assert noise not in a.text
    assert a.canonical_url == "https://racknotes.example/posts/fenwick-ardent"
    assert a.published_at is None  # no date stated; archive links are not a publication date


def test_section_front_is_marked_not_extracted() -> None:
    a = parse_page("section_front.html", "https://www.harborledger.example/tech")
    assert a.status.startswith("not an article: section front (")
    assert "links" in a.status and "words)" in a.status
    assert not is_ok_status(a.status)


def test_non_english_page() -> None:
    a = parse_page("non_english.html")
    assert a.status == "not English (language=de)"
    assert a.language == "de"
    assert "Rechenzentren" in a.text  # still stored with its text


def test_too_little_text() -> None:
    a = parse_page("too_short.html")
    assert a.status.startswith("not an article: too little text (")
    assert a.title == "Exclusive: cloud lease talks"


def _brief(headline: str, body: str) -> bytes:
    return (
        f"<html lang='en'><head><title>{headline}</title><meta property='og:type' content='article'>"
        f"</head><body><article><h1>{headline}</h1><p>{body}</p></article></body></html>"
    ).encode()


def test_a_short_brief_that_states_a_deal_with_its_figure_is_an_article() -> None:
    flash = _brief(
        "Tormey Labs to pay KSTL about $80M for GPU time",
        "KSTL +6%. Tormey Labs signs two-year GPU capacity contract with Kestle worth about $80M, per sources.",
    )
    assert parse_document(flash, url="https://flash.example/a").status == "ok"
    teaser = _brief(
        "Exclusive: GPU cloud lease talks",
        "Two cloud companies are in late-stage talks over a lease. Subscribe to keep reading the story.",
    )
    assert parse_document(teaser, url="https://flash.example/b").status.startswith(
        "not an article: too little text ("
    )


def test_cross_site_canonical_of_a_syndicated_copy_is_not_trusted() -> None:
    url = "https://coastline.example/business/2026/04/lindqvist"
    copy = parse_page("wire_copy.html", url)
    original = parse_page(
        "wire_original.html", "https://meridianwire.example/business/lindqvist-corvane-cluster"
    )
    assert copy.canonical_url == url
    assert copy.article_id != original.article_id
    assert copy.publisher == "Coastline Business Daily"


def test_plain_text_first_line_is_title(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(
        "Vessel Compute signs hosting pact\n\nVessel Compute said on Monday it will host servers for a"
        " speech start-up for three years.\nThe agreement is worth about $90 million, the company said,"
        " and starts in June at its site in Tulsa.\n",
        encoding="utf-8",
    )
    a = parse_document(path.read_bytes(), url=str(path))
    assert a.status == "ok"
    assert a.title == "Vessel Compute signs hosting pact"
    assert a.text.startswith("Vessel Compute signs hosting pact\n\nVessel Compute said on Monday")
    assert a.text.split("\n")[3].startswith("The agreement is worth")  # one line per paragraph
    assert a.canonical_url == path.resolve().as_uri()
    assert a.publisher is None


def test_hard_wrapped_text_is_rejoined() -> None:
    body = (
        b"Title line here\n\nFirst paragraph starts here and\ncontinues on a wrapped line before it"
        b"\nends.\n\n- a bullet stays\n- another bullet stays\n\nLast paragraph of the note is short"
        b" but has\nenough words to count as an article body for the threshold we set.\n"
    )
    a = parse_document(body, url="https://x.example/note.txt", content_type="text/plain")
    lines = a.text.split("\n")
    assert lines[2] == "First paragraph starts here and continues on a wrapped line before it ends."
    assert lines[3:5] == ["- a bullet stays", "- another bullet stays"]


@pytest.mark.parametrize(
    ("body", "ctype", "reason"),
    [
        (b"", "text/html", "unparsable: empty document"),
        (b"   \n ", None, "unparsable: empty document"),
        (b"%PDF-1.7\x00\x01\x02binary", "application/pdf", "unparsable: "),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, "unparsable: binary content"),
        (b"<html><body></body></html>", "text/html", "not an article: too little text (0 words)"),
    ],
)
def test_bad_input_never_raises(body: bytes, ctype: str | None, reason: str) -> None:
    a = parse_document(body, url="https://x.example/a", content_type=ctype)
    assert a.status.startswith(reason)
    assert a.article_id == article_id_for("https://x.example/a")


def test_wrong_type_body_is_recorded() -> None:
    a = parse_document("a str, not bytes", url="https://x.example/a")  # type: ignore[arg-type]
    assert a.status == "unparsable: body is str, not bytes" and a.text == ""


def test_huge_page_is_truncated_and_says_so() -> None:
    para = "<p>" + "Capacity lease news continues with many more words about servers. " * 20 + "</p>\n"
    html = "<html><body><article>" + para * (MAX_HTML_CHARS // len(para) + 50) + "</article></body></html>"
    started = time.perf_counter()
    a = parse_document(html.encode(), url="https://x.example/huge", content_type="text/html")
    assert time.perf_counter() - started < 60
    assert a.status.startswith("ok (truncated: parsed the first 2,000,000 of ")
    assert is_ok_status(a.status)


def test_future_dates_are_not_trusted() -> None:
    html = (PAGES / "opengraph.html").read_text().replace("2026-02-10T18:15:00-05:00", "2031-01-01T00:00:00Z")
    a = parse_document(html.encode(), url="https://x.example/a", fetched_at=datetime(2026, 3, 1, tzinfo=UTC))
    assert a.published_at is None


def test_short_brief_under_a_big_menu_is_an_article() -> None:
    a = parse_page("brief_under_big_menu.html")
    assert a.status == "ok", a.status
    assert a.text.endswith("The companies did not give a price.")
    assert "Section 12" not in a.text


def test_xhtml_with_xml_declaration_and_latin1() -> None:
    page = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xml:lang="en"><head><title>Prévost Hosting signs two-year rack lease</title>'
        '<meta property="og:site_name" content="Rack Report"/></head><body><div>'
        "<h1>Prévost Hosting signs two-year rack lease</h1><p>Prévost Hosting has signed a two-year"
        " lease with an animation studio that will rent forty racks of graphics servers at its site"
        " in Lyon, the company said on Friday.</p><p>The studio pays a fixed monthly fee and may"
        " extend the lease for a third year.</p></div></body></html>"
    )
    a = parse_document(
        page.encode("latin-1"), url="https://rackreport.example/x", content_type="application/xhtml+xml"
    )
    assert a.status == "ok"
    assert a.title == "Prévost Hosting signs two-year rack lease" and a.publisher == "Rack Report"


def test_feed_xml_is_not_parsed_as_an_article() -> None:
    a = parse_document(
        b"<rss><channel></channel></rss>", url="https://x.example/f", content_type="application/rss+xml"
    )
    assert a.status == "unparsable: unsupported content type application/rss+xml"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=3000), st.sampled_from([None, "text/html", "text/plain", "text/html; charset=bogus"])
)
def test_arbitrary_bytes_never_raise(body: bytes, ctype: str | None) -> None:
    a = parse_document(body, url="https://x.example/fuzz", content_type=ctype)
    assert a.status == "ok" or a.status.startswith(("unparsable: ", "not an article: ", "not English"))
    assert a.article_id == article_id_for("https://x.example/fuzz")


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_markup_never_raises(text: str) -> None:
    a = parse_document(f"<html><body><p>{text}</p></body></html>".encode(), url="https://x.example/t")
    assert isinstance(a.status, str) and a.status


def test_script_rendered_page_uses_jsonld_article_body() -> None:
    body = (
        "Halloway Data will host a cluster for a robotics start-up for three years, the company said.\\n"
        "The start-up pays a monthly fee that was not disclosed, and the first racks go live in August"
        " at the Halloway site outside Denver, where a new hall was finished this spring."
    )
    page = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline":'
        f' "Halloway Data signs hosting deal", "articleBody": "{body}"}}</script></head>'
        '<body><div id="app">Loading…</div></body></html>'
    )
    a = parse_document(page.encode(), url="https://x.example/app")
    assert a.status == "ok"
    assert a.text.startswith("Halloway Data signs hosting deal\n\nHalloway Data will host a cluster")
    assert "the first racks go live in August at the Halloway site outside Denver" in a.text


def test_html_served_as_text_plain_is_parsed_as_html() -> None:
    a = parse_document(
        (PAGES / "opengraph.html").read_bytes(), url="https://x.example/a.txt", content_type="text/plain"
    )
    assert a.status == "ok"
    assert a.title == "Gantry Systems to supply 12,000 accelerators to Pellucid AI"
    assert "<p>" not in a.text


def test_seed_texts_parse_as_english_articles(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        a = parse_document(path.read_bytes(), url=str(path))
        first_line = path.read_text(encoding="utf-8").strip().split("\n", 1)[0].strip()
        assert a.status == "ok" and a.language == "en", path.name
        assert a.title == first_line and a.text.startswith(first_line + "\n\n")


def _page(words: int) -> bytes:
    paragraphs = "".join(
        f"<p>In filing {i}, the operator leased forty racks to the startup for a monthly fee. "
        f"Item {i} of the filing puts the term at {i + 2} years with an option to renew it.</p>"
        for i in range(max(1, words // 30))
    )
    return f"<html><head><title>Racks leased</title></head><body><article>{paragraphs}</article></body></html>".encode()


@pytest.mark.parametrize(("words", "modes"), [(600, [True]), (60, [True, False])])
def test_short_extractions_get_the_full_trafilatura_cascade(
    monkeypatch: pytest.MonkeyPatch, words: int, modes: list[bool]
) -> None:
    """The fast extraction is kept for a long story; a short one is re-extracted with the
    readability/justext comparison, and the text is the same either way on a plain page."""
    import trafilatura

    seen: list[bool] = []
    real = trafilatura.bare_extraction

    def recording(*args, **kwargs):
        seen.append(kwargs["fast"])
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", recording)
    article = parse_document(_page(words), url="https://news.example/racks", content_type="text/html")
    assert article.status == "ok"
    assert seen == modes
    assert article.text.count("leased forty racks") == max(1, words // 30)


def test_a_short_body_is_counted_without_its_headline() -> None:
    # 5 + 5 body words; the 5-word headline opens the text but is not counted as body
    brief = _brief("Cloud lease talks stall again", "Two firms met on Monday. No deal yet, people said.")
    a = parse_document(brief, url="https://flash.example/c")
    assert a.status == "not an article: too little text (10 words)"
    assert a.text.startswith("Cloud lease talks stall again\n\n")


def test_link_density_counts_only_the_visible_words_of_the_body() -> None:
    from extractors.html_meta import read_html
    from extractors.parse import link_stats

    tree, _ = read_html(
        "<html><head><title>t</title></head><body><p>alpha beta gamma</p><script>var x = 1;</script>"
        "<style>p {color: red}</style><noscript><p>one two</p></noscript>tail words"
        "<a href='/x'>linked three words</a><a>no href here</a></body></html>"
    )
    stats = link_stats(tree)
    assert (stats.links, stats.link_words) == (1, 3)
    assert stats.anchors == frozenset({"linked three words"})
    assert stats.page_words == 11  # 3 + "tail words" + 3 + "no href here"; script, style, noscript not
    assert stats.density == 3 / 11
