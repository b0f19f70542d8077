"""An end date no outlet states, but a start and a term do: the row shows the end the two give,
marked as derived; a stated end (even one dropped as a construction date) is never replaced."""

from __future__ import annotations

from datetime import date

from reconciliation.reconcile import reconcile
from tests.reconcile_story import day, fact, record


def _deal(*facts):
    (deal,) = reconcile([record("e1", list(facts), "Harbor Wire")]).deals
    return deal


def test_a_term_from_a_stated_start_gives_the_end_marked_as_derived():
    deal = _deal(day("start_date", "2026-12-01", "December 1, 2026"), fact("term_months", 18, "18 months"))
    assert (deal["end_date"], deal["end_precision"]) == (date(2028, 5, 31), "month")
    assert "end_date" in deal["derived_fields"] and "18 months" in deal["derivation"]


def test_a_year_start_gives_a_year_end():
    deal = _deal(day("start_date", "2027-01-01", "from 2027", "year"), fact("term_months", 120, "ten-year"))
    assert (deal["end_date"], deal["end_precision"]) == (date(2036, 12, 31), "year")


def test_a_stated_end_is_kept_and_nothing_is_derived():
    deal = _deal(
        day("start_date", "2026-12-01", "December 1, 2026"),
        fact("term_months", 18, "18 months"),
        day("end_date", "2028-06-30", "June 2028", "month"),
    )
    assert deal["end_date"] == date(2028, 6, 30) and "end_date" not in deal["derived_fields"]


def test_a_term_end_after_a_rollout_date_in_one_sentence_is_the_contracts_end():
    from datetime import UTC, datetime

    from extractors.dates import date_facts
    from extractors.models import ArticleContext, Sentence

    ctx = ArticleContext(published_at=datetime(2026, 11, 10, tzinfo=UTC))
    said = "The extra halls come online in June 2027 and the lease runs until February 2030, Ostley said."
    ends = [f.value for f in date_facts(Sentence(said, 0), ctx) if f.field == "end_date"]
    assert ends == ["2030-02-28"]
    rollout = "The extra halls will be delivered in phases through 2029, Ostley said."
    assert not [f for f in date_facts(Sentence(rollout, 0), ctx) if f.field == "end_date"]
