"""The guarded transport's streams look their socket up once, yet a kept-alive connection that the
server closed is still seen as closed (readable), so the pool never reuses a dead connection; its
pool (flows.net_stream.LinearConnectionPool) reuses kept-alive connections and drops closed ones."""

from __future__ import annotations

import asyncio
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flows.fetch import FetchResult, fetch_many_sync
from flows.http_policy import FetchPolicy
from flows.ssrf import GuardedBackend


async def _idle_then_closed_by_server() -> tuple[bool, bool, bool]:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        stream = await GuardedBackend(allow_private=True, explicit_hosts=()).connect_tcp("127.0.0.1", port)
        conn, _ = listener.accept()
        try:
            open_idle = stream.get_extra_info("is_readable")
            conn.close()
            for _ in range(100):  # the FIN arrives within milliseconds on loopback
                if stream.get_extra_info("is_readable"):
                    break
                await asyncio.sleep(0.01)
            closed = stream.get_extra_info("is_readable")
            same = stream.get_extra_info("socket") is stream.get_extra_info("socket") is not None
        finally:
            await stream.aclose()
    return open_idle, closed, same


def test_an_idle_connection_is_not_readable_until_the_server_closes_it() -> None:
    open_idle, closed, same_socket = asyncio.run(_idle_then_closed_by_server())
    assert open_idle is False and closed is True and same_socket


class _CountingHandler(BaseHTTPRequestHandler):
    """Pages over HTTP/1.1 keep-alive; records the client port of every request (one per connection)."""

    protocol_version = "HTTP/1.1"
    ports: list[int]
    close_after: bool

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.ports.append(self.client_address[1])
        body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else f"<p>{self.path}</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        if self.close_after:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _fetch_pages(n: int, *, close_after: bool) -> tuple[list[FetchResult], list[int]]:
    ports: list[int] = []
    handler = type("Handler", (_CountingHandler,), {"ports": ports, "close_after": close_after})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    policy = FetchPolicy(per_host_delay=0.0, per_host_concurrency=4, global_concurrency=8)
    try:
        results = fetch_many_sync(
            [f"{base}/p{i}.html" for i in range(n)], policy, explicit_hosts=["127.0.0.1"]
        )
    finally:
        server.shutdown()
        server.server_close()
    return results, ports


def test_pages_reuse_a_few_kept_alive_connections_and_each_gets_its_own_body() -> None:
    results, ports = _fetch_pages(60, close_after=False)
    assert [r.body for r in results] == [f"<p>/p{i}.html</p>".encode() for i in range(60)]
    assert len(ports) == 61  # robots.txt once, then every page
    assert len(set(ports)) <= 4  # never more connections than requests at once to the host


def test_connections_the_server_closes_are_not_reused() -> None:
    results, ports = _fetch_pages(30, close_after=True)
    assert all(r.ok for r in results) and len(ports) == 31
    assert len(set(ports)) == 31  # a new connection for every request, and no request lost on a dead one
