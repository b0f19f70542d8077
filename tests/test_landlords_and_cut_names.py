"""No wrong pairs from a provider's landlord or from a name cut out of a quantity (issue 10, round 9).

A data-center operator leasing land, ground or a shell for its own campus is no deal, and its lessor
is no party; a provider that lets megawatts to a tenant stays one. A party is a whole name: "40 MW of
Harnmoor's building" names Harnmoor, never a company "MW of Harnmoor". Every company is invented.
"""

from __future__ import annotations

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles

_LEAD = (
    "Velloc Data Centers signs Tamsin AI\n\n"
    "Velloc Data Centers has leased 60 MW at its campus near Tulsa to Tamsin AI under a twelve-year "
    "lease, the company said on Tuesday. "
)


def _pairs(text: str) -> set[tuple[str | None, str | None]]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return {(m.provider, m.customer) for m in result.mentions}


def _names(pairs: set[tuple[str | None, str | None]]) -> set[str]:
    return {n for pair in pairs for n in pair if n}


@pytest.mark.parametrize(
    "aside",
    [
        "The campus sits on land that Velloc leases from Harnmoor Land Trust.",
        "Velloc rents the ground under the campus from Pellory Farms on a 99-year term.",
        "Velloc signed a 50-year ground lease with Quenby Estates for the site in 2024.",
        "Velloc leased 200 acres from Anvell Ranching for the second phase.",
    ],
)
def test_the_landlord_of_a_providers_land_is_no_party(aside):
    pairs = _pairs(_LEAD + aside)
    assert ("Velloc Data Centers", "Tamsin AI") in pairs
    landlords = {"Harnmoor Land Trust", "Pellory Farms", "Quenby Estates", "Anvell Ranching"}
    assert not (_names(pairs) & landlords), pairs


@pytest.mark.parametrize(
    ("aside", "pair"),
    [
        # the provider is the landlord of its tenant: megawatts or a hall, not land, are let
        (
            "Velloc also leases 20 MW to Brisco Robotics at its Waco site.",
            ("Velloc Data Centers", "Brisco Robotics"),
        ),
        (
            "Brisco Robotics rents a hall at the Waco site from Velloc.",
            ("Velloc Data Centers", "Brisco Robotics"),
        ),
    ],
)
def test_a_provider_letting_space_to_a_tenant_stays_a_deal(aside, pair):
    assert pair in _pairs(_LEAD + aside)


@pytest.mark.parametrize(
    "sentence",
    [
        "Last year Orrin Compute moved into 40 MW of Harnmoor's older building in Hilliard, and that hall "
        "has been full ever since.",
        "Tamsin Robotics took 12 MW of Harnmoor's older building last year.",
        "Brisco Robotics took 2.5 MW of Velloc's Waco hall in 2025.",
    ],
)
def test_a_name_never_begins_with_a_unit(sentence):
    from extractors.nlp import get_nlp
    from extractors.party_names import find_companies

    names = [m.text for m in find_companies(get_nlp()(sentence), 0)]
    assert names and not any(n.split()[0] in {"MW", "of"} for n in names), names
    assert any(n in {"Harnmoor", "Velloc"} for n in names), names


def test_the_owner_after_a_quantity_is_the_provider_of_its_tenant():
    text = (
        "Harnmoor Data Centers signs Tamsin AI\n\n"
        "Harnmoor Data Centers has leased 60 MW at its campus near Tulsa to Tamsin AI under a twelve-year "
        "lease, the company said on Tuesday. Last year Orrin Compute moved into 40 MW of Harnmoor's older "
        "building in Hilliard, and that hall has been full ever since."
    )
    pairs = _pairs(text)
    assert not any(n.startswith("MW") for n in _names(pairs)), pairs
    assert ("Harnmoor Data Centers", "Orrin Compute") in pairs


_GPU_LEAD = (
    "Mandale Cloud signs Tilery AI\n\n"
    "Mandale Cloud will supply 2,048 GPUs to Tilery AI for two years, the companies said on Tuesday. "
)


@pytest.mark.parametrize(
    ("aside", "pair", "is_row"),
    [
        # a possibility is no deal; the same pair told as done is one
        (
            "Portrack Robotics might lease GPUs from Mandale in 2027, one analyst said.",
            ("Mandale Cloud", "Portrack Robotics"),
            False,
        ),
        (
            "Portrack Robotics leases GPUs from Mandale as well, one analyst said.",
            ("Mandale Cloud", "Portrack Robotics"),
            True,
        ),
        # an agreement that ended is no deal; one that was extended is
        (
            "Stanghow Media ended its lease with Mandale Cloud last spring.",
            ("Mandale Cloud", "Stanghow Media"),
            False,
        ),
        (
            "Stanghow Media extended its lease with Mandale Cloud last spring.",
            ("Mandale Cloud", "Stanghow Media"),
            True,
        ),
    ],
)
def test_a_possible_or_ended_rental_makes_no_pair(aside, pair, is_row):
    pairs = _pairs(_GPU_LEAD + aside)
    assert (pair in pairs) is is_row, pairs
    assert ("Mandale Cloud", "Tilery AI") in pairs


def test_a_deal_that_could_grow_stays_a_deal():
    text = (
        "Mandale Cloud signs Tilery AI\n\n"
        "Tilery AI will rent 2,048 GPUs from Mandale Cloud for two years and could take 1,000 more, "
        "the companies said on Tuesday."
    )
    assert ("Mandale Cloud", "Tilery AI") in _pairs(text)


@pytest.mark.parametrize(
    "aside",
    [
        "Velloc leases the Tulsa building from Nairn Estates.",
        "Velloc holds the campus on a 30-year lease from Nairn Estates.",
        "Nairn Estates is Velloc's landlord at the Tulsa site.",
    ],
)
def test_the_landlord_of_a_data_center_operator_is_no_party(aside):
    pairs = _pairs(_LEAD + aside)
    assert "Nairn Estates" not in _names(pairs), pairs
    assert ("Velloc Data Centers", "Tamsin AI") in pairs


@pytest.mark.parametrize(
    ("lead", "aside", "pair"),
    [
        # a GPU cloud leasing a building from a data-center operator: a deal of the table
        (
            _GPU_LEAD,
            "Mandale leases the Tulsa building from Harnmoor Data Centers.",
            ("Harnmoor Data Centers", "Mandale Cloud"),
        ),
        # a data-center operator renting GPUs from a cloud: a deal too
        (
            _LEAD,
            "Velloc also rents 500 GPUs from Brisco Cloud for its own tools.",
            ("Brisco Cloud", "Velloc Data Centers"),
        ),
    ],
)
def test_a_provider_that_rents_compute_or_a_building_from_a_provider_keeps_its_deal(lead, aside, pair):
    assert pair in _pairs(lead + aside)
