"""The SSRF guard's decision on resolved addresses (stubbed resolver: no packet leaves loopback)."""

from __future__ import annotations

import pytest

import flows.ssrf as ssrf
from flows.fetch import fetch_many_sync
from flows.http_policy import FetchPolicy
from flows.ssrf import address_problem, decide, scheme_problem
from tests.misbehaving_server import MisbehavingServer


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("169.254.169.254", "link-local address 169.254.169.254"),
        ("10.0.0.1", "private address 10.0.0.1"),
        ("192.168.1.20", "private address 192.168.1.20"),
        ("172.16.5.4", "private address 172.16.5.4"),
        ("127.0.0.1", "loopback address 127.0.0.1"),
        ("127.9.9.9", "loopback address 127.9.9.9"),
        ("::1", "loopback address ::1"),
        ("::ffff:127.0.0.1", "loopback address 127.0.0.1 (inside ::ffff:127.0.0.1)"),
        ("::ffff:169.254.169.254", "link-local address 169.254.169.254 (inside ::ffff:169.254.169.254)"),
        ("0.0.0.0", "unspecified address 0.0.0.0"),
        ("::", "unspecified address ::"),
        ("224.0.0.1", "multicast address 224.0.0.1"),
        ("ff02::1", "multicast address ff02::1"),
        ("fe80::1", "link-local address fe80::1"),
        ("fc00::5", "private address fc00::5"),
        ("240.0.0.1", "reserved address 240.0.0.1"),
        ("100.64.0.1", "non-public address 100.64.0.1"),
        ("2002:a00:1::1", "private address 10.0.0.1 (inside 2002:a00:1::1)"),  # 6to4 wrapping 10.0.0.1
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_decisions(address, problem):
    assert address_problem(address) == problem


def test_decide_refuses_if_any_address_is_private():
    assert decide("news.example.test", ["93.184.216.34"]).allowed
    mixed = decide("news.example.test", ["93.184.216.34", "10.0.0.1"])
    assert not mixed.allowed and mixed.reason == "refused: private address 10.0.0.1 (host news.example.test)"
    literal = decide("169.254.169.254", ["169.254.169.254"])
    assert literal.reason == "refused: link-local address 169.254.169.254"
    assert not decide("ghost.example.test", []).allowed


def test_decide_exemptions():
    assert decide("intranet.example.test", ["10.0.0.1"], allow_private=True).allowed
    assert decide("Intranet.Example.Test.", ["10.0.0.1"], explicit_hosts={"intranet.example.test"}).allowed
    assert not decide("other.example.test", ["10.0.0.1"], explicit_hosts={"intranet.example.test"}).allowed


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("gopher://127.0.0.1:70/", "scheme 'gopher'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("http:///nohost", "no host"),
        ("http://example.test:99999/", "malformed URL"),
    ],
)
def test_only_http_and_https(url, fragment):
    assert fragment in scheme_problem(url)


def test_urls_refused_end_to_end_with_stub_resolver(monkeypatch):
    """Names resolving to metadata/private/loopback addresses are refused before any request."""
    table = {
        "metadata.example.test": ["169.254.169.254"],
        "lan.example.test": ["10.0.0.1"],
        "mapped.example.test": ["::ffff:127.0.0.1"],
    }

    async def fake_resolve(host, port=None):
        return table[host]

    monkeypatch.setattr(ssrf, "resolve", fake_resolve)
    urls = [f"http://{h}/x" for h in table]
    results = fetch_many_sync(urls, FetchPolicy(retries=0, per_host_delay=0))
    assert [r.status for r in results] == ["refused"] * 3
    assert [r.error for r in results] == [
        "refused: link-local address 169.254.169.254 (host metadata.example.test)",
        "refused: private address 10.0.0.1 (host lan.example.test)",
        "refused: loopback address 127.0.0.1 (inside ::ffff:127.0.0.1) (host mapped.example.test)",
    ]
    assert all(r.attempts == 0 for r in results)


@pytest.mark.integration
def test_connect_time_guard_stops_dns_rebinding(monkeypatch):
    """The pre-check sees a public address, the connection would go to loopback: refused at connect."""
    calls = []

    async def rebinding_resolve(host, port=None):
        calls.append(host)
        return ["93.184.216.34"] if len(calls) == 1 else ["127.0.0.1"]

    monkeypatch.setattr(ssrf, "resolve", rebinding_resolve)
    with MisbehavingServer() as st:
        url = f"http://rebind.example.test:{st.port}/page.html"
        [r] = fetch_many_sync([url], FetchPolicy(retries=0, per_host_delay=0, respect_robots=False))
        assert (
            r.status == "refused"
            and r.error == "refused: loopback address 127.0.0.1 (host rebind.example.test)"
        )
        assert st.hits == []
    assert calls == ["rebind.example.test", "rebind.example.test"]
