"""A deal an article names in passing as another one between the same parties ("on top of the
2025 contract, which runs to the end of 2027") is that other deal, not part of the article's
main one, when it states terms of its own; with no terms it adds nothing and joins the main."""

from __future__ import annotations

from datetime import date

from reconciliation.reconcile import reconcile
from tests.reconcile_story import day, fact, record


def _article(passing_facts: list) -> list:
    main = record(
        "n1",
        [
            fact("hardware", "Nvidia B200", "B200"),
            fact("term_months", 30, "30 months"),
            day("start_date", "2027-01-01", "January 2027", "month"),
        ],
        "Harbor Wire",
        published="2026-11-09",
    )
    earlier = fact("provider", "Orbital Forge", "Orbital Forge", sibling="earlier")
    passing = record(
        "n1", [earlier, *passing_facts], "Harbor Wire", published="2026-11-09", is_main=False, index=1
    )
    other = record(
        "n2",
        [fact("hardware", "Nvidia B200", "B200"), fact("term_months", 30, "for 30 months")],
        "Quarry Daily",
        published="2026-11-09",
    )
    return [main, passing, other]


def test_a_passing_earlier_deal_with_its_own_terms_is_its_own_deal() -> None:
    result = reconcile(_article([day("end_date", "2027-12-31", "the end of 2027", "year")]))
    assert len(result.deals) == 2
    main = next(d for d in result.deals if d["term_months"] == 30)
    # no end date borrowed from it: the end shown is the main deal's own start + term, marked derived
    assert main["end_date"] == date(2029, 6, 30) and "end_date" in main["derived_fields"]
    assert main["article_count"] == 2
    assert not [c for c in result.conflicts if c["deal_id"] == main["deal_id"]]


def test_a_passing_earlier_deal_without_terms_joins_the_main_one() -> None:
    result = reconcile(_article([fact("termination_by", "either", "either party")]))
    assert len(result.deals) == 1
