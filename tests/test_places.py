"""Facility names and locations, and headquarters that are not deal locations."""

from __future__ import annotations

import pytest

from extractors.models import ArticleContext, Sentence
from extractors.places import place_facts


def _vals(text: str, field: str):
    return [f.value for f in place_facts(Sentence(text, 0), ArticleContext()) if f.field == field]


@pytest.mark.parametrize(
    "text,location",
    [
        ("The capacity sits at a campus in Abilene, Texas.", "Abilene, Texas"),
        ("The machines are near Memphis, Tennessee.", "Memphis, Tennessee"),
        ("The hall is outside Cheyenne, Wyo., on leased land.", "Cheyenne, Wyoming"),
        ("The operator will build it in Norway.", "Norway"),
        ("The site is in Goodnight, Texas.", "Goodnight, Texas"),
        ("Servers go to Loughton, England next spring.", "Loughton, England"),
        ("Racks will be installed in Brno.", "Brno"),
        ("The cluster lives in Brno, Czech Republic.", "Brno, Czech Republic"),
        ("The Memphis data center is full.", "Memphis"),
    ],
)
def test_locations(text, location):
    assert _vals(text, "location") == [location]


@pytest.mark.parametrize(
    "text",
    [
        "Halvorsen, a Texas-based startup, signed the deal.",
        "The startup is headquartered in Austin.",
        "The lab, based in London, raised money.",
        "Nothing here names a place.",
    ],
)
def test_headquarters_are_not_locations(text):
    assert _vals(text, "location") == []


@pytest.mark.parametrize(
    "text,facility",
    [
        ("The capacity sits at its Saltmarsh campus in Abilene, Texas.", "Saltmarsh campus"),
        ("The GPUs are in the Nimbus 3 supercomputer.", "Nimbus 3 supercomputer"),
        ("The Coulee Ridge facility will host the chips.", "Coulee Ridge facility"),
        ("It runs a supercomputer called Nimbus 3.", "Nimbus 3"),
        ("The lab gains access to GB300 chips in the 'Orca 2' data center.", "Orca 2 data center"),
        ("Kestrel Signs Deal For Fjellstrand Site", "Fjellstrand Site"),
        ("The lab gets access to the Stargate site.", "Stargate site"),
    ],
)
def test_facilities(text, facility):
    assert _vals(text, "facility") == [facility]


@pytest.mark.parametrize(
    "text",
    [
        "Each data center has 100 MW.",
        "The new campus will open in 2027.",
        "A Microsoft data center is nearby.",
        "The Memphis data center is full.",
    ],
)
def test_not_facilities(text):
    assert _vals(text, "facility") == []


@pytest.mark.parametrize(
    "text,facts",
    [
        ("SAN JOSE, Calif., Aug 4 (Wire) - The chips go to a lab.", {}),
        ("RENO, Nevada, May 2, 2026 -- Orca today announced a lease.", {}),
        ("The lab is renting GPUs in a deal worth US$4.6 billion.", {}),
        ("Pell Datacenters has grown fast.", {}),
        (
            "The capacity is located in the campus Hranice Park in the city Brno, Czech Republic.",
            {"facility": ["Hranice Park"], "location": ["Brno, Czech Republic"]},
        ),
        (
            "The installation Fjellstrand in Narvik is the largest.",
            {"facility": ["Fjellstrand"], "location": ["Narvik"]},
        ),
        (
            "The campus rises in the locality Goodnight in the state Texas.",
            {"location": ["Goodnight, Texas"]},
        ),
        ("Workloads move to dedicated clusters in its London region.", {"location": ["London"]}),
        (
            "The lab gets access to Pell's Vineland data center in New Jersey.",
            {"facility": ["Vineland data center"], "location": ["New Jersey", "Vineland, New Jersey"]},
        ),
    ],
)
def test_more_place_phrasings(text, facts):
    got: dict = {}
    for f in place_facts(Sentence(text, 0), ArticleContext()):
        got.setdefault(f.field, []).append(f.value)
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in facts.items()}


@pytest.mark.parametrize(
    "text",
    [
        "Pell's older cluster in Ohio still runs H100 chips.",
        "Meanwhile, a chip startup in Toronto raised $250 million.",
    ],
)
def test_other_sites_location_is_in_passing(text):
    (f,) = [f for f in place_facts(Sentence(text, 0), ArticleContext()) if f.field == "location"]
    assert f.attrs.get("in_passing") is True and f.confidence < 0.5


def test_plural_site_nouns_are_not_one_facility():
    assert _vals("The startup raised money to build the 'Orca' supercomputers.", "facility") == []


@pytest.mark.parametrize(
    "text,location",
    [
        ("The capacity is in the U.S. state of Texas.", "Texas"),
        ("Racks go to a hall in northern Norway.", "Norway"),
    ],
)
def test_region_phrasings(text, location):
    assert _vals(text, "location") == [location]


def test_postal_codes_after_a_city():
    assert _vals("The campus is in Abilene, TX, and opens in 2027.", "location") == ["Abilene, Texas"]
    assert _vals("DALLAS, TX, June 3, 2026 /PRNewswire/ -- Pell announced a lease.", "location") == []
