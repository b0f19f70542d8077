"""Golden test on the project's labeled corpus: its gold mentions reconcile into its gold deals.

The gold files say which article tells which deal (``deal_key``), which copies are syndicated and
which deal expands which. Feeding the gold facts as mentions isolates reconciliation from
extraction: every deal_key must become exactly one deal, and the corpus's deliberate
disagreements (README) must show up as conflicts — and nothing else.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from extractors.models import DealMention, Fact
from reconciliation.reconcile import MentionRecord, PreviousState, reconcile

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
DATE_FIELDS = {"start_date": "start_precision", "end_date": "end_precision", "announced_on": None}
SKIP = {"currency", "total_value_qualifier", "start_precision", "end_precision", "termination_lockin_until"}


def gold_facts(deal: dict) -> list[Fact]:
    values, ranges = deal.get("facts", {}), deal.get("ranges", {})
    facts = []
    for name, value in values.items():
        if name in SKIP or value is None:
            continue
        attrs: dict = {}
        if name in ("monthly_fee", "total_value"):
            attrs["currency"] = values.get("currency")
            if name == "total_value" and values.get("total_value_qualifier"):
                attrs["qualifier"] = values["total_value_qualifier"]
        if name in ranges:
            attrs["low"], attrs["high"] = ranges[name]
        if name in DATE_FIELDS:
            attrs["precision"] = values.get(DATE_FIELDS[name] or "", "day") or "day"
        items = value if isinstance(value, list) else [value]
        for item in items:
            facts.append(Fact(name, item, str(item), f"gold {name}", 0, 0, "gold", attrs=dict(attrs)))
    return facts


def load_corpus() -> tuple[list[MentionRecord], dict[str, str], dict[str, dict]]:
    """Mention records from the gold files, mention_id -> deal_key, and the gold files by id."""
    records, keys, golds = [], {}, {}
    for path in sorted(CORPUS.glob("[0-9]*.json")):
        gold = json.loads(path.read_text())
        golds[gold["article_id"]] = gold
        published = datetime.fromisoformat(gold["published_at"].replace("Z", "+00:00"))
        for index, deal in enumerate(gold["deals"]):
            mention = DealMention(
                article_id=gold["article_id"],
                provider=deal["provider"],
                customer=deal["customer"],
                facts=gold_facts(deal),
                is_main=deal["is_main"],
                deal_type=deal.get("deal_type"),
                mention_index=index,
            )
            records.append(
                MentionRecord(
                    mention=mention,
                    publisher=gold["publisher"],
                    url=f"https://example.test/{gold['article_id']}",
                    published_at=published,
                    fetched_at=published,
                    source_key=gold["syndicated_of"] or gold["article_id"],
                )
            )
            keys[mention.mention_id] = deal["deal_key"]
    return records, keys, golds


@pytest.fixture(scope="module")
def corpus():
    records, keys, golds = load_corpus()
    return records, keys, golds, reconcile(records)


def deal_of(result, keys, deal_key):
    ids = {result.assignments[m] for m, k in keys.items() if k == deal_key}
    assert len(ids) == 1, f"{deal_key} split into {ids}"
    return next(d for d in result.deals if d["deal_id"] in ids)


def test_every_gold_deal_is_exactly_one_deal(corpus):
    _, keys, _, result = corpus
    by_deal: dict[str, set[str]] = {}
    for mention_id, deal_key in keys.items():
        by_deal.setdefault(result.assignments[mention_id], set()).add(deal_key)
    merged = {d: k for d, k in by_deal.items() if len(k) > 1}
    assert not merged, f"deals that merge several gold deals: {merged}"
    assert len(result.deals) == len(set(keys.values()))


def test_syndicated_copies_count_once_and_expansion_points_at_its_deal(corpus):
    _, keys, golds, result = corpus
    for deal_key in set(keys.values()):
        deal = deal_of(result, keys, deal_key)
        articles = {m.split("#")[0] for m, k in keys.items() if k == deal_key}
        originals = {golds[a]["syndicated_of"] or a for a in articles}
        assert (deal["article_count"], deal["source_count"]) == (len(articles), len(originals)), deal_key
    related = {
        d["deal_key"]: d["related_to"] for g in golds.values() for d in g["deals"] if d.get("related_to")
    }
    assert related, "the corpus has an expansion deal"
    for later, earlier in related.items():
        assert deal_of(result, keys, later)["related_deal_id"] == deal_of(result, keys, earlier)["deal_id"]


def test_the_corpus_disagreements_are_flagged_and_explained(corpus):
    _, keys, _, result = corpus
    conflicts = {(c["deal_id"], c["field"]): c for c in result.conflicts}
    halvorsen = deal_of(result, keys, "halvorsen--quillmark-2026")
    total = conflicts[(halvorsen["deal_id"], "total_value")]
    assert total["severity"] == "conflict"
    assert "$1.8B" in total["explanation"] and "matches 24 months" in total["explanation"]
    coreweave = deal_of(result, keys, "coreweave--meta-2026")
    assert conflicts[(coreweave["deal_id"], "total_value")]["severity"] == "minor"


def test_omissions_and_other_periods_are_not_conflicts(corpus):
    _, keys, _, result = corpus
    flagged = {(c["deal_id"], c["field"]) for c in result.conflicts}
    for deal_key, field in [
        ("amberline--pikestaff-2026", "end_date"),
        ("oracle--meta-2026", "monthly_fee"),
        ("nordvik--semaphore-2026", "monthly_fee"),
        ("oracle--meta-2026", "start_date"),
    ]:
        assert (deal_of(result, keys, deal_key)["deal_id"], field) not in flagged, (deal_key, field)


def test_corpus_conflicts_are_only_the_documented_ones(corpus):
    _, keys, _, result = corpus
    key_of = {result.assignments[m]: k for m, k in keys.items()}
    found = sorted((key_of[c["deal_id"]], c["field"], c["severity"]) for c in result.conflicts)
    assert found == [
        ("coreweave--meta-2026", "total_value", "minor"),
        ("halvorsen--quillmark-2026", "total_value", "conflict"),
    ]


def test_rerun_and_new_articles_keep_every_deal_id(corpus):
    records, keys, _, first = corpus
    later = [r for r in records if r.mention.article_id >= "030"]
    earlier = [r for r in records if r.mention.article_id < "030"]
    partial = reconcile(earlier)
    grown = reconcile(earlier + later, PreviousState(partial.assignments, {}))
    for mention_id, deal_id in partial.assignments.items():
        assert grown.assignments[mention_id] == deal_id
    rerun = reconcile(records, PreviousState(first.assignments, {}))
    assert rerun.assignments == first.assignments
