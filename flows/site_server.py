"""A static HTTP server on 127.0.0.1 for the demo, the tests and the benchmark.

Feeds and sitemaps need absolute links, but the port is chosen at run time, so text files may
say ``{{base_url}}`` and the server fills in ``http://127.0.0.1:PORT`` as it serves them.
"""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType

PLACEHOLDER = b"{{base_url}}"
TEMPLATED = frozenset({".xml", ".html", ".htm", ".txt", ".rss", ".atom"})
CONTENT_TYPES = MappingProxyType(
    {
        ".xml": "application/xml",
        ".rss": "application/rss+xml",
        ".atom": "application/atom+xml",
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
    }
)


class _Handler(SimpleHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, as news sites speak: a fetcher reuses one connection for many
    pages instead of opening a TCP connection per page (http.server's default, HTTP/1.0).
    Every response carries Content-Length (do_GET here, send_error and send_head in http.server),
    which keep-alive needs."""

    protocol_version = "HTTP/1.1"
    #: TCP_NODELAY: on a kept-alive connection the body's write would otherwise wait for the
    #: client's delayed ACK of the headers' write (Nagle), ~40 ms per page.
    disable_nagle_algorithm = True
    base_url = ""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - silence per-request logs
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404, "Not Found")
            return
        body = path.read_bytes()
        if path.suffix in TEMPLATED:
            body = body.replace(PLACEHOLDER, self.base_url.encode())
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    """One thread per connection; counts the connections it accepted (keep-alive is visible)."""

    daemon_threads = True
    connections = 0
    #: The listen backlog. socketserver's default of 5 overflows when a fetcher opens its
    #: connections at once while this one thread is busy accepting: the kernel drops the SYNs and
    #: the client sends them again one second later (TCP's initial retransmission timeout), which
    #: stalled a batch's fetch by ~0.8 s (`nstat TcpExtListenOverflows`). Web servers queue more
    #: (nginx and the kernel's somaxconn: 511 and 4,096).
    request_queue_size = 128

    def process_request(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's
        self.connections += 1  # only the serving thread calls this
        super().process_request(request, client_address)


class SiteServer:
    """Serve ``root`` on 127.0.0.1 and a free port until stopped (a context manager)."""

    def __init__(self, root: str | Path, port: int = 0) -> None:
        self.root = Path(root)
        handler = type("SiteHandler", (_Handler,), {})
        self.httpd = _Server(("127.0.0.1", port), partial(handler, directory=str(self.root)))
        self.port = self.httpd.server_address[1]
        handler.base_url = self.base_url
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="site-server", daemon=True)

    @property
    def connections(self) -> int:
        """TCP connections accepted so far."""
        return self.httpd.connections

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """`python -m flows.site_server [--port N] [ROOT]`: serve the fixture site (placeholders filled)
    until Ctrl-C, for pointing `dealwatch ingest` or `serve` at it by hand."""
    import argparse
    import time

    parser = argparse.ArgumentParser(prog="python -m flows.site_server", description=main.__doc__)
    parser.add_argument(
        "root", nargs="?", default=str(Path(__file__).resolve().parent.parent / "fixtures" / "site")
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)"
    )
    args = parser.parse_args(argv)
    with SiteServer(args.root, port=args.port) as server:
        print(
            f"Serving {args.root} at {server.base_url}/ (feed: {server.base_url}/feed.xml); Ctrl-C stops",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
