"""Arithmetic cross-checks: fee × term vs total, start + term vs end, shown as analysts read them."""

from __future__ import annotations

from datetime import date

from reconciliation.arithmetic import Term, check_term, check_total, derived_term, months_inclusive
from reconciliation.compat import amount_of
from reconciliation.reconcile import reconcile
from tests.reconcile_story import day, fact, money, record

FEE = amount_of(money("monthly_fee", 150e6, "$150 million a month"))
TERM = Term(42, "derived", date(2026, 7, 1), date(2029, 12, 31))


def totals(*pairs):
    return [(amount_of(money("total_value", v, d)), d) for v, d in pairs]


def test_inclusive_month_count():
    assert months_inclusive(date(2026, 7, 1), date(2029, 12, 31)) == 42
    assert months_inclusive(date(2026, 1, 15), date(2026, 1, 20)) == 1
    assert derived_term(date(2027, 1, 1), date(2026, 1, 1)) is None


def test_fee_times_term_against_totals():
    text, finding = check_total(
        FEE, "$150M/month", TERM, totals((6.3e9, "$6.3B"), (6e9, "$6B"), (5.4e9, "$5.4B"))
    )
    assert text == "$150M/month × 42 months (Jul 2026 – Dec 2029) = $6.3B"
    assert finding.contradicted == ["$5.4B"]
    assert "the $5.4B figure matches 36 months (Jul 2026 – Jun 2029)" in finding.explanation


def test_total_that_is_no_whole_number_of_months_says_what_it_implies():
    _, finding = check_total(FEE, "$150M/month", TERM, totals((5.0e9, "$5B")))
    assert "the $5B figure implies 33.3 months" in finding.explanation


def test_no_fee_or_no_term_means_no_check():
    assert check_total(None, "", TERM, totals((5.4e9, "$5.4B"))) is None
    assert check_total(FEE, "$150M/month", None, totals((5.4e9, "$5.4B"))) is None


def test_up_to_fee_accepts_smaller_totals():
    up_to = amount_of(money("monthly_fee", 150e6, "up to $150M", qualifier="up to"))
    _, finding = check_total(up_to, "up to $150M/month", TERM, totals((5.4e9, "$5.4B")))
    assert finding is None


def test_start_plus_term_against_end():
    assert check_term(42, date(2026, 7, 1), (date(2029, 12, 1), date(2029, 12, 31))) is None
    assert check_term(36, date(2027, 1, 1), (date(2029, 1, 1), date(2029, 12, 31))) is None  # "through 2029"
    finding = check_term(24, date(2026, 7, 1), (date(2029, 12, 1), date(2029, 12, 31)))
    assert finding.field == "term_months"
    assert "Jul 2026 + 24 months runs to Jun 2028, but the end date stated is Dec 2029" in finding.explanation


def test_total_that_every_source_states_but_the_fee_contradicts_gets_a_conflict():
    facts = [
        money("monthly_fee", 150e6, "$150M a month"),
        money("total_value", 5.4e9, "$5.4B"),
        day("start_date", "2026-07-01", "July 1, 2026"),
        day("end_date", "2029-12-31", "the end of 2029"),
    ]
    result = reconcile([record("t1", facts, "Harbor Wire"), record("t2", list(facts), "Quarry Daily")])
    (c,) = result.conflicts
    assert c["field"] == "total_value" and c["severity"] == "conflict"
    assert "= $6.3B; the $5.4B figure (Harbor Wire and Quarry Daily) matches 36 months" in c["explanation"]
    assert any(v["display"] == "$6.3B (computed)" for v in c["values"])


def test_stated_term_that_does_not_reach_the_end_date_is_flagged():
    facts = [
        day("start_date", "2026-07-01", "July 1, 2026"),
        day("end_date", "2029-12-31", "the end of 2029"),
        fact("term_months", 24, "two-year"),
    ]
    result = reconcile([record("t1", facts, "Harbor Wire")])
    (c,) = result.conflicts
    assert c["field"] == "term_months" and "runs to Jun 2028" in c["explanation"]
    assert result.deals[0]["term_months"] == 24 and result.deals[0]["term_source"] == "stated"


def test_annual_fee_shows_both_periods_in_explanations():
    a = record(
        "y1",
        [money("monthly_fee", 2.5e9 / 12, "$2.5B a year", period="year", stated_amount=2.5e9)],
        "Harbor Wire",
    )
    b = record("y2", [money("monthly_fee", 150e6, "$150M a month")], "Quarry Daily")
    (c,) = reconcile([a, b]).conflicts
    assert "$2.5B/year (= $208.33M/month)" in c["explanation"] and "$150M/month" in c["explanation"]
