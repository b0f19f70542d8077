"""Reading a response body safely: media type and content-encoding from the headers, and a
decompressor that stops at a byte limit (gzip bombs cost at most the limit)."""

from __future__ import annotations

import zlib

import httpx

from flows.errors import BodyTooLarge, FetchError


def human_bytes(n: int) -> str:
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            value = n / size
            return f"{value:g} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


class CappedDecoder:
    """Decompress gzip/deflate incrementally, never holding more than ``limit`` + 1 output bytes.

    zlib's ``max_length`` stops inflation mid-chunk, so a 10 KB gzip bomb that expands to
    10 GB costs at most ``limit`` bytes of memory before it is rejected.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.total = 0
        self._raw_deflate_tried = False
        self._d = self._new()

    def _new(self):  # type: ignore[no-untyped-def]
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def feed(self, data: bytes) -> bytes:
        if self._d is None:
            return self._count(data)
        out = bytearray()
        while data:
            try:
                chunk = self._d.decompress(data, self.limit - self.total + 1)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._raw_deflate_tried and self.total == 0:
                    # Some servers send raw deflate without the zlib header.
                    self._raw_deflate_tried = True
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError(f"corrupt {self.encoding} body ({exc})") from None
            out += self._count(chunk)
            data = self._d.unconsumed_tail
            if self._d.eof:
                rest = self._d.unused_data
                if self.encoding in ("gzip", "x-gzip") and rest.startswith(b"\x1f\x8b"):
                    self._d = self._new()  # concatenated gzip members
                    data = rest
                else:
                    break  # trailing garbage after the stream is ignored, as browsers do
        return bytes(out)

    def finish(self) -> None:
        """Call when the body has ended: a compressed stream that never reached its end is broken."""
        if self._d is not None and not self._d.eof:
            raise FetchError(f"truncated or corrupt {self.encoding} body")

    def _count(self, chunk: bytes) -> bytes:
        self.total += len(chunk)
        if self.total > self.limit:
            raise BodyTooLarge(f"body larger than {human_bytes(self.limit)} after decompression")
        return chunk


def media_type(headers: httpx.Headers) -> str | None:
    value = headers.get("content-type")
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def content_encoding(headers: httpx.Headers) -> str:
    tokens = [t.strip().lower() for t in headers.get("content-encoding", "").split(",")]
    tokens = [t for t in tokens if t and t != "identity"]
    if not tokens:
        return "identity"
    if len(tokens) > 1 or tokens[0] not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported content-encoding {', '.join(tokens)}")
    return tokens[0]
