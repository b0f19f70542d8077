"""What a server sees from the fetcher's requests now that they skip httpx's client layer
(flows.http_send): the headers the client used to send, its timeouts, and the cookies it kept."""

from __future__ import annotations

import httpx

from flows.fetch import fetch_many_sync
from flows.http_policy import FetchPolicy

POLICY = FetchPolicy(per_host_delay=0.0, respect_robots=False, allow_private=True, retries=0)


def _serve(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/login":
            return httpx.Response(
                200, headers={"content-type": "text/html", "set-cookie": "session=abc; Path=/"}, text="hi"
            )
        return httpx.Response(200, headers={"content-type": "text/html"}, text=f"page {request.url.path}")

    return httpx.MockTransport(handler)


def test_requests_carry_the_clients_headers_the_policys_agent_and_validators():
    seen: list[httpx.Request] = []
    results = fetch_many_sync(
        ["http://news.example/a"],
        POLICY,
        validators={"http://news.example/a": ('"v1"', "Tue, 01 Sep 2026 10:00:00 GMT")},
        transport=_serve(seen),
    )
    assert results[0].ok and results[0].body == b"page /a"
    sent = seen[0].headers
    assert sent["user-agent"] == POLICY.effective_user_agent()
    assert sent["accept-encoding"] == "gzip, deflate"
    assert sent["accept"].startswith("text/html") and sent["connection"] == "keep-alive"
    assert sent["host"] == "news.example"
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"].startswith("Tue, 01 Sep")
    assert seen[0].extensions["timeout"] == {"connect": 5.0, "read": 15.0, "write": 15.0, "pool": None}


def test_a_cookie_the_server_set_goes_back_to_it_and_no_cookie_before():
    seen: list[httpx.Request] = []
    policy = FetchPolicy(**{**POLICY.__dict__, "global_concurrency": 1, "per_host_concurrency": 1})
    fetch_many_sync(
        ["http://news.example/first", "http://news.example/login", "http://news.example/after"],
        policy,
        transport=_serve(seen),
    )
    by_path = {r.url.path: r.headers.get("cookie") for r in seen}
    assert by_path == {"/first": None, "/login": None, "/after": "session=abc"}
