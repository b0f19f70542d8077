"""The scorer behind ``dealwatch eval``: a perfect extractor scores 1.0, and each kind of mistake
moves exactly the number it should — otherwise the quality gate would pin the wrong thing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from extractors.evaluate import (
    SCORED_FIELDS,
    evaluate,
    format_report,
    gold_mentions,
    party_key,
)
from extractors.models import Article, DealMention, ExtractionResult, Fact

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

DEAL_GOLD = {
    "article_id": "001_a",
    "style": "wire",
    "publisher": "Test Wire",
    "published_at": "2026-03-02T14:00:00Z",
    "syndicated_of": None,
    "is_deal": True,
    "deals": [
        {
            "deal_key": "fenmoor--tilde-2026",
            "is_main": True,
            "related_to": None,
            "provider": "Fenmoor Compute Inc.",
            "customer": "Tilde Robotics",
            "deal_type": "compute",
            "facts": {
                "currency": "USD",
                "monthly_fee": 20000000,
                "total_value": 720000000,
                "total_value_qualifier": "up to",
                "start_date": "2026-09-01",
                "start_precision": "month",
                "term_months": 36,
                "hardware": ["Nvidia B200"],
                "location": "Reno, Nevada",
            },
        }
    ],
}
NEG_GOLD = {**DEAL_GOLD, "article_id": "002_b", "is_deal": False, "deals": []}


def write_corpus(folder: Path, golds: list[dict]) -> Path:
    for g in golds:
        (folder / f"{g['article_id']}.txt").write_text("A headline\n\nSome body text.\n", encoding="utf-8")
        (folder / f"{g['article_id']}.json").write_text(json.dumps(g), encoding="utf-8")
    return folder


def from_gold(folder: Path, edit=None):
    """A fake extractor that returns the gold mentions, optionally edited per article."""

    def extract(articles: list[Article]) -> list[ExtractionResult]:
        out = []
        for a in articles:
            gold = json.loads((folder / f"{a.article_id}.json").read_text())
            mentions = gold_mentions(gold)
            if edit:
                mentions = edit(a, mentions)
            out.append(ExtractionResult(a.article_id, bool(mentions), mentions))
        return out

    return extract


def test_perfect_extractor_on_the_real_corpus_scores_one_everywhere():
    report = evaluate(CORPUS, extract=from_gold(CORPUS))
    assert report.errors == []
    assert report.n_articles >= 56
    for name in SCORED_FIELDS:
        s = report.fields[name]
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), name
        assert s.support > 0, f"no gold value for {name}: the gate could not pin it"
    assert report.detection.precision == report.detection.recall == 1.0
    assert report.parties_accuracy == report.deal_accuracy == 1.0


def test_dropping_one_field_lowers_recall_of_that_field_only():
    def drop_term(_a, mentions):
        for m in mentions:
            m.facts = [f for f in m.facts if f.field != "term_months"]
        return mentions

    report = evaluate(CORPUS, extract=from_gold(CORPUS, drop_term))
    term = report.fields["term_months"]
    assert term.recall == 0.0 and term.fn == term.support > 0
    assert term.precision == 1.0  # nothing wrong was claimed
    others = [report.fields[n] for n in SCORED_FIELDS if n != "term_months"]
    assert all(s.f1 == 1.0 for s in others)
    assert report.deal_accuracy < 1.0 and report.parties_accuracy == 1.0


def test_a_deal_invented_on_a_negative_lowers_detection_precision(tmp_path):
    folder = write_corpus(tmp_path, [DEAL_GOLD, NEG_GOLD])

    def invent(a, mentions):
        if a.article_id == "002_b":
            return [DealMention("002_b", "Verdant Loom", "Tollgate Capital", [], deal_type="compute")]
        return mentions

    report = evaluate(folder, extract=from_gold(folder, invent))
    assert report.detection.precision == 0.5 and report.detection.recall == 1.0
    assert report.detection.negatives_with_mentions == 1
    assert report.fields["provider"].fp == 1 and report.fields["provider"].precision == 0.5
    assert report.fields["monthly_fee"].f1 == 1.0  # the invented mention stated no fee


def test_a_wrong_value_is_both_a_false_positive_and_a_false_negative(tmp_path):
    folder = write_corpus(tmp_path, [DEAL_GOLD])

    def wrong_total(_a, mentions):
        for f in mentions[0].facts:
            if f.field == "total_value":
                f.value = 6_000_000_000
        return mentions

    report = evaluate(folder, extract=from_gold(folder, wrong_total))
    s = report.fields["total_value"]
    assert (s.tp, s.fp, s.fn) == (0, 1, 1)
    assert report.deal_accuracy == 0.0 and report.parties_accuracy == 1.0
    assert any(m.field == "total_value" and m.predicted == 6_000_000_000 for m in report.mismatches)


def test_normalized_values_count_as_correct(tmp_path):
    """Money within 1%, suffix/case/alias-insensitive names, city-only locations, vendor-less chips."""
    folder = write_corpus(tmp_path, [DEAL_GOLD])

    def extract(articles):
        facts = [
            Fact("monthly_fee", 20_100_000.0, "$20.1m", "", 0, 0, "t", attrs={"currency": "USD"}),
            Fact(
                "total_value",
                720e6,
                "$720m",
                "",
                0,
                0,
                "t",
                attrs={"currency": "USD", "qualifier": "as much as"},
            ),
            Fact("start_date", "2026-09-01", "September", "", 0, 0, "t", attrs={"precision": "month"}),
            Fact("term_months", 36, "three years", "", 0, 0, "t"),
            Fact("hardware", "B200", "B200s", "", 0, 0, "t"),
            Fact("location", "reno", "Reno", "", 0, 0, "t"),
        ]
        m = DealMention("001_a", "FENMOOR COMPUTE", "Tilde Robotics Corp.", facts, deal_type="compute")
        return [ExtractionResult("001_a", True, [m])]

    report = evaluate(folder, extract=extract)
    assert all(report.fields[n].f1 == 1.0 for n in SCORED_FIELDS), format_report(report, 20)
    assert report.deal_accuracy == 1.0


def test_swapped_roles_are_matched_but_both_parties_are_wrong(tmp_path):
    folder = write_corpus(tmp_path, [DEAL_GOLD])

    def swap(_a, mentions):
        m = mentions[0]
        m.provider, m.customer = m.customer, m.provider
        return mentions

    report = evaluate(folder, extract=from_gold(folder, swap))
    assert report.fields["provider"].f1 == 0.0 and report.fields["customer"].f1 == 0.0
    assert report.fields["monthly_fee"].f1 == 1.0  # still matched to the right deal
    assert report.parties_accuracy == 0.0


def test_ranges_accept_any_value_inside(tmp_path):
    gold = copy.deepcopy(DEAL_GOLD)
    gold["deals"][0]["ranges"] = {"monthly_fee": [15_000_000, 25_000_000]}
    folder = write_corpus(tmp_path, [gold])

    def low_end(_a, mentions):
        for f in mentions[0].facts:
            if f.field == "monthly_fee":
                f.value = 15_000_000
        return mentions

    assert evaluate(folder, extract=from_gold(folder, low_end)).fields["monthly_fee"].f1 == 1.0


def test_aliases_from_the_corpus_apply_to_both_sides():
    aliases = {"aws": "Amazon Web Services", "meta platforms": "Meta"}
    assert party_key("AWS", aliases) == party_key("Amazon Web Services, Inc.", aliases)
    assert party_key("Meta Platforms Inc.", aliases) == party_key("meta", aliases)
    assert party_key("Amberline Compute Corp. (NYSE: AMBL)", {}) == party_key("Amberline Compute", {})
    assert party_key("Quillmark", {}) != party_key("Quillmark AI", {})


def test_bad_corpus_and_failing_extractor_are_reported_not_raised(tmp_path):
    missing = evaluate(tmp_path / "nope", extract=lambda arts: [])
    assert missing.errors and "not found" in missing.errors[0]

    folder = write_corpus(tmp_path, [DEAL_GOLD])
    (folder / "003_broken.txt").write_text("Head\n\nBody\n")
    (folder / "003_broken.json").write_text("{not json")

    def boom(articles):
        raise RuntimeError("model not loaded")

    report = evaluate(folder, extract=boom)
    assert any("003_broken.json" in e for e in report.errors)
    assert any("model not loaded" in e for e in report.errors)
    assert report.n_articles == 1 and report.detection.fn == 1
    assert "model not loaded" in format_report(report)


def test_report_table_shows_every_field_and_the_summary_lines():
    report = evaluate(CORPUS, extract=from_gold(CORPUS))
    text = format_report(report)
    for name in SCORED_FIELDS:
        assert f"\n{name} " in text
    assert "deal detection: precision 1.000" in text
    assert "deal-level accuracy (all stated fields right): 1.000" in text


def test_an_unmatched_mention_with_a_related_party_is_scored_not_a_crash(tmp_path):
    """A mention the gold does not know may carry a related party (a lender, a backer): it counts as
    the invented deal it is, and `dealwatch eval --mode facts` still prints its table."""
    folder = write_corpus(tmp_path, [DEAL_GOLD, NEG_GOLD])
    lender = Fact(
        "related_party", "Tollgate Capital", "Tollgate Capital", "", 0, 0, "test", attrs={"role": "lender"}
    )

    def invent(a, mentions):
        if a.article_id == "002_b":
            return [DealMention("002_b", "Verdant Loom", "Quillon AI", [lender], deal_type="compute")]
        return mentions

    report = evaluate(folder, extract=from_gold(folder, invent))
    assert not report.errors
    assert report.fields["provider"].fp == 1 and "related_party" not in report.fields
    assert "provider" in format_report(report)
