"""The demo site, served over loopback exactly as ``dealwatch demo`` serves it, offers what the demo
promises: feeds whose links resolve (but one 404), three page layouts, and gold that matches the pages.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import feedparser
import httpx
import pytest

from extractors.parse import parse_document
from flows.site_server import SiteServer

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
GOLD = json.loads((SITE / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def served():
    with SiteServer(SITE) as server, httpx.Client(base_url=server.base_url, timeout=5) as client:
        yield server.base_url, client


def test_feeds_list_the_articles_with_absolute_loopback_links(served):
    base, client = served
    rss = client.get("/feed.xml")
    assert rss.status_code == 200 and "{{base_url}}" not in rss.text
    feed = feedparser.parse(rss.content)
    links = [e.link for e in feed.entries]
    assert len(links) == GOLD["feeds"]["feed.xml"]["items"]
    assert all(link.startswith(base + "/") for link in links)
    expected = {f"{base}/{a['path']}" for a in GOLD["articles"]} | {
        f"{base}/{f['path']}" for f in GOLD["failed"]
    }
    assert set(links) == expected

    atom = feedparser.parse(client.get("/atom.xml").content)
    assert atom.version == "atom10" and len(atom.entries) == GOLD["feeds"]["atom.xml"]["items"]
    assert {e.link for e in atom.entries} <= set(links)

    sitemap = client.get("/sitemap.xml").text
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locs) == GOLD["feeds"]["sitemap.xml"]["urls"] and all(loc.startswith(base) for loc in locs)
    assert "news:publication_date" in sitemap

    robots = client.get("/robots.txt").text
    assert "Allow: /" in robots and f"Sitemap: {base}/sitemap.xml" in robots


def test_every_listed_article_resolves_and_the_broken_item_is_a_404(served):
    _, client = served
    for a in GOLD["articles"]:
        assert client.get("/" + a["path"]).status_code == 200, a["path"]
    for f in GOLD["failed"]:
        assert client.get("/" + f["path"]).status_code == 404


def test_pages_use_three_different_layouts():
    seen = {}
    for a in GOLD["articles"]:
        page = (SITE / a["path"]).read_text(encoding="utf-8")
        has_ld = '"@type": "NewsArticle"' in page
        has_og = 'property="article:published_time"' in page
        has_time = bool(re.search(r"<time datetime=", page))
        kind = {
            (True, False, False): "jsonld",
            (False, True, False): "opengraph",
            (False, False, True): "time",
        }
        seen[a["path"]] = kind.get((has_ld, has_og, has_time))
        assert seen[a["path"]] == a["layout"], a["path"]
        assert re.search(r"cookie", page, re.I), "every layout carries a cookie notice to strip"
    assert len(set(seen.values())) == 3 and len(seen) >= 7


@pytest.mark.parametrize("item", GOLD["articles"], ids=[a["path"] for a in GOLD["articles"]])
def test_pages_parse_to_clean_articles_with_the_gold_metadata(served, item):
    base, client = served
    url = f"{base}/{item['path']}"
    resp = client.get("/" + item["path"])
    article = parse_document(resp.content, url=url, content_type=resp.headers["content-type"])
    assert article.status == "ok"
    assert article.publisher == item["publisher"]
    assert article.published_at == datetime.fromisoformat(item["published_at"].replace("Z", "+00:00"))
    for boilerplate in (
        "cookies",
        "Related coverage",
        "Get the newsletter",
        "Reproduction without permission",
    ):
        assert boilerplate not in article.text
    for d in item["deals"]:
        assert d["provider"] in article.text or d["provider"].split()[0] in article.text
        assert d["customer"] in article.text
        for hw in d["facts"].get("hardware", []):
            assert hw.split()[-1] in article.text


def test_gold_describes_a_disputed_total_and_a_syndicated_copy():
    paths = {a["path"] for a in GOLD["articles"]}
    synd = [a for a in GOLD["articles"] if a["syndicated_of"]]
    assert synd and all(a["syndicated_of"] in paths for a in synd)
    original = (SITE / synd[0]["syndicated_of"]).read_text(encoding="utf-8")
    copy = (SITE / synd[0]["path"]).read_text(encoding="utf-8")
    first_para = re.search(r"<p>(.{80,}?)</p>", original).group(1)
    assert first_para in copy

    conflict = GOLD["conflicts"][0]
    fee_deal = next(a for a in GOLD["articles"] if a["deals"] and "monthly_fee" in a["deals"][0]["facts"])
    facts = fee_deal["deals"][0]["facts"]
    implied = facts["monthly_fee"] * facts["term_months"]
    values = [v["value"] for v in conflict["values"]]
    assert implied in values and any(abs(v - implied) / implied > 0.2 for v in values)
    assert sum(not a["is_deal"] for a in GOLD["articles"]) >= 1
    assert len({d["deal_key"] for d in GOLD["deals"]}) == 2
