"""Acceptance on the five seed articles (not a tuning set): skipped when the folder is absent."""

from pathlib import Path

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles


@pytest.fixture(scope="module")
def results(seeds_dir: Path):
    arts = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        arts.append(Article(article_id=p.stem, url=p.as_uri(), text=text, title=text.split("\n")[0]))
    return extract_articles(arts)


def test_every_seed_has_the_main_deal(results):
    assert len(results) == 5
    for r in results:
        assert r.is_deal_relevant, r.article_id
        main = r.mentions[0]
        assert main.is_main and (main.provider, main.customer) == ("SpaceX", "Reflection AI"), r.article_id


def test_deals_in_passing_from_the_fifth_seed(results):
    r = next(r for r in results if r.article_id.startswith("004"))
    passing = {m.customer: m for m in r.mentions if not m.is_main and m.provider == "SpaceX"}
    assert {"Google", "Anthropic"} <= set(passing)
    g = {f.field: f.value for f in passing["Google"].facts}
    a = {f.field: f.value for f in passing["Anthropic"].facts}
    assert g["total_value"] == pytest.approx(30e9) and g["end_date"] == "2029-06-30"
    assert a["total_value"] == pytest.approx(45e9) and a["end_date"] == "2029-06-30"


def test_no_deal_from_funding_valuation_or_government_work(results):
    for r in results:
        for m in r.mentions:
            assert m.provider != "Reflection AI"
            assert m.customer != "Reflection AI" or m.provider == "SpaceX"
            values = {f.value for f in m.facts if f.field == "total_value"}
            assert not values & {2.5e9, 25e9}
