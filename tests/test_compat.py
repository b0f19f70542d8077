"""Compatibility rules on the wordings outlets actually use (invented figures)."""

from __future__ import annotations

import pytest

from reconciliation.compat import COMPATIBLE, CONFLICT, DISTINCT, MINOR, SAME, compare, rounding_unit
from tests.reconcile_story import day, fact, money


def rel(field, a, b):
    return compare(field, a, b).relation


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (money("total_value", 6e9, "$6 billion"), money("total_value", 6.3e9, "$6.3 billion"), MINOR),
        (money("total_value", 5.4e9, "$5.4 billion"), money("total_value", 6.3e9, "$6.3 billion"), CONFLICT),
        (
            money("total_value", 40e9, "more than $40B", qualifier="more than"),
            money("total_value", 45e9, "$45B"),
            COMPATIBLE,
        ),
        (
            money("total_value", 40e9, "more than $40B", qualifier="more than"),
            money("total_value", 35e9, "$35B"),
            CONFLICT,
        ),
        (
            money("total_value", 10e9, "up to $10B", qualifier="up to"),
            money("total_value", 6.3e9, "$6.3B"),
            COMPATIBLE,
        ),
        (
            money("total_value", 30e9, "about $30B", qualifier="about"),
            money("total_value", 31e9, "$31B"),
            MINOR,
        ),
        (
            money("total_value", 30e9, "about $30B", qualifier="about"),
            money("total_value", 30e9, "$30B"),
            COMPATIBLE,
        ),
        (
            money("total_value", 3.5e9, "$3-4B", low=3e9, high=4e9),
            money("total_value", 3.2e9, "$3.2B"),
            COMPATIBLE,
        ),
        (
            money("total_value", 6.3e9, "$6.3B"),
            money("total_value", 6.3e9, "€6.3B", currency="EUR"),
            CONFLICT,
        ),
    ],
)
def test_money(a, b, expected):
    assert rel("total_value", a, b) == expected
    assert rel("total_value", b, a) == expected


def test_annual_fee_equals_the_same_fee_per_month():
    yearly = money("monthly_fee", 15e9 / 12, "$15 billion a year", period="year", stated_amount=15e9)
    monthly = money("monthly_fee", 1.25e9, "$1.25 billion a month")
    assert rel("monthly_fee", yearly, monthly) == SAME


def test_annual_fee_rounded_keeps_its_yearly_rounding_unit():
    yearly = money("monthly_fee", 2e9 / 12, "$2 billion a year", period="year", stated_amount=2e9)
    monthly = money("monthly_fee", 150e6, "$150 million a month")  # $1.8B a year: rounds to $2B
    assert rel("monthly_fee", yearly, monthly) == MINOR


def test_rounding_unit():
    assert rounding_unit(6e9) == 1e9
    assert rounding_unit(6.3e9) == pytest.approx(1e8)
    assert rounding_unit(150e6) == pytest.approx(1e7)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            day("start_date", "2026-07-01", "July 2026", "month"),
            day("start_date", "2026-07-01", "July 1, 2026"),
            COMPATIBLE,
        ),
        (
            day("end_date", "2029-12-31", "through 2029", "year"),
            day("end_date", "2029-12-31", "end of 2029", "day"),
            COMPATIBLE,
        ),
        (
            day("end_date", "2029-12-31", "through 2029", "year"),
            day("end_date", "2029-12-31", "Q4 2029", "quarter"),
            COMPATIBLE,
        ),
        (
            day("end_date", "2029-06-30", "mid-2029", "half"),
            day("end_date", "2029-12-31", "Dec 2029", "month"),
            CONFLICT,
        ),
        (
            day("start_date", "2026-06-30", "June 30", "day"),
            day("start_date", "2026-07-01", "July 1", "day"),
            MINOR,
        ),
        (
            day("end_date", "2029-12-31", "2029", "year", interval=["2029-01-01", "2029-12-31"]),
            day("end_date", "2030-06-30", "mid-2030", "half"),
            CONFLICT,
        ),
    ],
)
def test_dates(a, b, expected):
    assert rel(a.field, a, b) == expected
    assert rel(a.field, b, a) == expected


def test_names_enums_counts_hardware():
    assert rel("location", fact("location", "Tulsa, Oklahoma"), fact("location", "Tulsa")) == COMPATIBLE
    assert rel("location", fact("location", "Tulsa"), fact("location", "Reno")) == CONFLICT
    assert (
        rel("termination_by", fact("termination_by", "either"), fact("termination_by", "customer"))
        == COMPATIBLE
    )
    assert (
        rel("termination_by", fact("termination_by", "provider"), fact("termination_by", "customer"))
        == CONFLICT
    )
    assert rel("deal_type", fact("deal_type", "compute"), fact("deal_type", "cloud")) == MINOR
    assert (
        rel(
            "termination_notice_days",
            fact("termination_notice_days", 90),
            fact("termination_notice_days", 60),
        )
        == CONFLICT
    )
    assert rel("term_months", fact("term_months", 40), fact("term_months", 42)) == CONFLICT
    assert (
        rel("accelerator_count", fact("accelerator_count", 100_000), fact("accelerator_count", 110_000))
        == MINOR
    )
    assert rel("hardware", fact("hardware", "GB300"), fact("hardware", "Nvidia GB300")) == COMPATIBLE
    assert rel("hardware", fact("hardware", "Nvidia H100"), fact("hardware", "Nvidia GB300")) == DISTINCT


@pytest.mark.parametrize("junk", [None, "n/a", float("nan"), {"x": 1}, [1, 2], "2029-13-45", True])
def test_bad_values_never_raise(junk):
    for field in (
        "total_value",
        "end_date",
        "term_months",
        "location",
        "termination_by",
        "hardware",
        "other",
    ):
        good = fact(field, 5, "5")
        bad = fact(field, junk, "junk", precision="month", interval="oops", low="x", currency=3)
        assert compare(field, good, bad).relation in (SAME, COMPATIBLE, MINOR, CONFLICT, DISTINCT)
        assert compare(field, bad, bad).relation == SAME


def test_facility_kind_words_and_place_abbreviations_are_not_disagreements():
    a = fact("facility", "Granite 4 data center", name="Granite 4", noun="data center")
    b = fact("facility", "Granite 4 campus", name="Granite 4", noun="campus")
    assert rel("facility", a, b) == SAME
    assert rel("facility", a, fact("facility", "Basalt 1 campus", name="Basalt 1")) == CONFLICT
    assert rel("location", fact("location", "Reno, NV"), fact("location", "Reno, Nevada")) == SAME
    assert rel("location", fact("location", "Ohio, U.S."), fact("location", "Ohio")) == COMPATIBLE


def test_places_compare_part_by_part_when_the_extractor_names_the_parts():
    city = fact("location", "Reno", city="Reno")
    region = fact("location", "Nevada", region="Nevada")
    both = fact("location", "Reno, Nevada", city="Reno", region="Nevada")
    other_city = fact("location", "Tulsa, Nevada", city="Tulsa", region="Nevada")
    assert rel("location", city, region) == DISTINCT  # neither says anything against the other
    assert rel("location", both, city) == COMPATIBLE and rel("location", both, region) == COMPATIBLE
    assert rel("location", both, other_city) == CONFLICT
