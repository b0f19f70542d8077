"""Bytes → text. Order: byte-order mark, HTTP header charset, <meta>/XML declaration,
then charset_normalizer's guess, then UTF-8 with replacement characters.

Two deliberate departures from "the header always wins":
- the BOM comes first (as in the WHATWG encoding standard): a BOM cannot be wrong;
- a body that is valid UTF-8 and contains non-ASCII bytes is decoded as UTF-8 even when a
  header or <meta> names a single-byte charset: servers often send a default
  ``charset=iso-8859-1`` for UTF-8 files, and latin-1 text is practically never valid UTF-8
  by accident. A declared charset is otherwise used only if the body decodes with it cleanly.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([\w.:-]+)", re.I)
#: Labels browsers treat as windows-1252 (a superset that also decodes the 0x80-0x9F quotes).
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}
_PRESCAN_BYTES = 8192


def _normalise_label(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in _AS_CP1252:
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"  # a <meta> cannot truthfully declare UTF-16 in an ASCII-readable page
    return name


def _try(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def sniff_declared_charset(body: bytes) -> str | None:
    """Charset named by a <meta charset>, http-equiv Content-Type, or XML declaration."""
    head = body[:_PRESCAN_BYTES]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return ``(text, encoding used)``. Never raises; undecodable bytes become U+FFFD."""
    if not body:
        return "", "utf-8"
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, errors="replace"), enc
    is_ascii = body.isascii()
    if not is_ascii and _try(body, "utf-8") is not None:
        return body.decode("utf-8"), "utf-8"
    header = _HEADER_CHARSET.search(content_type or "")
    candidates = [
        _normalise_label(header.group(1) if header else None),
        _normalise_label(sniff_declared_charset(body)),
    ]
    for enc in candidates:
        text = _try(body, enc)
        if text is not None:
            return text, enc  # type: ignore[return-value]
    if is_ascii:
        return body.decode("ascii"), "ascii"
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    guessed = _normalise_label(best.encoding) if best is not None else None
    if guessed:
        return body.decode(guessed, errors="replace"), guessed
    return body.decode("utf-8", errors="replace"), "utf-8"
