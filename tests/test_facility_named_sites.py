"""A facility is the site of the deal, named as the text names it (issue 10, sixth round): a named
building or hall ("its Harrowgate Yard building") and a translated noun-first name ("in its data
center Kelmsfeld") are sites; a bare noun, a plural or a place is not. Invented names throughout."""

from __future__ import annotations

import pytest

from tests.test_places import _vals


@pytest.mark.parametrize(
    ("text", "facility"),
    [
        (
            "Earlier this year Brindle Data leased 12 MW at its Harrowgate Yard building to Tilbury Cloud.",
            "Harrowgate Yard building",
        ),
        ("Tilbury Cloud will put the racks in the Quennel hall that Brindle Data runs.", "Quennel hall"),
        (
            "Brindle Data has signed with Osric AI a lease of 10 years for 20 megawatt in its data center "
            "Kelmsfeld in Hamburg, Germany.",
            "Kelmsfeld",
        ),
    ],
)
def test_a_named_building_hall_or_noun_first_site_is_the_facility(text, facility):
    assert _vals(text, "facility") == [facility]


@pytest.mark.parametrize(
    "text",
    [
        "Brindle Data leased 12 MW in its building in Hamburg to Tilbury Cloud.",
        "Brindle Data will open two new halls in its data center in Hamburg next year.",
        "The building boom has lifted Brindle Data's shares.",
    ],
)
def test_a_bare_noun_or_a_place_is_no_facility(text):
    assert _vals(text, "facility") == []
