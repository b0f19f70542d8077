"""A raw document as fetched: what a worker needs to parse it again, with nothing of the database.

Kept apart from :mod:`storage.raw` (which stores them, and imports DuckDB) so that Dask workers,
which unpickle documents by this class's module, do not load DuckDB (~28 MB per worker).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


@dataclass
class RawDocument:
    """One document's bytes as received, with what we need to parse it again later."""

    url: str
    body: bytes
    fetched_at: datetime
    source: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    headers: dict[str, str] | None = None
    title_hint: str | None = None
    published_hint: datetime | None = None
    resumed: bool = False  # stored by an earlier, interrupted run and taken from the database

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def raw_id(self) -> str:
        return hashlib.sha256(self.url.encode() + b"\0" + self.body).hexdigest()[:32]
