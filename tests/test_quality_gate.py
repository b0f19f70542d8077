"""Extraction quality gate: fails when a change makes extraction worse on the labeled corpus.

The minimums are the scores measured when they were pinned, less a small margin for harmless
ties; raise them when extraction improves (`dealwatch eval` prints the current figures). The
corpus was written alongside the extractors, so these are regression floors, not claims about
unseen articles (fixtures/holdout measures that).
"""

from __future__ import annotations

import pytest

from extractors.evaluate import evaluate
from tests.conftest import FIXTURES

#: Field → minimum F1 on fixtures/corpus (pinned 2026-11-22; issue target: ≥ 0.9 on every field).
MIN_F1 = {
    "provider": 0.98,
    "customer": 0.98,
    "deal_type": 0.96,
    "currency": 0.98,
    "monthly_fee": 0.94,
    "total_value": 0.98,
    "total_value_qualifier": 0.98,
    "start_date": 0.98,
    "start_precision": 0.98,
    "end_date": 0.98,
    "end_precision": 0.98,
    "term_months": 0.96,
    "hardware": 0.98,  # raised from 0.94 after the holdout4 round (1.000)
    "accelerator_count": 0.98,
    "capacity_mw": 0.98,
    "facility": 0.90,
    "location": 0.95,
    "termination_notice_days": 0.98,
    "termination_lockin_months": 0.98,
    "termination_by": 0.90,
    "announced_on": 0.98,
}
MIN_DETECTION_PRECISION = 0.98
MIN_DETECTION_RECALL = 0.98
MIN_PARTIES_ACCURACY = 0.98
MIN_DEAL_ACCURACY = 0.90  # raised from 0.85 after the holdout2 round (0.904), to 0.90 after holdout4 (0.923)


@pytest.fixture(scope="module")
def report():
    return evaluate(FIXTURES / "corpus")


def test_the_corpus_loads_without_errors(report) -> None:
    assert not report.errors


@pytest.mark.parametrize("field", sorted(MIN_F1))
def test_field_f1_does_not_drop(report, field: str) -> None:
    score = report.fields[field]
    assert score.f1 >= MIN_F1[field], (
        f"{field}: F1 {score.f1:.3f} (P {score.precision:.3f}, R {score.recall:.3f}) < pinned {MIN_F1[field]}"
    )


def test_deal_detection_parties_and_whole_deals_do_not_drop(report) -> None:
    assert report.detection.precision >= MIN_DETECTION_PRECISION
    assert report.detection.recall >= MIN_DETECTION_RECALL
    assert report.parties_accuracy >= MIN_PARTIES_ACCURACY
    assert report.deal_accuracy >= MIN_DEAL_ACCURACY


#: Held-out sets used to find failure categories become regression floors (pinned 2026-11-22):
#: fixtures/holdout, then holdout2, holdout3 and holdout4, each since the round that tuned on it.
#: fixtures/holdout5 is deliberately not gated: it is the honest measure.
#: holdout2 after its round: parties 0.967, deal-level 0.833 (0.867 after the holdout3 round).
#: holdout3 after its round: parties 0.966, deal-level 0.862, detection 1.0/1.0.
#: holdout4 after its round: parties 0.600, deal-level 0.400, detection 0.947/0.818 (0.514, 0.257,
#: 0.895/0.773 when first measured blind).
#: 2026-12-04: the gold audit for passing mentions (issue 10) labeled 4, 1 and 4 more passing deals
#: (customer relationships stated in words, e.g. "counts Microsoft as its largest customer") in
#: holdout, holdout2 and holdout3, and 1 in holdout4. Extraction finds none of them yet, so the same
#: correct counts sit over larger denominators (parties / deal-level: holdout 45/51, 44/51; holdout2
#: 29/31, 26/31; holdout3 28/33, 25/33; holdout4 21/36, 14/36). The floors moved so they still allow
#: one lost deal, as before.
HOLDOUT_MINS = {
    "holdout": {"parties": 0.86, "deal_level": 0.84, "detection_precision": 0.98, "detection_recall": 0.98},
    "holdout2": {"parties": 0.90, "deal_level": 0.80, "detection_precision": 0.95, "detection_recall": 0.95},
    "holdout3": {"parties": 0.81, "deal_level": 0.72, "detection_precision": 0.95, "detection_recall": 0.95},
    "holdout4": {"parties": 0.55, "deal_level": 0.36, "detection_precision": 0.92, "detection_recall": 0.79},
}


@pytest.mark.parametrize("name", sorted(HOLDOUT_MINS))
def test_spent_holdout_sets_do_not_drop(name: str) -> None:
    floor = HOLDOUT_MINS[name]
    report = evaluate(FIXTURES / name)
    assert not report.errors
    assert report.parties_accuracy >= floor["parties"]
    assert report.deal_accuracy >= floor["deal_level"]
    assert report.detection.precision >= floor["detection_precision"]
    assert report.detection.recall >= floor["detection_recall"]
