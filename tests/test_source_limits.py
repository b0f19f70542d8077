"""What a hostile or broken source can make a run do: sitemaps read once per run and capped per
source, the SSRF exemption scoped to the host:port the user named, and an `articles` row for
every document a source names but cannot give (a sitemap that is not XML, a non-http feed link).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.fetch import fetch_many_sync
from flows.http_policy import FetchPolicy
from flows.site_server import SiteServer
from flows.sources import MAX_SITEMAPS_PER_SOURCE, expand_sources
from flows.ssrf import decide, is_explicit, url_endpoint
from tests.misbehaving_server import MisbehavingServer, sitemap_index, urlset

POLICY = FetchPolicy(connect_timeout=1.0, read_timeout=2.0, total_timeout=5.0, retries=0, per_host_delay=0.0)


def _site(tmp_path: Path, files: dict[str, bytes]) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    for name, body in files.items():
        (site / name).write_bytes(body)
    return site


def _fetched(ex, name: str) -> int:
    return sum(1 for r in ex.fetches if r.url.endswith("/" + name))


def test_an_index_that_lists_itself_50_times_is_read_once(tmp_path: Path) -> None:
    self_ref = ["{{base_url}}/index.xml"] * 50 + ["{{base_url}}/news.xml"] * 3
    site = _site(
        tmp_path,
        {
            "index.xml": sitemap_index(self_ref),
            "news.xml": urlset(["{{base_url}}/a.html", "{{base_url}}/b.html"]),
        },
    )
    with SiteServer(site) as server:
        ex = expand_sources([f"{server.base_url}/index.xml"], POLICY)
    assert _fetched(ex, "index.xml") == 1 and _fetched(ex, "news.xml") == 1
    assert len(ex.fetches) == 2
    assert [i.location.rsplit("/", 1)[1] for i in ex.items] == ["a.html", "b.html"]
    assert any("52 repeated or already read sitemaps skipped" in p.reason for p in ex.problems)


def test_two_sources_sharing_a_sitemap_fetch_it_once(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "one.xml": sitemap_index(["{{base_url}}/shared.xml"]),
            "two.xml": sitemap_index(["{{base_url}}/shared.xml"]),
            "shared.xml": urlset(["{{base_url}}/a.html"]),
        },
    )
    with SiteServer(site) as server:
        ex = expand_sources([f"{server.base_url}/one.xml", f"{server.base_url}/two.xml"], POLICY)
    assert _fetched(ex, "shared.xml") == 1 and len(ex.items) == 1


def test_nested_indexes_cannot_multiply_fetches_past_the_per_source_cap(tmp_path: Path) -> None:
    """Three indexes of 30 sitemaps each: 91 documents without a per-source cap."""
    files = {"root.xml": sitemap_index([f"{{{{base_url}}}}/idx{i}.xml" for i in range(3)])}
    for i in range(3):
        files[f"idx{i}.xml"] = sitemap_index([f"{{{{base_url}}}}/s{i}_{j}.xml" for j in range(30)])
        for j in range(30):
            files[f"s{i}_{j}.xml"] = urlset([f"{{{{base_url}}}}/p{i}_{j}.html"])
    with SiteServer(_site(tmp_path, files)) as server:
        ex = expand_sources([f"{server.base_url}/root.xml"], POLICY)
    assert len(ex.fetches) == MAX_SITEMAPS_PER_SOURCE
    assert len(ex.items) == MAX_SITEMAPS_PER_SOURCE - 4  # the root and three indexes hold no pages
    assert any(
        f"at most {MAX_SITEMAPS_PER_SOURCE} sitemaps are read per source" in p.reason for p in ex.problems
    )


def test_the_exemption_covers_the_named_port_only() -> None:
    named = {url_endpoint("http://127.0.0.1:8000/feed.xml")}
    assert named == {"127.0.0.1:8000"}
    assert decide("127.0.0.1", ["127.0.0.1"], explicit_hosts=named, port=8000).allowed
    other = decide("127.0.0.1", ["127.0.0.1"], explicit_hosts=named, port=6379)
    assert not other.allowed and "loopback" in (other.reason or "")
    assert url_endpoint("https://[::1]/x") == "::1:443" and is_explicit("[::1]", 443, {"::1:443"})
    assert not is_explicit("::1", 80, {"::1:443"})


@pytest.mark.integration
def test_a_feed_on_a_named_port_cannot_reach_another_port_of_the_same_host() -> None:
    with MisbehavingServer() as named, MisbehavingServer() as other:
        named.feed_links = [named.url("/page.html"), other.url("/page.html")]
        ex = expand_sources([named.url("/feed.xml")], POLICY)
        results = fetch_many_sync([i.location for i in ex.items], POLICY, explicit_hosts=ex.explicit_hosts)
        other_hits = [h.path for h in other.hits]
    by_url = {r.url: r for r in results}
    assert by_url[named.url("/page.html")].status == "ok"
    refused = by_url[other.url("/page.html")]
    assert refused.status != "ok" and "loopback" in (refused.error or "")
    assert other_hits == []  # not even robots.txt


@pytest.mark.usefixtures("prefect_harness")
def test_a_broken_sitemap_and_non_http_feed_links_get_articles_rows(tmp_path: Path) -> None:
    from flows.ingest import ingest

    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>js</title><link>javascript:alert(1)</link></item>"
        b"<item><title>ftp</title><link>ftp://files.example.test/deal.txt</link></item>"
        b"</channel></rss>"
    )
    broken = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x'
    site = _site(tmp_path, {"feed.xml": feed, "sitemap.xml": broken})
    db = tmp_path / "dw.duckdb"
    with SiteServer(site) as server:
        ingest(
            [f"{server.base_url}/feed.xml", f"{server.base_url}/sitemap.xml"],
            db_path=str(db),
            quiet=True,
            policy_overrides={"per_host_delay": 0.0, "retries": 0},
        )
        sitemap_url = f"{server.base_url}/sitemap.xml"
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = {
            u: (s, note)
            for u, s, note in con.execute("SELECT url, status, status_note FROM articles").fetchall()
        }
    finally:
        con.close()
    assert rows[sitemap_url][0] == "failed" and "not well-formed XML" in rows[sitemap_url][1]
    assert rows["javascript:alert(1)"][0] == "failed"
    assert "scheme 'javascript' is not http or https" in rows["javascript:alert(1)"][1]
    assert "scheme 'ftp'" in rows["ftp://files.example.test/deal.txt"][1]
