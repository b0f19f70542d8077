"""Deals told in passing, sixth round (issue 10, recall by structure): a reference ("it", "the
broker", "the company") stands for the company named before it for every role rule; customer lists
in their forms ("X customers include A and B", "serves <kind>, including A", "customers that include
A"); a landlord of the building where a customer's racks sit. Invented names and sentences."""

from __future__ import annotations

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles

_LEAD = (
    "Orrin Cloud signs Dovecote AI\n\n"
    "Orrin Cloud will supply 4,096 GPUs to Dovecote AI for three years, the companies said on Tuesday.\n\n"
)


def _pairs(text: str) -> set[tuple[str | None, str | None]]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return {(m.provider, m.customer) for m in result.mentions}


#: (sentences after the lead, the passing pairs they state as (provider, customer))
_TOLD = [
    # a definite description or pronoun standing for the subject of the sentence before
    (
        "Orrin Cloud does not own the hardware. The reseller rents capacity it leases from Halsey Cloud.",
        [("Halsey Cloud", "Orrin Cloud")],
    ),
    (
        "Orrin Cloud started out in 2023. The broker buys much of its capacity from Brisco Compute.",
        [("Brisco Compute", "Orrin Cloud")],
    ),
    (
        "Orrin Cloud has chased game studios for a year: Marrow Games signed up with it in June.",
        [("Orrin Cloud", "Marrow Games")],
    ),
    (
        "Orrin Cloud is growing fast. Last year it added Tavey Studios as a customer.",
        [("Orrin Cloud", "Tavey Studios")],
    ),
    # customer lists, every form
    (
        "Other Orrin Cloud customers include Pellin Health and Quarrel Media.",
        [("Orrin Cloud", "Pellin Health"), ("Orrin Cloud", "Quarrel Media")],
    ),
    (
        "Orrin Cloud has so far rented GPUs to customers that include Wexley Vision.",
        [("Orrin Cloud", "Wexley Vision")],
    ),
    ("Orrin Cloud already serves lenders, including Kestle Bank.", [("Orrin Cloud", "Kestle Bank")]),
    (
        "Orrin Cloud counts Elvan Motors and Brinkley Robotics among its clients.",
        [("Orrin Cloud", "Elvan Motors"), ("Orrin Cloud", "Brinkley Robotics")],
    ),
    ("Fennick Labs is among Orrin Cloud's clients, the company said.", [("Orrin Cloud", "Fennick Labs")]),
    ("Orrin Cloud works with clients such as Harrow Analytics.", [("Orrin Cloud", "Harrow Analytics")]),
    (
        "The company's customers, which include Sollby Genomics, pay by the hour.",
        [("Orrin Cloud", "Sollby Genomics")],
    ),
    # the landlord of the customer's building leases it to that customer
    (
        "Orrin Cloud does not own its building: Pennard Estates is the landlord of the Ashby hall where the racks will sit.",
        [("Pennard Estates", "Orrin Cloud")],
    ),
    (
        "Tolland Realty owns the Wrexe campus where Orrin Cloud's servers sit.",
        [("Tolland Realty", "Orrin Cloud")],
    ),
    (
        "Orrin Cloud leases the building. Its landlord is Carrow Properties Ltd.",
        [("Carrow Properties", "Orrin Cloud")],
    ),
    (
        "The racks sit in a hall that Orrin Cloud rents from Ravensty Estates.",
        [("Ravensty Estates", "Orrin Cloud")],
    ),
    # a second batch, written after the first passed, in other words
    ("Orrin Cloud's client roster already includes Tavey Studios.", [("Orrin Cloud", "Tavey Studios")]),
    (
        "Both Pellin Health and Quarrel Media already rent GPUs from the company.",
        [("Orrin Cloud", "Pellin Health"), ("Orrin Cloud", "Quarrel Media")],
    ),
    (
        "The neocloud's racks sit in a building that Tolland Realty owns in Leeds.",
        [("Tolland Realty", "Orrin Cloud")],
    ),
    (
        "Orrin Cloud's landlord, Pennard Estates, is building a second hall.",
        [("Pennard Estates", "Orrin Cloud")],
    ),
    (
        "The company already serves two carmakers, Elvan Motors and Brinkley Automotive.",
        [("Orrin Cloud", "Elvan Motors"), ("Orrin Cloud", "Brinkley Automotive")],
    ),
    (
        "Orrin Cloud is no stranger to labs: Fennick Labs has trained on it since 2024.",
        [("Orrin Cloud", "Fennick Labs")],
    ),
    ("Orrin Cloud sublets part of its capacity to Quarrel Media.", [("Orrin Cloud", "Quarrel Media")]),
    (
        "Orrin Cloud's biggest customers, Marrow Games and Kestle Pictures, are both studios.",
        [("Orrin Cloud", "Marrow Games"), ("Orrin Cloud", "Kestle Pictures")],
    ),
    # a third batch
    ("Orrin Cloud has been supplying Kestle Bank since 2023.", [("Orrin Cloud", "Kestle Bank")]),
    (
        "Orrin Cloud rents its GPUs out to several studios, among them Wexley Vision.",
        [("Orrin Cloud", "Wexley Vision")],
    ),
    (
        "The Leeds campus where Orrin Cloud's racks sit belongs to Pennard Estates.",
        [("Pennard Estates", "Orrin Cloud")],
    ),
    (
        "The startup's clients are mostly studios such as Kestle Pictures.",
        [("Orrin Cloud", "Kestle Pictures")],
    ),
    (
        "Orrin Cloud counts Brinkley Robotics, a maker of warehouse robots, among its customers.",
        [("Orrin Cloud", "Brinkley Robotics")],
    ),
    ("Its racks sit in a Carrow Properties building in Leeds.", [("Carrow Properties", "Orrin Cloud")]),
]


@pytest.mark.parametrize(("sentences", "expected"), _TOLD, ids=[t[0][:40] for t in _TOLD])
def test_a_deal_told_in_passing_is_read_by_its_structure(sentences, expected):
    pairs = _pairs(_LEAD + sentences)
    assert ("Orrin Cloud", "Dovecote AI") in pairs
    for pair in expected:
        assert pair in pairs, pairs


def test_a_backer_in_a_customer_list_sentence_is_not_a_customer():
    pairs = _pairs(
        _LEAD
        + "Other Orrin Cloud customers include Pellin Health, and the company is backed by Rydal Capital."
    )
    assert ("Orrin Cloud", "Pellin Health") in pairs
    assert not any("Rydal Capital" in p for p in pairs), pairs


def test_investors_are_no_customer_list():
    pairs = _pairs(_LEAD + "Orrin Cloud's investors include Rydal Capital and Selside Ventures.")
    assert not any("Rydal Capital" in p or "Selside Ventures" in p for p in pairs), pairs


def test_a_power_supplier_is_no_landlord_or_provider():
    pairs = _pairs(_LEAD + "Orrin Cloud is growing fast. It buys its power from Ravensty Energy.")
    assert not any("Ravensty Energy" in p for p in pairs), pairs


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (
            "Fennick Labs builds speech models. The lab also rents capacity from Halsey Cloud.",
            ("Halsey Cloud", "Fennick Labs"),
        ),
        (
            "Pennard Estates owns three halls in Leeds. The landlord also leases one to Halsey Cloud.",
            ("Pennard Estates", "Halsey Cloud"),
        ),
        ("Halsey Cloud is smaller. Its customers include Pellin Health.", ("Halsey Cloud", "Pellin Health")),
        ("Halsey Cloud is smaller; its customers include Pellin Health.", ("Halsey Cloud", "Pellin Health")),
    ],
)
def test_a_reference_to_another_company_than_the_main_deals_parties_is_that_company(sentences, expected):
    # before: "the lab" stood for the main deal's customer, and "its" before a list for nobody
    pairs = _pairs(_LEAD + sentences)
    assert expected in pairs, pairs
    assert not {("Halsey Cloud", "Dovecote AI"), ("Orrin Cloud", "Pellin Health")} & pairs, pairs
