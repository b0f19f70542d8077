"""The loopback site server speaks HTTP/1.1 with keep-alive, as news sites do, and the fetcher
reuses one connection per host for many pages (robots.txt included) instead of one per page."""

from __future__ import annotations

import json
from pathlib import Path

from flows.fetch import fetch_many_sync
from flows.http_policy import FetchPolicy
from flows.site_server import SiteServer

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
GOLD = json.loads((SITE / "gold.json").read_text(encoding="utf-8"))
ONE_AT_A_TIME = FetchPolicy(per_host_delay=0.0, per_host_concurrency=1, global_concurrency=1, retries=0)


def test_the_fetcher_reads_robots_and_every_page_over_one_connection():
    paths = [a["path"] for a in GOLD["articles"]]
    with SiteServer(SITE) as server:
        results = fetch_many_sync(
            [f"{server.base_url}/{p}" for p in paths], ONE_AT_A_TIME, explicit_hosts={"127.0.0.1"}
        )
        connections = server.connections
    assert [r.status for r in results] == ["ok"] * len(paths)
    assert all(r.body and len(r.body) == int(r.headers["content-length"]) for r in results)
    assert len(paths) >= 7 and connections == 1  # robots.txt and every page: one TCP connection


def test_concurrent_fetches_open_no_more_connections_than_the_host_limit():
    paths = [a["path"] for a in GOLD["articles"]] * 3  # each page three times: 3 URLs, fetched once
    urls = [f"{p}?copy={i}" for i, p in enumerate(paths)]
    policy = FetchPolicy(per_host_delay=0.0, per_host_concurrency=2, global_concurrency=4, retries=0)
    with SiteServer(SITE) as server:
        results = fetch_many_sync(
            [f"{server.base_url}/{u}" for u in urls], policy, explicit_hosts={"127.0.0.1"}
        )
        connections = server.connections
    assert all(r.ok for r in results)
    assert connections <= 2 < len(urls)
