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


def test_a_burst_of_connections_is_queued_not_dropped():
    """A fetcher opening its connections at once while the server's one accepting thread is busy:
    every handshake completes from the listen queue. With socketserver's backlog of 5 the kernel
    dropped the SYNs beyond it and the client sent them again a second later (TCP's retransmission
    timeout), which stalled the bench's fetch by ~0.8 s per batch."""
    import socket

    server = SiteServer(SITE)  # listening, but not accepting yet: the queue alone holds the burst
    try:
        done = 0
        socks = []
        for _ in range(32):
            s = socket.socket()
            s.settimeout(0.5)  # a handshake on loopback takes microseconds; a dropped SYN waits 1 s
            socks.append(s)
            try:
                s.connect(("127.0.0.1", server.port))
                done += 1
            except OSError:
                pass
        for s in socks:
            s.close()
    finally:
        server.httpd.server_close()
    assert done == 32
