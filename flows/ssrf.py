"""SSRF guard: may this URL be fetched, given where its host resolves to?

A feed or sitemap is content from the network, so the URLs inside it (and every redirect) could
point at the machine we run on or its neighbours: cloud metadata (169.254.169.254), the LAN,
loopback services. Those are refused unless the user allowed private addresses or named that
host:port as a source themselves (which is how a loopback demo works): naming
``http://127.0.0.1:8000/feed.xml`` exempts port 8000 on that host, not its other services.

The decision is a pure function of (host, resolved addresses, settings) so it is unit-tested with
made-up addresses; the same decision runs twice in a fetch: before a request (for a clear reason,
before robots.txt or any waiting), and at connect time inside the HTTP transport, on the very
addresses the socket connects to, so a DNS answer that changes in between (rebinding) cannot
slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from urllib.parse import urlsplit

import certifi
import httpcore
import httpx

from flows.errors import RefusedError
from flows.net_stream import SocketCachingStream

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOWED_SCHEMES = ("http", "https")
RESOLVE_TIMEOUT = 10.0  # seconds; a hung resolver must not hang the page


def normalize_host(host: str) -> str:
    """Lower-case, no brackets, no trailing dot: the form explicit hosts are compared in."""
    return host.strip().strip("[]").rstrip(".").lower()


DEFAULT_PORTS = MappingProxyType({"http": 80, "https": 443})


def endpoint_key(host: str, port: int | None) -> str:
    """How an explicit endpoint is written: ``host:port``, the host normalized (an IPv6 host
    keeps its colons; the port is always the last part, so two keys never collide)."""
    return f"{normalize_host(host)}:{port}"


def url_endpoint(url: str) -> str:
    """The explicit-endpoint key of a URL (the scheme's default port when none is written)."""
    parts = urlsplit(url)
    return endpoint_key(parts.hostname or "", parts.port or DEFAULT_PORTS.get(parts.scheme.lower()))


def is_explicit(host: str, port: int | None, explicit: Iterable[str]) -> bool:
    """True when ``host:port`` was named by the user. A bare host in ``explicit`` (library
    callers) covers every port of it; the CLI and sources.toml always name host:port."""
    names = {normalize_host(h) for h in explicit}
    return normalize_host(host) in names or (port is not None and endpoint_key(host, port) in names)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped ::ffff:a.b.c.d, 6to4, NAT64, Teredo)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(address: str | IPAddress) -> str | None:
    """Why this address must not be fetched from (e.g. "loopback address ::1"), or None if public."""
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return f"unparseable address {address!r}"
    shown = str(address)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            problem = address_problem(inner)
            return f"{problem} (inside {shown})" if problem else None
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
        ("non-public", not ip.is_global),  # e.g. 100.64.0.0/10 shared address space
    )
    for name, hit in checks:
        if hit:
            return f"{name} address {shown}"
    return None


@dataclass(frozen=True)
class Decision:
    """Outcome of the guard for one host; ``reason`` is recorded as the FetchResult error."""

    allowed: bool
    reason: str | None = None


def decide(
    host: str,
    addresses: Iterable[str],
    *,
    allow_private: bool = False,
    explicit_hosts: Iterable[str] = (),
    port: int | None = None,
) -> Decision:
    """Allow a host only if every address it resolves to is public (or the guard is waived for
    everything, or for this host:port).

    Every address must pass, not just one: the connection may go to any of them.
    """
    addrs = list(addresses)
    if allow_private or is_explicit(host, port, explicit_hosts):
        return Decision(True)
    if not addrs:
        return Decision(False, f"refused: {host} resolves to no address")
    for addr in addrs:
        problem = address_problem(addr)
        if problem:
            return Decision(False, f"refused: {problem}" + ("" if addr == host else f" (host {host})"))
    return Decision(True)


def scheme_problem(url: str) -> str | None:
    """Why a URL is not fetchable by scheme/shape, or None."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port out of range
    except ValueError as exc:
        return f"refused: malformed URL ({exc})"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"refused: scheme {parts.scheme or '(none)'!r} is not http or https"
    if not parts.hostname:
        return "refused: URL has no host"
    return None


async def resolve(host: str, port: int | None = None) -> list[str]:
    """All addresses ``host`` resolves to (literal IPs come back as themselves, no DNS)."""
    host = normalize_host(host)
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def check_url(url: str, *, allow_private: bool, explicit_hosts: Iterable[str]) -> None:
    """Raise RefusedError if the URL may not be fetched; name-resolution failures are refusals too."""
    problem = scheme_problem(url)
    if problem:
        raise RefusedError(problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    if allow_private or is_explicit(host, port, explicit_hosts):
        return
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT):
            addresses = await resolve(host)
    except TimeoutError:
        raise RefusedError(f"cannot resolve host {host}: no answer within {RESOLVE_TIMEOUT:g} s") from None
    except OSError as exc:
        raise RefusedError(f"cannot resolve host {host}: {exc.strerror or exc}") from None
    decision = decide(host, addresses, allow_private=allow_private, explicit_hosts=explicit_hosts, port=port)
    if not decision.allowed:
        raise RefusedError(decision.reason or "refused")


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Network backend that resolves, checks, and connects to the checked address only."""

    def __init__(self, *, allow_private: bool, explicit_hosts: Iterable[str]) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private
        self._explicit = frozenset(normalize_host(h) for h in explicit_hosts)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if self._allow_private or is_explicit(host, port, self._explicit):
            targets = [host]
        else:
            try:
                targets = await resolve(host, port)
            except OSError as exc:
                raise httpcore.ConnectError(f"cannot resolve host {host}: {exc}") from exc
            decision = decide(host, targets)
            if not decision.allowed:
                raise RefusedError(decision.reason or "refused")
        last: Exception | None = None
        for target in targets:
            try:
                stream = await self._inner.connect_tcp(
                    target, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
                return SocketCachingStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, *args: typing.Any, **kwargs: typing.Any
    ) -> httpcore.AsyncNetworkStream:
        raise RefusedError("refused: unix sockets are never used for fetching")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@cache
def _certifi_context() -> ssl.SSLContext:
    """certifi's CAs, what httpx loads for ``verify=True``, loaded once per process: a run makes a
    transport per fetch batch, and each load cost ~70 ms of the flow's single process."""
    return ssl.create_default_context(cafile=certifi.where())


def guarded_transport(
    *, allow_private: bool, explicit_hosts: Iterable[str], verify: str | bool = True
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection passes the guard; proxies from env are ignored.

    httpx has no public hook for the network backend, so the pool is swapped after construction;
    if httpx changes that attribute, the pre-request check in ``check_url`` still runs alone.
    """
    if isinstance(verify, str):  # extra CAs on top of certifi's; httpx 0.28 wants a context, not a path
        context = ssl.create_default_context(cafile=certifi.where())
        context.load_verify_locations(cafile=verify)
        verify = context
    elif verify is True:
        verify = _certifi_context()
    transport = httpx.AsyncHTTPTransport(verify=verify, trust_env=False, retries=0)
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.AsyncConnectionPool):
        transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001 - see docstring
            ssl_context=pool._ssl_context,
            max_connections=pool._max_connections,
            max_keepalive_connections=pool._max_keepalive_connections,
            keepalive_expiry=pool._keepalive_expiry,
            network_backend=GuardedBackend(allow_private=allow_private, explicit_hosts=explicit_hosts),
        )
    return transport
