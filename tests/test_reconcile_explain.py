"""Plain-words formatting used in conflict explanations."""

from __future__ import annotations

from datetime import date

import pytest

from reconciliation.compat import MINOR, Verdict
from reconciliation.explain import (
    Stated,
    explain_disagreement,
    format_date,
    format_fact,
    format_money,
    outlets,
)
from tests.reconcile_story import day, fact, money


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (6.3e9, "USD", "$6.3B"),
        (6e9, "USD", "$6B"),
        (150e6, "USD", "$150M"),
        (1.25e9, "USD", "$1.25B"),
        (950e3, "USD", "$950K"),
        (2e9, "EUR", "€2B"),
        (2e9, "CHF", "CHF 2B"),
        (1.2e12, None, "$1.2T"),
        (None, "USD", "?"),
        (float("nan"), "USD", "?"),
    ],
)
def test_money(amount, currency, text):
    assert format_money(amount, currency) == text


def test_dates_as_precisely_as_stated():
    d = date(2029, 12, 31)
    assert [format_date(d, p) for p in ("day", "month", "quarter", "half", "year")] == [
        "Dec 31, 2029",
        "Dec 2029",
        "Q4 2029",
        "H2 2029",
        "2029",
    ]


def test_facts_as_analysts_write_them():
    assert (
        format_fact("total_value", money("total_value", 40e9, "over $40bn", qualifier="more than"))
        == "more than $40B"
    )
    assert format_fact("total_value", money("total_value", 3.5e9, "$3-4B", low=3e9, high=4e9)) == "$3B–$4B"
    yearly = money("monthly_fee", 1.25e9, "$15bn a year", period="year", stated_amount=15e9)
    assert format_fact("monthly_fee", yearly) == "$15B/year (= $1.25B/month)"
    assert format_fact("end_date", day("end_date", "2029-12-31", "through 2029", "year")) == "2029"
    assert (
        format_fact("termination_notice_days", fact("termination_notice_days", 90, "ninety days"))
        == "90 days"
    )
    assert format_fact("accelerator_count", fact("accelerator_count", 110000, "110k")) == "110,000"
    assert format_fact("total_value", fact("total_value", "lots", "lots of money")) == "lots of money"


def test_outlet_lists():
    assert outlets([]) == "an unnamed source"
    assert outlets(["A"]) == "A"
    assert outlets(["A", "B", "A"]) == "A and B"
    assert outlets(["A", "B", "C"]) == "A, B and C"
    assert outlets(list("ABCDEF")) == "A, B, C, D and 2 others"


def test_a_source_count_never_names_more_outlets_than_it_counts() -> None:
    """Four outlets, one of them a syndicated copy: three independent sources, and the text says so."""
    shown = Stated("Redwater campus", ["Basin Daily", "Compute Street", "Gridline Journal", "Ledger Wire"], 3)
    other = Stated("Odessa data center", ["Basin Daily"], 1)
    text = explain_disagreement("facility", shown, [(other, Verdict(MINOR, "contains"))])
    assert text.startswith(
        "Facility: 3 independent sources (4 outlets: Basin Daily, Compute Street, Gridline Journal and "
        "Ledger Wire, a syndicated copy counted once) say Redwater campus;"
    )
    plain = explain_disagreement("facility", Stated("Redwater campus", ["A", "B"], 2), [])
    assert plain.startswith("Facility: 2 sources (A and B) say Redwater campus")
