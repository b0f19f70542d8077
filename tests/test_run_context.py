"""The run owns its state: politeness holds across one run's fetches and starts fresh for the next
run; the HTTP transport and the clock come from the run context."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from flows.fetch import fetch_many_sync
from flows.host_state import HostRegistry
from flows.http_policy import FetchPolicy
from flows.run_context import RunContext, RunMetrics
from tests.misbehaving_server import MisbehavingServer

FAST = FetchPolicy(retries=0, per_host_delay=0.0, total_timeout=2.0, contact="tests@example.invalid")
LOCAL = {"127.0.0.1"}


def _page_times(server) -> list[float]:
    return [h.at for h in server.hits if h.path != "/robots.txt"]


@pytest.mark.integration
def test_crawl_delay_holds_across_two_fetch_calls_of_one_run():
    ctx = RunContext(policy=FAST)
    with MisbehavingServer() as st:
        st.crawl_delay = 0.4
        first = fetch_many_sync(
            [st.url("/page.html")], ctx.policy, explicit_hosts=LOCAL, **ctx.fetch_kwargs()
        )
        second = fetch_many_sync(
            [st.url("/page2.html")], ctx.policy, explicit_hosts=LOCAL, **ctx.fetch_kwargs()
        )
    assert [r.status for r in first + second] == ["ok", "ok"]
    a, b = _page_times(st)
    assert b - a >= 0.3  # 0.4 s asked by robots.txt, kept although the second call is a new fetcher
    assert st.paths().count("/robots.txt") == 1  # read once per run


@pytest.mark.integration
def test_a_new_run_does_not_inherit_the_last_runs_robots_rules():
    with MisbehavingServer() as st:
        for _ in range(2):
            ctx = RunContext(policy=FAST)
            fetch_many_sync([st.url("/page.html")], ctx.policy, explicit_hosts=LOCAL, **ctx.fetch_kwargs())
    assert st.paths().count("/robots.txt") == 2


def _streamed(body: bytes, ctype: str) -> httpx.Response:
    """A response whose body is read as a stream, as the fetcher reads a real one."""
    return httpx.Response(200, headers={"content-type": ctype}, stream=httpx.ByteStream(body))


def test_the_runs_transport_answers_every_request():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return _streamed(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        return _streamed(b"<html><title>t</title><p>hello</p></html>", "text/html")

    ctx = RunContext(
        policy=FetchPolicy(retries=0, per_host_delay=0.0), transport=httpx.MockTransport(handler)
    )
    urls = ["http://127.0.0.1:9/a.html", "http://127.0.0.1:9/private/b.html"]
    ok, refused = fetch_many_sync(urls, ctx.policy, explicit_hosts=LOCAL, **ctx.fetch_kwargs())
    assert ok.status == "ok" and b"hello" in ok.body
    assert refused.status == "robots"
    assert seen == ["/robots.txt", "/a.html"]
    assert isinstance(ctx.hosts, HostRegistry) and ctx.hosts.robots("http://127.0.0.1:9") is not None


def test_metrics_add_up_stage_time_and_counts_even_when_the_stage_fails():
    metrics = RunMetrics()
    with metrics.stage("parse"):
        pass
    with pytest.raises(ValueError), metrics.stage("parse"):
        raise ValueError("bad page")
    metrics.add_counts({"sentences": 3})
    metrics.add_counts({"sentences": 2})
    assert set(metrics.stage_seconds) == {"parse"} and metrics.stage_seconds["parse"] >= 0.0
    assert metrics.work_counts == {"sentences": 5}


def test_the_runs_clock_dates_the_summary():
    from flows.ingest import new_summary

    fixed = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    ctx = RunContext(clock=lambda: fixed)
    summary = new_summary(ctx, "r1", ["feed"], "x.duckdb")
    assert summary.started_at == fixed
    with ctx.metrics.stage("fetch"):
        pass
    assert "fetch" in summary.stage_seconds  # the summary reports the run's metrics
