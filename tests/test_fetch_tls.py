"""HTTPS through the SSRF-guarded transport: the socket goes to the checked IP, TLS still
verifies the certificate against the URL's host name (SNI), as it must on real news sites."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from dataclasses import replace
from http.server import ThreadingHTTPServer

import pytest

import flows.ssrf as ssrf
from flows.fetch import fetch_many_sync
from flows.http_policy import FetchPolicy
from tests.misbehaving_server import Handler, ServerState

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl CLI not installed"),
]

NAME = "news.example.test"


@pytest.fixture
def tls_server(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={NAME}",
         "-addext", f"subjectAltName=DNS:{NAME}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    state = ServerState(host=NAME)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("TLSHandler", (Handler,), {"state": state}))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state, str(cert)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def name_resolves_to_loopback(monkeypatch):
    """Pretend NAME is a public host that lives at 127.0.0.1 (no DNS, no packet off loopback)."""

    async def fake_resolve(host, port=None):
        return ["127.0.0.1"] if host == NAME else []

    monkeypatch.setattr(ssrf, "resolve", fake_resolve)
    monkeypatch.setattr(ssrf, "decide", lambda host, addresses, **kw: ssrf.Decision(True))


POLICY = FetchPolicy(retries=0, per_host_delay=0.0, connect_timeout=2, read_timeout=2, total_timeout=5)


def test_https_through_pinned_address_verifies_the_host_name(tls_server, name_resolves_to_loopback):
    state, cert = tls_server
    url = f"https://{NAME}:{state.port}/page.html"
    [r] = fetch_many_sync([url], replace(POLICY, ca_bundle=cert))
    assert r.status == "ok" and b"Northwind" in r.body
    assert [h.path for h in state.hits] == ["/robots.txt", "/page.html"]


def test_untrusted_certificate_is_an_error(tls_server, name_resolves_to_loopback):
    state, _ = tls_server
    [r] = fetch_many_sync(
        [f"https://{NAME}:{state.port}/page.html"], replace(POLICY, retries=2)
    )  # certifi only
    assert r.status == "error" and r.error.startswith("TLS certificate not trusted")
    assert r.attempts == 1  # not retried: a bad certificate stays bad
    assert state.hits == []


def test_missing_ca_bundle_is_reported_per_url_not_raised(tmp_path):
    policy = replace(POLICY, ca_bundle=str(tmp_path / "absent.pem"))
    results = fetch_many_sync(["https://a.example.test/", "https://b.example.test/"], policy)
    assert [r.status for r in results] == ["error", "error"]
    assert all(r.error.startswith("cannot load ca_bundle") for r in results)
