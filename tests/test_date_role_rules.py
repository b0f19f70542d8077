"""A date's role comes from one named row of the rule table, so a trace can say which row decided."""

from __future__ import annotations

from datetime import date

from extractors.dates import ROLE_RULES, find_dates, role_of

REF = date(2025, 6, 15)


def _roles(text: str) -> list[tuple[str, tuple[str | None, float, str]]]:
    out, prev = [], None
    for d in find_dates(text, REF):
        out.append((text[d.start : d.end], role_of(text, d, prev)))
        prev = d
    return out


def test_a_date_that_is_not_a_term_names_the_veto_that_dropped_it() -> None:
    assert _roles("The contract from February 2026 was extended.") == [
        ("February 2026", (None, 0.0, "dates.start.which_deal"))
    ]
    assert _roles("Shares closed up 36% on Wednesday.") == [("Wednesday", (None, 0.0, "dates.market_day"))]


def test_a_term_date_names_its_row_and_the_cue_it_read() -> None:
    assert _roles("The lease runs through March 2029.") == [("March 2029", ("end", 0.9, "dates.end.through"))]
    assert _roles("The supply deal will begin in Q1 2026.") == [
        ("Q1 2026", ("start", 0.9, "dates.start.cue"))
    ]


def test_every_row_has_its_own_id() -> None:
    ids = [r.id for r in ROLE_RULES]
    assert len(ids) == len(set(ids))
