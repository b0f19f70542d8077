"""A real threaded HTTP server on loopback whose endpoints misbehave the way real sites do.

Used by the fetch and sources tests (and the network-namespace SSRF test, which runs it in a
subprocess). Every request is logged in ``server.hits`` so tests can assert what was sent,
when, and with which headers.

Endpoints (all content written for these tests):
  /page.html, /page2.html     ordinary articles
  /slow                       headers at once, then one byte every 0.2 s (never finishes in time)
  /flaky?key=K                HTTP 500 on the first request for K, then 200
  /ratelimited?key=K          429 with Retry-After: 1 first, then 200
  /ratelimited-long           429 with Retry-After: 3600 (longer than any cap)
  /ratelimited-date?key=K     429 with an HTTP-date Retry-After ~1 s ahead, then 200
  /loop-a, /loop-b            redirect to each other
  /chain/N                    redirects to /chain/N-1 ... /chain/0 serves a page
  /big                        10 MB body, no Content-Length (so only the streaming cap can stop it)
  /bomb                       ~50 KB gzip that inflates to 100 MB
  /gzip-page                  a small gzip-encoded article
  /doc.pdf                    application/pdf
  /latin1                     text/html, no charset anywhere, latin-1 bytes
  /private/...                disallowed by /robots.txt
  /robots.txt                 Disallow: /private/ (and Crawl-delay when ``crawl_delay`` is set)
  /feed.xml                   RSS 2.0 listing ``feed_links``
  /atom.xml                   Atom listing ``feed_links``
  /sitemap_index.xml          sitemap index -> /sitemap-1.xml, /sitemap-2.xml -> pages
  /sitemap.xml.gz             a gzip file (application/x-gzip) holding a sitemap
  /etag                       ETag "v1"; answers 304 to If-None-Match: "v1"
  /redirect?to=URL            302 to URL
  /urls.txt                   text/plain list of page URLs
"""

from __future__ import annotations

import functools
import gzip
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ARTICLE = (
    "<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>Northwind Cloud agreed to rent accelerator capacity to Example Labs for three years, "
    "the companies said on Tuesday.</p></article></body></html>"
)


def _make_bomb(inflated: int = 100_000_000) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * 1_000_000
    parts = [comp.compress(block) for _ in range(inflated // len(block))]
    parts.append(comp.flush())
    return b"".join(parts)


@dataclass
class Hit:
    path: str
    at: float
    headers: dict[str, str]


@dataclass
class ServerState:
    host: str
    port: int = 0
    hits: list[Hit] = field(default_factory=list)
    seen_keys: set[str] = field(default_factory=set)
    feed_links: list[str] = field(default_factory=list)
    crawl_delay: float | None = None
    robots_status: int = 200
    lock: threading.Lock = field(default_factory=threading.Lock)
    bomb: bytes = b""

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def first_time(self, key: str) -> bool:
        with self.lock:
            if key in self.seen_keys:
                return False
            self.seen_keys.add(key)
            return True

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]


class Handler(BaseHTTPRequestHandler):
    server_version = "misbehaving/1"
    protocol_version = "HTTP/1.1"
    state: ServerState  # set on the subclass made per server

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    # -- helpers --
    def send(
        self, code: int, body: bytes = b"", ctype: str | None = "text/html; charset=utf-8", **headers: str
    ):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def page(self, title: str = "A page") -> None:
        self.send(200, ARTICLE.format(title=title).encode())

    def do_GET(self) -> None:  # noqa: C901 - a routing table would hide the misbehaviour
        st = self.state
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        key = query.get("key", [path])[0]
        with st.lock:
            st.hits.append(Hit(self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()}))
        try:
            if path in ("/page.html", "/page2.html", "/a/1.html", "/a/2.html", "/a/3.html", "/b/1.html"):
                self.page(f"Article at {path}")
            elif path == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            elif path == "/flaky":
                if st.first_time("flaky:" + key):
                    self.send(500, b"oops")
                else:
                    self.page("Recovered")
            elif path == "/ratelimited":
                if st.first_time("rl:" + key):
                    self.send(429, b"slow down", Retry_After="1")
                else:
                    self.page("After waiting")
            elif path == "/ratelimited-date":
                if st.first_time("rld:" + key):
                    self.send(429, b"slow down", Retry_After=formatdate(time.time() + 2, usegmt=True))
                else:
                    self.page("After waiting for a date")
            elif path == "/ratelimited-long":
                self.send(429, b"go away", Retry_After="3600")
            elif path == "/loop-a":
                self.send(302, ctype=None, Location="/loop-b")
            elif path == "/loop-b":
                self.send(301, ctype=None, Location=st.url("/loop-a"))
            elif path.startswith("/chain/"):
                n = int(path.rsplit("/", 1)[1])
                if n == 0:
                    self.page("End of chain")
                else:
                    self.send(302, ctype=None, Location=f"/chain/{n - 1}")
            elif path == "/redirect":
                self.send(302, ctype=None, Location=query["to"][0])
            elif path == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"y" * 65_530 + b"</p>"
                for _ in range(10_000_000 // len(chunk) + 1):
                    self.wfile.write(chunk)
                self.close_connection = True
            elif path == "/bomb":
                self.send(200, st.bomb, Content_Encoding="gzip")
            elif path == "/gzip-page":
                self.send(
                    200, gzip.compress(ARTICLE.format(title="Compressed").encode()), Content_Encoding="gzip"
                )
            elif path == "/doc.pdf":
                self.send(200, b"%PDF-1.4\n%binary\x00\x01", ctype="application/pdf")
            elif path == "/latin1":
                body = ARTICLE.format(title="Caf\u00e9 cr\u00e8me d\u00e9j\u00e0 vu").encode("latin-1")
                self.send(200, body, ctype="text/html")
            elif path.startswith("/private/"):
                self.page("Should never be fetched")
            elif path == "/robots.txt":
                lines = ["User-agent: *", "Disallow: /private/"]
                if st.crawl_delay is not None:
                    lines.append(f"Crawl-delay: {st.crawl_delay:g}")
                self.send(st.robots_status, "\n".join(lines).encode(), ctype="text/plain")
            elif path == "/feed.xml":
                self.send(200, rss(st.feed_links), ctype="application/rss+xml")
            elif path == "/atom.xml":
                self.send(200, atom(st.feed_links), ctype="application/atom+xml")
            elif path == "/sitemap_index.xml":
                body = sitemap_index([st.url("/sitemap-1.xml"), st.url("/sitemap-2.xml")])
                self.send(200, body, ctype="application/xml")
            elif path == "/sitemap-1.xml":
                self.send(200, urlset([st.url("/a/1.html"), st.url("/a/2.html")]), ctype="application/xml")
            elif path == "/sitemap-2.xml":
                self.send(200, urlset([st.url("/a/3.html")]), ctype="text/xml")
            elif path == "/sitemap.xml.gz":
                body = gzip.compress(urlset([st.url("/b/1.html")]))
                self.send(200, body, ctype="application/x-gzip")
            elif path == "/etag":
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send(304, ctype=None, ETag='"v1"')
                else:
                    self.send(200, ARTICLE.format(title="Tagged").encode(), ETag='"v1"')
            elif path == "/urls.txt":
                body = "\n".join([st.url("/a/1.html"), st.url("/b/1.html")]).encode()
                self.send(200, body, ctype="text/plain")
            else:
                self.send(404, b"not here")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def rss(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link}</link>"
        f"<pubDate>Tue, 0{i % 9 + 1} Sep 2026 10:00:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test feed</title>'
        f"<link>http://example.invalid/</link><description>d</description>{items}</channel></rss>"
    ).encode()


def atom(links: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>Entry {i}</title><link href="{link}"/><id>urn:e:{i}</id>'
        f"<updated>2026-09-0{i % 9 + 1}T10:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Atom test</title><id>urn:feed</id><updated>2026-09-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def urlset(locs: list[str]) -> bytes:
    urls = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication_date>2026-08-1{i}T08:00:00+02:00"
        f"</news:publication_date><news:title>Sitemap title {i}</news:title></news:news></url>"
        for i, loc in enumerate(locs)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def sitemap_index(locs: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()


class MisbehavingServer:
    """Start with ``with MisbehavingServer() as st:``; ``st`` is the ServerState (urls, hits)."""

    def __init__(self, host: str = "127.0.0.1", bind: str | None = None) -> None:
        self.state = ServerState(host=host, bomb=_bomb())
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self._httpd = ThreadingHTTPServer((bind or host, 0), handler)
        self._httpd.daemon_threads = True
        self.state.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> ServerState:
        self._thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@functools.cache
def _bomb() -> bytes:
    """Made once per test process (compressing 100 MB takes a while), then reused."""
    return _make_bomb()
