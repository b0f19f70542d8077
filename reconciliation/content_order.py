"""Reconciliation's order of mentions: from what they say, never from where or when they were found.

Article ids (and so mention ids) are hashes of URLs: the same article served from another folder,
host or port gets another id, and arrival order depends on the network. Every tie-break and every
"first" in reconciliation follows this order instead (issue 10, part 4), so the same articles give
the same deals, values, ids and conflicts whatever their URLs and arrival order.

The key: publication time, then the article's text fingerprint (``article_store.text_hash``, a
hash of its normalised words), then the mention's place in its article. Only mentions equal on
all three (one text published at the same time under two URLs: word-for-word copies) fall back
to the mention id; they state the same facts, so which goes first changes nothing an analyst reads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

#: Sorts after every real publication time (ISO text compares as time).
UNDATED = "9999"

OrderKey = tuple[str, str, int, str]


def content_key(
    published_at: datetime | None, content: str | None, mention_index: int | None, mention_id: str
) -> OrderKey:
    """The sort key of one mention from its article's content (see the module docstring)."""
    if isinstance(published_at, datetime):
        if published_at.tzinfo is not None:  # stored naive UTC and loaded aware read alike
            published_at = published_at.astimezone(UTC).replace(tzinfo=None)
        published = published_at.isoformat()
    else:
        published = UNDATED
    return (published, content or "", int(mention_index or 0), mention_id)


def record_order(rec: Any) -> OrderKey:
    """The key of a :class:`reconciliation.grouping.MentionRecord`."""
    m = rec.mention
    return content_key(rec.published_at, rec.content, m.mention_index, m.mention_id)


def light_order(row: dict[str, Any]) -> OrderKey:
    """The key of a stored mention row with ``published_at``, ``content``, ``mention_index`` and
    ``mention_id`` (storage/reconcile_db.py's light rows)."""
    return content_key(
        row.get("published_at"), row.get("content"), row.get("mention_index"), row["mention_id"]
    )
