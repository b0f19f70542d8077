"""Small databases for the report's tests, written through the real schema (storage/db.py)."""

from __future__ import annotations

from pathlib import Path

from storage.db import connection, publish_snapshot

HOSTILE_TITLE = "<script>window.pwned=1</script> Acme & Co lands a deal"
HOSTILE_TEXT = (
    'Intro line. Orbital Grid will rent <img src=x onerror="window.pwned=1"> GPUs to Acme Labs '
    "for $1.2 billion over three years. The end."
)


def hostile_db(path: Path) -> Path:
    """One deal whose article title and evidence sentence carry markup, as a hostile page could;
    the evidence offsets point at "$1.2 billion" in the article text."""
    sentence = HOSTILE_TEXT[len("Intro line. ") : HOSTILE_TEXT.index(" The end.")]
    start = HOSTILE_TEXT.index("$1.2 billion")
    with connection(path) as con:
        con.execute(
            "INSERT INTO article_store (article_id, url, title, publisher, status, text) VALUES (?, ?, ?, ?, 'ok', ?)",
            ["a1", "javascript:window.pwned=1", HOSTILE_TITLE, "<b>Wire</b>", HOSTILE_TEXT],
        )
        con.execute(
            "INSERT INTO deal_store (deal_id, provider, customer, total_value, currency, source_count) "
            "VALUES ('d_x1', 'Orbital Grid', '<i>Acme Labs</i>', 1.2e9, 'USD', 1)"
        )
        con.execute(
            "INSERT INTO evidence_store (deal_id, field, value, article_id, url, publisher, sentence, "
            "start_char, end_char, extractor, confidence, used) VALUES "
            "('d_x1', 'total_value', '$1.2 billion', 'a1', 'javascript:window.pwned=1', '<b>Wire</b>', ?, ?, ?, "
            "'money', 0.9, true)",
            [sentence, start, start + len("$1.2 billion")],
        )
    publish_snapshot(path)
    return path
