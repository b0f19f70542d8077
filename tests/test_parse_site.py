"""The parser and duplicate finder on the demo site (fixtures/site, labelled in gold.json)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from extractors.dedupe import find_duplicates
from extractors.parse import parse_document

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
BASE = "http://127.0.0.1:8765"


def gold() -> dict:
    return json.loads((SITE / "gold.json").read_text(encoding="utf-8"))


def parse_path(path: str):
    return parse_document((SITE / path).read_bytes(), url=f"{BASE}/{path}", content_type="text/html")


def test_site_articles_metadata() -> None:
    for g in gold()["articles"]:
        a = parse_path(g["path"])
        assert a.status == "ok", (g["path"], a.status)
        assert a.publisher == g["publisher"], g["path"]
        assert a.published_at == datetime.fromisoformat(g["published_at"].replace("Z", "+00:00")), g["path"]
        assert a.language == "en" and a.title and a.text.startswith(a.title + "\n\n")


def test_site_syndicated_copies() -> None:
    articles = sorted(gold()["articles"], key=lambda g: g["published_at"])
    parsed = {g["path"]: parse_path(g["path"]) for g in articles}
    found = find_duplicates([(parsed[g["path"]].article_id, parsed[g["path"]].text) for g in articles])
    path_of = {a.article_id: p for p, a in parsed.items()}
    expected = {g["path"]: g["syndicated_of"] for g in articles if g.get("syndicated_of")}
    assert {path_of[k]: path_of[v] for k, v in found.items()} == expected


def test_site_index_is_a_section_front() -> None:
    assert parse_path("index.html").status.startswith("not an article: section front")
