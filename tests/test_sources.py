"""expand_sources / load_sources_file against a loopback server and real files in tmp_path."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from flows.fetch import fetch_many_sync
from flows.http_policy import FetchPolicy
from flows.sources import SourceSpec, detect_kind, expand_sources, load_sources_file, url_list_lines
from tests.misbehaving_server import MisbehavingServer

POLICY = FetchPolicy(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, retries=1, per_host_delay=0.0)


@pytest.fixture
def server():
    with MisbehavingServer() as st:
        yield st


def locations(expanded):
    return [i.location for i in expanded.items]


@pytest.mark.integration
def test_rss_feed_gives_items_with_hints(server):
    server.feed_links = [server.url("/a/1.html"), "/a/2.html"]  # relative links resolve against the feed
    ex = expand_sources([server.url("/feed.xml")], POLICY)
    assert locations(ex) == [server.url("/a/1.html"), server.url("/a/2.html")]
    first = ex.items[0]
    assert first.title_hint == "Item 0" and first.kind == "url" and first.source == server.url("/feed.xml")
    assert first.published_hint == datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
    assert [r.url for r in ex.fetches] == [server.url("/feed.xml")] and ex.fetches[0].status == "ok"
    assert ex.problems == [] and ex.explicit_hosts == {f"127.0.0.1:{server.port}"}


@pytest.mark.integration
def test_atom_feed(server):
    server.feed_links = [server.url("/b/1.html")]
    ex = expand_sources([server.url("/atom.xml")], POLICY)
    assert locations(ex) == [server.url("/b/1.html")]
    assert ex.items[0].title_hint == "Entry 0"


@pytest.mark.integration
def test_sitemap_index_to_sitemaps_to_pages(server):
    ex = expand_sources([server.url("/sitemap_index.xml")], POLICY)
    assert sorted(locations(ex)) == [server.url(f"/a/{n}.html") for n in (1, 2, 3)]
    by_loc = {i.location: i for i in ex.items}
    first = by_loc[server.url("/a/1.html")]
    assert first.title_hint == "Sitemap title 0"
    assert first.published_hint == datetime(2026, 8, 10, 6, 0, tzinfo=UTC)  # +02:00 converted to UTC
    assert {r.url for r in ex.fetches} == {
        server.url(p) for p in ("/sitemap_index.xml", "/sitemap-1.xml", "/sitemap-2.xml")
    }
    assert ex.problems == []


@pytest.mark.integration
def test_gzipped_sitemap_file(server):
    ex = expand_sources([server.url("/sitemap.xml.gz")], POLICY)
    assert locations(ex) == [server.url("/b/1.html")] and ex.problems == []


@pytest.mark.integration
def test_article_url_is_fetched_once_and_handed_over(server):
    ex = expand_sources([server.url("/page.html")], POLICY)
    assert locations(ex) == [server.url("/page.html")]
    assert ex.fetches == []  # not a feed: nothing for the fetch log besides the page itself
    [page] = ex.pages
    assert page.url == server.url("/page.html") and page.status == "ok" and b"Northwind" in page.body
    assert server.paths().count("/page.html") == 1


@pytest.mark.integration
def test_remote_url_list(server):
    ex = expand_sources([server.url("/urls.txt")], POLICY)
    assert locations(ex) == [server.url("/a/1.html"), server.url("/b/1.html")]


@pytest.mark.integration
def test_declared_kind_that_does_not_match_is_reported(server):
    spec = SourceSpec(name="news feed", url=server.url("/page.html"), kind="feed")
    ex = expand_sources([spec], POLICY)
    assert ex.items == []
    assert [p.source for p in ex.problems] == ["news feed"]
    assert "is not a feed (HTML" in ex.problems[0].reason


@pytest.mark.integration
def test_failed_urls_are_recorded_not_raised(server):
    named = [server.url("/missing.xml"), server.url("/doc.pdf"), "ftp://example.invalid/feed"]
    ex = expand_sources(named, POLICY)
    # A named URL that cannot be fetched is handed over as the page it was meant to be, with its outcome.
    assert locations(ex) == named[:2]
    assert [(p.status, p.error) for p in ex.pages] == [
        ("error", "HTTP 404"),
        ("unsupported", "unsupported content type application/pdf"),
    ]
    assert len(ex.problems) == 1 and "scheme 'ftp'" in ex.problems[0].reason
    declared = expand_sources([SourceSpec("wire", server.url("/missing.xml"), kind="feed")], POLICY)
    assert declared.items == [] and declared.problems[0].reason.endswith("HTTP 404")
    assert [r.http_status for r in declared.fetches] == [404]


@pytest.mark.integration
def test_unchanged_page_is_not_modified(server):
    url = server.url("/etag")
    ex = expand_sources([url], POLICY, validators={url: ('"v1"', None)})
    assert [p.status for p in ex.pages] == ["not_modified"] and locations(ex) == [url]


@pytest.mark.integration
def test_source_delay_spaces_item_fetches(server):
    server.feed_links = [server.url("/a/1.html"), server.url("/a/2.html")]
    spec = SourceSpec(name="slow site", url=server.url("/feed.xml"), delay=0.4)
    ex = expand_sources([spec], POLICY)
    assert ex.host_delays == {"127.0.0.1": 0.4}
    results = fetch_many_sync(
        locations(ex), POLICY, explicit_hosts=ex.explicit_hosts, host_delays=ex.host_delays
    )
    assert [r.status for r in results] == ["ok", "ok"]
    times = [h.at for h in server.hits if h.path.startswith("/a/")]
    assert times[1] - times[0] >= 0.3  # client-side booking; arrival jitter aside


def test_local_directory_of_files(tmp_path):
    (tmp_path / "one.html").write_text("<html><body><p>An article</p></body></html>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.htm").write_text("<html><body><p>Another</p></body></html>")
    (tmp_path / "story.txt").write_text("Plain text story.\nhttp://example.test/not-alone is mentioned.\n")
    (tmp_path / "list.txt").write_text(
        "# my reading list\nhttp://a.example.test/1\n\nhttps://b.example.test/2\n"
    )
    (tmp_path / "more.urls").write_text("http://c.example.test/3\nnot a url\n")
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.html").write_text("<p>hidden</p>")
    ex = expand_sources([str(tmp_path)], POLICY)
    files = sorted(i.location for i in ex.items if i.kind == "file")
    assert files == sorted(str(tmp_path / p) for p in ("one.html", "sub/two.htm", "story.txt"))
    urls = [i.location for i in ex.items if i.kind == "url"]
    assert urls == ["http://a.example.test/1", "https://b.example.test/2", "http://c.example.test/3"]
    # the user's own URL lists name endpoints (host:port) explicitly
    assert ex.explicit_hosts == {"a.example.test:80", "b.example.test:443", "c.example.test:80"}
    reasons = " | ".join(p.reason for p in ex.problems)
    assert "line 2 is not an http(s) URL: not a url" in reasons
    assert "skipped 1 files of other types (.pdf)" in reasons
    assert ex.fetches == []


def test_local_feed_file(tmp_path):
    from tests.misbehaving_server import rss

    (tmp_path / "saved.rss").write_bytes(rss(["http://news.example.test/x"]))
    ex = expand_sources([str(tmp_path / "saved.rss")], POLICY)
    assert locations(ex) == ["http://news.example.test/x"]
    assert ex.explicit_hosts == set()  # hosts inside a feed are never trusted


def test_missing_paths_and_url_without_scheme(tmp_path):
    ex = expand_sources([str(tmp_path / "nope.html"), "example.com/feed.xml", "javascript:alert(1)"], POLICY)
    reasons = [p.reason for p in ex.problems]
    assert reasons[0] == f"file {tmp_path / 'nope.html'} does not exist"
    assert "start it with http:// or https://" in reasons[1]
    assert "javascript" in reasons[2]
    assert ex.items == []


def test_sources_file(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "sources.toml").write_text(
        """
[[source]]
name = "Wire feed"
url = "https://wire.example.test/rss"
delay = 2.5

[[source]]
url = "pages"
kind = "auto"

[[source]]
name = "Off"
url = "https://off.example.test/feed"
enabled = false

[[source]]
name = "Typo"
url = "https://typo.example.test/feed"
enable = false

[[source]]
name = "Bad delay"
url = "https://x.example.test/feed"
delay = "soon"
"""
    )
    specs = load_sources_file(tmp_path / "sources.toml")
    assert [(s.name, s.enabled, s.problem is None) for s in specs] == [
        ("Wire feed", True, True),
        ("pages", True, True),
        ("Off", False, True),
        ("Typo", False, False),
        ("Bad delay", False, False),
    ]
    assert specs[0].delay == 2.5 and specs[0].url == "https://wire.example.test/rss"
    assert specs[1].url == str(tmp_path / "pages")  # relative to the sources file
    assert "unknown key(s): enable" in specs[3].problem
    assert "'delay' must be a number" in specs[4].problem
    ex = expand_sources(specs[1:], POLICY)  # skip the network entry; disabled ones are silent
    assert [p.source for p in ex.problems] == ["Typo", "Bad delay", "pages"]
    reasons = [p.reason for p in ex.problems]
    assert any("unknown key(s): enable" in r for r in reasons)
    assert any("no .html, .htm, .txt or .urls files" in r for r in reasons)


def test_sources_file_missing_or_invalid(tmp_path):
    [missing] = load_sources_file(tmp_path / "absent.toml")
    assert (
        missing.problem == f"sources file {tmp_path / 'absent.toml'} does not exist" and not missing.enabled
    )
    (tmp_path / "broken.toml").write_text("[[source]\nurl = ")
    [broken] = load_sources_file(tmp_path / "broken.toml")
    assert "is not valid TOML" in broken.problem


@pytest.mark.parametrize(
    ("body", "ctype", "kind"),
    [
        (
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>',
            "text/xml",
            "feed",
        ),
        (
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>',
            "application/rdf+xml",
            "feed",
        ),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "application/xml", "feed"),
        (b"<urlset></urlset>", "application/xml", "sitemap"),
        (b"<sitemapindex></sitemapindex>", "text/xml", "sitemapindex"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "text/html", "page"),
        (b"http://x.example.test/1\nhttps://y.example.test/2\n", "text/plain", "urls"),
        (b"A story in plain text.", "text/plain", "page"),
        (b"<?xml version='1.0'?><svg/>", "image/svg+xml", "unknown"),
    ],
)
def test_detect_kind_from_body_not_name(body, ctype, kind):
    assert detect_kind(body, ctype) == kind


def test_url_list_rule():
    assert url_list_lines("# c\nhttp://a.test/1\n\n") == ["http://a.test/1"]
    assert url_list_lines("see http://a.test/1") is None
    assert url_list_lines("\n# only comments\n") is None


def test_expand_never_raises_on_odd_input():
    started = time.monotonic()
    ex = expand_sources(["", "   ", "http://[::1", "\x00bad"], POLICY)
    assert ex.items == [] and len(ex.problems) == 4
    assert time.monotonic() - started < 5


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE z [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY a%d "%s">' % (i, (b"&a%d;" % (i - 1) if i > 1 else b"&a;") * 10) for i in range(1, 10)
    )
    + b"]>"
)


def test_entity_expansion_bombs_are_contained():
    from flows.sources import feed_items, sitemap_entries

    started = time.monotonic()
    *_, error = sitemap_entries(
        BILLION_LAUGHS + b"<urlset><url><loc>http://x.test/&a9;</loc></url></urlset>", "http://x.test/", "s"
    )
    assert error and "not well-formed XML" in error
    items, _ = feed_items(
        BILLION_LAUGHS
        + b'<rss version="2.0"><channel><item><title>&a9;</title><link>http://x.test/1</link></item></channel></rss>',
        "http://x.test/",
        "s",
    )
    assert [i.location for i in items] == ["http://x.test/1"]
    assert all(len(i.title_hint or "") < 1000 for i in items)  # the entity was not expanded a billion times
    assert time.monotonic() - started < 10


def test_sitemap_page_loc_wins_over_image_loc():
    from flows.sources import sitemap_entries

    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><url>'
        b"<image:image><image:loc>http://cdn.example.test/pic.jpg</image:loc></image:image>"
        b"<loc>http://news.example.test/story</loc><lastmod>2026-07-01</lastmod></url></urlset>"
    )
    _, items, _, error = sitemap_entries(body, "http://news.example.test/sitemap.xml", "s")
    assert error is None and [i.location for i in items] == ["http://news.example.test/story"]
    assert items[0].published_hint == datetime(2026, 7, 1, tzinfo=UTC)
