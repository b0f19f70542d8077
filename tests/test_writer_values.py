"""Fact values reach the database file as their JSON, whatever their type: plain values as they
are, dates as ISO strings, containers (with dates inside) as Fact.to_dict gives them."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import numpy as np

from extractors.models import Article, DealMention, ExtractionResult, Fact
from storage.db import connection
from storage.writer import article_row, write_articles, write_extraction

VALUES = [
    90_000_000.0,
    1200,
    "Lakeside Robotics",
    True,
    None,
    date(2027, 3, 31),
    datetime(2026, 5, 1, 12, 30),
    ["2027-01-01", "2027-12-31"],
    (5, "years"),
    {"low": 1.5, "high": 2.0},
    np.float64(2.5),
]


def test_every_kind_of_fact_value_is_stored_as_its_json(db_path: Path) -> None:
    article = Article(
        article_id="a1", url="http://x.test/a", text="Headline\n\nBody.", title="t", status="ok"
    )
    facts = [
        Fact(f"f{i}", value, str(value), "Body.", 10, 15, "test", attrs={"when": date(2026, 1, 2)})
        for i, value in enumerate(VALUES)
    ]
    result = ExtractionResult("a1", True, [DealMention("a1", "Northwind", "Lakeside", facts)])
    with connection(db_path) as con:
        write_articles(con, [article_row(article, fetched_at=None, raw_id=None, source=None)])
        write_extraction(con, [result], "test")
        stored = dict(con.execute("SELECT field, value FROM fact_store WHERE article_id = 'a1'").fetchall())
    expected = {f.field: json.dumps(f.to_dict()["value"], default=str, ensure_ascii=False) for f in facts}
    assert stored == expected
    assert json.loads(stored["f5"]) == "2027-03-31" and json.loads(stored["f0"]) == 90_000_000.0
