"""Polite, bounded, SSRF-safe fetching of many URLs with httpx; every outcome is a FetchResult.

Nothing here raises for a bad URL or a misbehaving server: each page ends as one FetchResult whose
``status`` and plain-words ``error`` say what happened ('ok', 'not_modified', 'error', 'refused',
'robots', 'unsupported').

Per request (one hop of one attempt): scheme + SSRF check -> robots.txt -> wait for the host's
turn -> GET with conditional validators -> stream the body through a capped decompressor.
Redirects are followed here, not by httpx, so every hop passes the same checks.
Retries: connection errors, 429 and 5xx, with exponential backoff and jitter; Retry-After is
honoured up to ``retry_after_cap`` and a longer one ends the page instead of being shortened.
Read and total timeouts are not retried: a server that was too slow once will likely be again,
and retrying would multiply the time a run can hang on it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from extractors.models import FetchStatus
from flows.body_reading import CappedDecoder, content_encoding, human_bytes, media_type
from flows.errors import BodyTooLarge, FetchError, RobotsDisallowed, UnsupportedContent
from flows.host_state import HostRegistry, backoff_delay, parse_retry_after
from flows.http_policy import FetchPolicy
from flows.http_send import DirectSender
from flows.robots import origin_of, robots_url, rules_from_response
from flows.ssrf import check_url, guarded_transport, normalize_host

T = TypeVar("T")
__all__ = [
    "CappedDecoder",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "HostRegistry",
    "backoff_delay",
    "fetch_many",
    "fetch_many_sync",
    "human_bytes",
    "parse_retry_after",
    "run_sync",
]
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
ANY_TYPE = ("*",)


@dataclass
class FetchResult:
    """What happened when one URL was fetched. ``body`` is raw (decompressed, capped) bytes."""

    url: str
    final_url: str | None
    status: FetchStatus
    http_status: int | None
    content_type: str | None
    body: bytes | None
    headers: dict[str, str]
    error: str | None
    attempts: int
    elapsed_s: float
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    redirects: list[str] = field(default_factory=list)
    bytes_received: int = 0  # on the wire, before decompression, for the final response
    notes: list[str] = field(default_factory=list)  # e.g. retries and why, robots notes

    @property
    def ok(self) -> bool:
        return self.status == FetchStatus.OK


@dataclass
class _Response:
    status_code: int
    headers: httpx.Headers
    body: bytes | None
    media_type: str | None
    wire_bytes: int
    failure: FetchError | None = None  # the response arrived but its body is not kept (type, size)


class _Retryable(Exception):
    """One attempt failed in a way worth retrying (connection error, 429, 5xx)."""

    def __init__(self, reason: str, retry_after: float | None = None, status_code: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.status_code = status_code


# ----------------------------------------------------------------------------- the fetcher


class Fetcher:
    """One httpx client plus the concurrency limits for a batch of fetches (async context manager)."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        explicit_hosts: Iterable[str] = (),
        host_delays: Mapping[str, float] | None = None,
        hosts: HostRegistry | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """``hosts``: the run's per-origin politeness state (None: this fetcher's own, so delays hold
        only among its fetches). ``transport``: None for the SSRF-guarded transport."""
        self.policy = policy
        self.explicit_hosts = frozenset(normalize_host(h) for h in explicit_hosts)
        self.host_delays = {normalize_host(h): float(d) for h, d in (host_delays or {}).items()}
        self.registry = hosts if hosts is not None else HostRegistry()
        self._transport = transport
        self._global = asyncio.Semaphore(max(1, policy.global_concurrency))
        self._per_host: dict[str, asyncio.Semaphore] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._client: DirectSender | None = None
        self._setup_error: str | None = None

    async def __aenter__(self) -> Fetcher:
        p = self.policy
        try:
            transport = self._transport or guarded_transport(
                allow_private=p.allow_private, explicit_hosts=self.explicit_hosts, verify=p.ca_bundle or True
            )
        except (OSError, ssl.SSLError) as exc:  # a bad ca_bundle: every fetch reports it, nothing raises
            self._setup_error = f"cannot load ca_bundle {p.ca_bundle}: {exc}"
            return self
        self._client = DirectSender(  # the transport alone: redirects are followed here (see module doc)
            transport,
            timeout=httpx.Timeout(
                connect=p.connect_timeout, read=p.read_timeout, write=p.read_timeout, pool=None
            ),
            headers={
                "User-Agent": p.effective_user_agent(),
                "Accept-Encoding": "gzip, deflate",
                "Accept": "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
                "application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5",
            },
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    # -- public -----------------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        validator: tuple[str | None, str | None] | None = None,
        *,
        kept_types: tuple[str, ...] | None = None,
        max_bytes: int | None = None,
        check_robots: bool = True,
    ) -> FetchResult:
        """Fetch one URL; never raises. ``kept_types=ANY_TYPE`` keeps any media type."""
        started = time.monotonic()
        result = FetchResult(
            url=str(url),
            final_url=None,
            status=FetchStatus.ERROR,
            http_status=None,
            content_type=None,
            body=None,
            headers={},
            error=None,
            attempts=0,
            elapsed_s=0.0,
            fetched_at=datetime.now(UTC),
            etag=None,
            last_modified=None,
        )
        try:
            if self._setup_error:
                raise FetchError(self._setup_error)
            await self._fetch_chain(
                result,
                validator,
                kept_types or self.policy.kept_content_types,
                max_bytes or self.policy.max_bytes,
                check_robots and self.policy.respect_robots,
            )
        except FetchError as exc:
            result.status, result.error, result.body = exc.status, exc.reason, None
        except Exception as exc:  # a bug or an exotic failure must cost one page, not the run
            result.status, result.error, result.body = FetchStatus.ERROR, f"{type(exc).__name__}: {exc}", None
        result.elapsed_s = round(time.monotonic() - started, 4)
        return result

    # -- internals --------------------------------------------------------------------------

    async def _fetch_chain(
        self,
        result: FetchResult,
        validator: tuple[str | None, str | None] | None,
        kept_types: tuple[str, ...],
        max_bytes: int,
        check_robots: bool,
    ) -> None:
        current = urldefrag(result.url.strip())[0]
        seen = {current}
        for hop in range(self.policy.max_redirects + 1):
            result.final_url = current
            await check_url(
                current, allow_private=self.policy.allow_private, explicit_hosts=self.explicit_hosts
            )
            if check_robots:
                await self._check_robots(current, result)
            resp = await self._request_with_retries(current, validator, kept_types, max_bytes, result)
            result.http_status = resp.status_code
            result.headers = {k.lower(): v for k, v in resp.headers.items()}
            result.content_type = resp.media_type
            result.bytes_received = resp.wire_bytes
            if resp.status_code in REDIRECT_CODES and resp.headers.get("location"):
                target = urldefrag(urljoin(current, resp.headers["location"].strip()))[0]
                if target in seen:
                    chain = " -> ".join([result.url, *result.redirects, target])
                    raise FetchError(f"redirect loop: {chain}")
                if hop == self.policy.max_redirects:
                    raise FetchError(f"too many redirects (more than {self.policy.max_redirects})")
                seen.add(target)
                result.redirects.append(target)
                current = target
                continue
            if resp.failure is not None:
                raise resp.failure
            self._finish(result, resp, validator)
            return

    def _finish(
        self, result: FetchResult, resp: _Response, validator: tuple[str | None, str | None] | None
    ) -> None:
        code = resp.status_code
        result.etag = resp.headers.get("etag") or (validator[0] if validator and code == 304 else None)
        result.last_modified = resp.headers.get("last-modified") or (
            validator[1] if validator and code == 304 else None
        )
        if code == 304:
            result.status, result.body = FetchStatus.NOT_MODIFIED, None
        elif 200 <= code < 300:
            result.status, result.body = FetchStatus.OK, resp.body or b""
        elif code in REDIRECT_CODES:
            raise FetchError(f"HTTP {code} redirect without a Location header")
        else:
            result.status, result.error, result.body = FetchStatus.ERROR, f"HTTP {code}", None

    async def _check_robots(self, url: str, result: FetchResult) -> None:
        origin = origin_of(url)
        rules = self.registry.robots(origin)
        if rules is None:
            lock = self._robots_locks.setdefault(origin, asyncio.Lock())
            async with lock:
                rules = self.registry.robots(origin)
                if rules is None:
                    r = await self.fetch(
                        robots_url(url),
                        kept_types=ANY_TYPE,
                        max_bytes=self.policy.robots_max_bytes,
                        check_robots=False,
                    )
                    status = (
                        r.http_status
                        if r.status in (FetchStatus.OK, FetchStatus.ERROR) and r.http_status
                        else None
                    )
                    rules = rules_from_response(status, r.body, r.error)
                    self.registry.set_robots(origin, rules)
        token = self.policy.robots_token
        if not rules.allowed(url, token):
            raise RobotsDisallowed(f"disallowed by robots.txt{': ' + rules.note if rules.note else ''}")
        if rules.note and rules.note not in result.notes:
            result.notes.append(rules.note)
        asked = rules.crawl_delay(token)
        if asked and asked > self.policy.max_crawl_delay:
            note = f"robots.txt Crawl-delay {asked:g} s capped at {self.policy.max_crawl_delay:g} s"
            if note not in result.notes:
                result.notes.append(note)

    def _host_delay(self, url: str) -> float:
        host = normalize_host(urlsplit(url).hostname or "")
        delay = max(self.policy.per_host_delay, self.host_delays.get(host, 0.0))
        rules = self.registry.robots(origin_of(url))
        crawl_delay = rules.crawl_delay(self.policy.robots_token) if rules else None
        if crawl_delay:
            delay = max(delay, min(crawl_delay, self.policy.max_crawl_delay))
        return delay

    async def _request_with_retries(
        self,
        url: str,
        validator: tuple[str | None, str | None] | None,
        kept_types: tuple[str, ...],
        max_bytes: int,
        result: FetchResult,
    ) -> _Response:
        p = self.policy
        origin = origin_of(url)
        host_sem = self._per_host.setdefault(origin, asyncio.Semaphore(max(1, p.per_host_concurrency)))
        tries = 1 + max(0, p.retries)
        for attempt in range(1, tries + 1):
            wait = self.registry.reserve(origin, self._host_delay(url))
            if wait > 0:
                await asyncio.sleep(wait)
            result.attempts += 1
            try:
                async with host_sem, self._global:
                    return await self._one_request(url, validator, kept_types, max_bytes)
            except _Retryable as exc:
                result.http_status = exc.status_code
                if exc.retry_after is not None and exc.retry_after > p.retry_after_cap:
                    raise FetchError(
                        f"{exc.reason}; Retry-After {exc.retry_after:g} s exceeds the "
                        f"{p.retry_after_cap:g} s cap, not retried"
                    ) from None
                if attempt == tries:
                    raise FetchError(f"{exc.reason} (after {attempt} attempts)") from None
                pause = backoff_delay(p, attempt)
                if exc.retry_after is not None:
                    pause = max(pause, exc.retry_after)
                    self.registry.hold_off(origin, exc.retry_after)
                result.notes.append(f"attempt {attempt}: {exc.reason}; retrying in {pause:.2f} s")
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    async def _one_request(
        self,
        url: str,
        validator: tuple[str | None, str | None] | None,
        kept_types: tuple[str, ...],
        max_bytes: int,
    ) -> _Response:
        assert self._client is not None, "use Fetcher as 'async with'"
        p = self.policy
        headers = {}
        if validator:
            etag, last_modified = validator
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(p.total_timeout):
                r = await self._client.open(url, headers)
                try:
                    return await self._read(r, kept_types, max_bytes)
                finally:
                    await r.stream.aclose()
        except TimeoutError:
            raise FetchError(f"no complete response within {p.total_timeout:g} s (total timeout)") from None
        except httpx.ConnectTimeout:
            raise _Retryable(f"connect timeout after {p.connect_timeout:g} s") from None
        except httpx.ReadTimeout:
            raise FetchError(f"read timeout: server silent for {p.read_timeout:g} s") from None
        except httpx.ConnectError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):  # retrying will not make the certificate valid
                raise FetchError(f"TLS certificate not trusted: {exc}") from None
            raise _Retryable(f"connection error: {exc or type(exc).__name__}") from None
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
            raise _Retryable(f"connection error: {exc or type(exc).__name__}") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from None

    async def _read(self, r: httpx.Response, kept_types: tuple[str, ...], max_bytes: int) -> _Response:
        code = r.status_code
        media = media_type(r.headers)
        if code == 429 or code >= 500:
            raise _Retryable(f"HTTP {code}", parse_retry_after(r.headers.get("retry-after")), code)
        if not 200 <= code < 300:
            return _Response(code, r.headers, None, media, 0)
        try:
            body, wire = await self._read_body(r, media, kept_types, max_bytes)
        except (UnsupportedContent, BodyTooLarge, FetchError) as exc:
            return _Response(code, r.headers, None, media, 0, failure=exc)
        return _Response(code, r.headers, body, media, wire)

    async def _read_body(
        self, r: httpx.Response, media: str | None, kept_types: tuple[str, ...], max_bytes: int
    ) -> tuple[bytes, int]:
        if media is not None and kept_types != ANY_TYPE and media not in kept_types:
            raise UnsupportedContent(f"unsupported content type {media}")
        encoding = content_encoding(r.headers)
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise BodyTooLarge(f"body larger than {human_bytes(max_bytes)} (Content-Length {declared})")
        decoder = CappedDecoder(encoding, max_bytes)
        body = bytearray()
        wire = 0
        async for chunk in r.stream:
            wire += len(chunk)
            if wire > max_bytes:
                raise BodyTooLarge(f"body larger than {human_bytes(max_bytes)}")
            body += decoder.feed(chunk)
        decoder.finish()
        if media is None and kept_types != ANY_TYPE and b"\x00" in body[:1024]:
            raise UnsupportedContent("no content type and the body looks binary")
        return bytes(body), wire


# ----------------------------------------------------------------------------- entry points


async def fetch_many(
    urls: Iterable[str],
    policy: FetchPolicy,
    *,
    validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    explicit_hosts: Iterable[str] = frozenset(),
    host_delays: Mapping[str, float] | None = None,
    on_done: Callable[[FetchResult], None] | None = None,
    hosts: HostRegistry | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[FetchResult]:
    """Fetch every URL concurrently within the policy's limits; one result per input, same order.

    ``validators`` maps a URL to its stored (ETag, Last-Modified) for a conditional GET.
    ``explicit_hosts`` are hosts the user named as sources: exempt from the private-address guard.
    ``host_delays`` raises the minimum delay for particular hosts (sources.toml ``delay``).
    A URL listed twice is fetched once. ``on_done`` is told of each result as it comes (progress).
    ``hosts`` / ``transport``: the run's (flows.run_context.RunContext.fetch_kwargs); pass the
    run's ``hosts`` so that delays and robots.txt rules hold across calls.
    """
    url_list = [str(u) for u in urls]
    unique = list(dict.fromkeys(url_list))
    validators = validators or {}

    async def one(fetcher: Fetcher, url: str) -> FetchResult:
        result = await fetcher.fetch(url, validators.get(url))
        if on_done is not None:
            on_done(result)
        return result

    async with Fetcher(
        policy, explicit_hosts=explicit_hosts, host_delays=host_delays, hosts=hosts, transport=transport
    ) as fetcher:
        results = await asyncio.gather(*(one(fetcher, u) for u in unique))
    by_url = dict(zip(unique, results, strict=True))
    return [by_url[u] for u in url_list]


def run_sync(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion from sync code, whether or not this thread has a loop.

    Prefect may call a sync task from a worker thread (no loop: plain asyncio.run) or from a
    thread whose loop is running (asyncio.run would refuse): then a private thread runs it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())  # type: ignore[arg-type]
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()  # type: ignore[arg-type]


def fetch_many_sync(
    urls: Iterable[str],
    policy: FetchPolicy,
    *,
    validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    explicit_hosts: Iterable[str] = frozenset(),
    host_delays: Mapping[str, float] | None = None,
    on_done: Callable[[FetchResult], None] | None = None,
    hosts: HostRegistry | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[FetchResult]:
    """Blocking ``fetch_many`` for Prefect tasks and scripts."""
    url_list = list(urls)
    return run_sync(
        lambda: fetch_many(
            url_list,
            policy,
            validators=validators,
            explicit_hosts=explicit_hosts,
            host_delays=host_delays,
            on_done=on_done,
            hosts=hosts,
            transport=transport,
        )
    )
