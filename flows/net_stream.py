"""A network stream that looks up its socket once, for httpcore's connection pool.

On every request it assigns and every response it closes, httpcore's pool asks each idle
connection whether the server closed it (``get_extra_info("is_readable")``); anyio answers by
building its whole table of socket attributes each time. With kept-alive connections that was
~15 % of the flow process's fetch CPU (py-spy, 1,000 pages on 8 connections). The socket of a
stream does not change, so it is looked up once; the readability test itself (a zero-timeout
poll, as httpcore does it) still runs every time.
"""

from __future__ import annotations

import select
import socket
import ssl
import typing

import httpcore

_UNSET = object()


def socket_readable(sock: socket.socket | None) -> bool:
    """True when a read would return at once (data, or the b"" of a closed connection); a
    socket that is gone counts as readable, as in httpcore."""
    fd = None if sock is None else sock.fileno()
    if fd is None or fd < 0:
        return True
    if getattr(select, "poll", None) is None:
        ready, _, _ = select.select([fd], [], [], 0)
        return bool(ready)
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


class SocketCachingStream(httpcore.AsyncNetworkStream):
    """Delegates to ``inner``; answers "socket" and "is_readable" from the socket found once."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: typing.Any = _UNSET

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return SocketCachingStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "socket":
            return self._raw_socket()
        if info == "is_readable":
            return socket_readable(self._raw_socket())
        return self._inner.get_extra_info(info)

    def _raw_socket(self) -> typing.Any:
        if self._socket is _UNSET:
            self._socket = self._inner.get_extra_info("socket")
        return self._socket
