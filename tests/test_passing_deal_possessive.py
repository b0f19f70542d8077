"""Deals told in passing, seventh round (issue 10, recall by structure): a customer told by a
possessive role noun ("B's other tenant is A", "A remains B's largest", the noun elided after an
earlier clause named it); a lease told by the thing leased ("B's hall is fully let to A", "A signed a
lease for 8 MW at B's Holme Mill site"); the announcer of a customer's signing at its own facility.
A landlord of the provider's building is not a party of the tenant's deal. Invented names and
sentences."""

from __future__ import annotations

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles

_LEAD = (
    "Orrin Cloud signs Dovecote AI\n\n"
    "Orrin Cloud will supply 4,096 GPUs to Dovecote AI for three years, the companies said on Tuesday.\n\n"
)


def _mentions(text: str, title: str | None = None):
    title = title if title is not None else text.split("\n")[0]
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=title)])
    return result.mentions


def _pairs(text: str) -> set[tuple[str | None, str | None]]:
    return {(m.provider, m.customer) for m in _mentions(text)}


#: (sentences after the lead, the passing pairs they state as (provider, customer))
_TOLD = [
    # a possessive role noun, either way round
    (
        "Halsey Cloud's other customer in Leeds is Pellin Health, which signed in May.",
        [("Halsey Cloud", "Pellin Health")],
    ),
    ("Brisco Compute's largest client remains Quarrel Media.", [("Brisco Compute", "Quarrel Media")]),
    (
        "The first tenant of Tolland Data's Wrexe campus was Fennick Labs.",
        [("Tolland Data", "Fennick Labs")],
    ),
    (
        "Kestle Bank became Brisco Compute's anchor user when the site opened.",
        [("Brisco Compute", "Kestle Bank")],
    ),
    # the role noun elided: the clause before named it
    (
        "Wexley Vision had been Halsey Cloud's third-largest tenant; Marrow Games remains Halsey's biggest.",
        [("Halsey Cloud", "Wexley Vision"), ("Halsey Cloud", "Marrow Games")],
    ),
    (
        "Tavey Studios was Brisco Compute's first client, and Sollby Genomics its second.",
        [("Brisco Compute", "Tavey Studios"), ("Brisco Compute", "Sollby Genomics")],
    ),
    # counts / lists / names A as a customer
    ("Brisco Compute also lists Harrow Analytics as a tenant.", [("Brisco Compute", "Harrow Analytics")]),
    (
        "Halsey Cloud already counts Elvan Motors as a customer for 8,192 H200s. Brisco Compute names Kestle Bank as its anchor client.",
        [("Halsey Cloud", "Elvan Motors"), ("Brisco Compute", "Kestle Bank")],
    ),
    # a lease told by the thing leased
    (
        "Also in Leeds: Tolland Data's Wrexe hall is fully let to Brinkley Robotics.",
        [("Tolland Data", "Brinkley Robotics")],
    ),
    (
        "Pennard Estates' second building in Ashby has been leased to Kestle Pictures.",
        [("Pennard Estates", "Kestle Pictures")],
    ),
    (
        "Elsewhere, Carrow Data's Holme campus is now rented in full to Selby Games.",
        [("Carrow Data", "Selby Games")],
    ),
    (
        "Tavey Studios signed a five-year lease for 12 MW at Ravensty Data's Holme Mill site.",
        [("Ravensty Data", "Tavey Studios")],
    ),
    (
        "- Wexley Vision: 6 MW at Tolland Data's Crake Mill, five years",
        [("Tolland Data", "Wexley Vision")],
    ),
    # the announcer of a customer's signing at the announcer's own facility
    (
        "Halsey Cloud said on Monday that Fennick Labs has signed a three-year colocation agreement for 8 MW at Halsey's Barrow Mill facility.",
        [("Halsey Cloud", "Fennick Labs")],
    ),
    (
        "Ravensty Data also announced that Marrow Games, the studio behind the Fellside films, has agreed a ten-year lease at Ravensty's Ashby campus.",
        [("Ravensty Data", "Marrow Games")],
    ),
    # a second batch, written after the first passed, in other words
    ("The largest customer of Brisco Compute is Tavey Studios.", [("Brisco Compute", "Tavey Studios")]),
    ("Halsey Cloud's biggest tenant by far is Quarrel Media.", [("Halsey Cloud", "Quarrel Media")]),
    (
        "Halsey Cloud's customers are Pellin Health and Quarrel Media.",
        [("Halsey Cloud", "Pellin Health"), ("Halsey Cloud", "Quarrel Media")],
    ),
    (
        "Quarrel Media is still Halsey Cloud's only tenant at the Ashby site.",
        [("Halsey Cloud", "Quarrel Media")],
    ),
    (
        "Halsey Cloud also counts Pellin Health and Quarrel Media as users.",
        [("Halsey Cloud", "Pellin Health"), ("Halsey Cloud", "Quarrel Media")],
    ),
    (
        "Both halls at Pennard Estates' Ashby site are let to Kestle Pictures.",
        [("Pennard Estates", "Kestle Pictures")],
    ),
    (
        "Tolland Data has let its whole Wrexe hall to Brinkley Robotics.",
        [("Tolland Data", "Brinkley Robotics")],
    ),
    (
        "Kestle Pictures occupies the whole of Pennard Estates' Ashby building.",
        [("Pennard Estates", "Kestle Pictures")],
    ),
    (
        "Sollby Genomics moved into Carrow Data's Holme campus last spring.",
        [("Carrow Data", "Sollby Genomics")],
    ),
    (
        "In a statement, Ravensty Data said Marrow Games had taken 20 MW at Ravensty's York campus.",
        [("Ravensty Data", "Marrow Games")],
    ),
    # a third batch: the provider's name as an adjunct of the role noun, a bare label, an appositive
    # (not "has been a B customer since 2024": tests/test_passing_deal_flow.py holds that an earlier deal)
    ("Pellin Health became a Halsey Cloud tenant in 2024.", [("Halsey Cloud", "Pellin Health")]),
    (
        "A Halsey Cloud customer since 2023, Pellin Health expanded its use this year.",
        [("Halsey Cloud", "Pellin Health")],
    ),
    (
        "Halsey Cloud's existing customer Pellin Health will move to the new site.",
        [("Halsey Cloud", "Pellin Health")],
    ),
    ("Tolland Data, Pellin Health's landlord in Leeds, is expanding.", [("Tolland Data", "Pellin Health")]),
    ("Halsey Cloud already has Pellin Health as a customer.", [("Halsey Cloud", "Pellin Health")]),
    (
        "Halsey Cloud's data centre in Leeds is occupied by Pellin Health.",
        [("Halsey Cloud", "Pellin Health")],
    ),
    # a fourth batch
    ("Quarrel Media's GPUs sit in Halsey Cloud's Leeds hall.", [("Halsey Cloud", "Quarrel Media")]),
    ("Halsey Cloud counts among its tenants Quarrel Media.", [("Halsey Cloud", "Quarrel Media")]),
    ("Quarrel Media is one of roughly a dozen Halsey Cloud customers.", [("Halsey Cloud", "Quarrel Media")]),
    ("In Leeds, Tolland Data's Wrexe building houses Quarrel Media.", [("Tolland Data", "Quarrel Media")]),
    ("Halsey Cloud is Quarrel Media's landlord.", [("Halsey Cloud", "Quarrel Media")]),
]


@pytest.mark.parametrize(("sentences", "expected"), _TOLD, ids=[t[0][:40] for t in _TOLD])
def test_a_deal_told_by_a_possessive_or_by_the_thing_leased_is_read(sentences, expected):
    pairs = _pairs(_LEAD + sentences)
    assert ("Orrin Cloud", "Dovecote AI") in pairs
    for pair in expected:
        assert pair in pairs, pairs


@pytest.mark.parametrize(
    "sentence",
    [
        "Halsey Cloud's largest shareholder remains Rydal Capital.",
        "Halsey Cloud's biggest investor is Rydal Capital; Selside Ventures remains its second-largest.",
        "Halsey Cloud's former landlord's building is now let to nobody in particular, says Rydal Capital.",
        "Halsey Cloud's biggest investor Rydal Capital declined to comment.",
        "Halsey Cloud has Rydal Capital as a shareholder.",
        "Halsey Cloud's Leeds hall is owned by Rydal Capital.",
        "Tolland Data, Rydal Capital's partner in Leeds, is expanding.",
        "Halsey Cloud is Rydal Capital's biggest investor.",
    ],
)
def test_a_possessive_that_is_no_customer_makes_no_pair(sentence):
    pairs = _pairs(_LEAD + sentence)
    assert not any("Rydal Capital" in p or "Selside Ventures" in p for p in pairs), pairs


@pytest.mark.parametrize(
    ("sentence", "pair"),
    [
        (
            "The landlord of Tolland Data's Wrexe campus is Pennard Estates.",
            ("Tolland Data", "Pennard Estates"),
        ),
        ("Pellin Health was once a prospective Halsey Cloud customer.", ("Halsey Cloud", "Pellin Health")),
        ("Halsey Cloud's former tenant Pellin Health moved out in 2024.", ("Halsey Cloud", "Pellin Health")),
        (
            "Halsey Cloud's headquarters building is occupied by Pellin Health.",
            ("Halsey Cloud", "Pellin Health"),
        ),
    ],
)
def test_a_landlord_a_prospect_a_former_tenant_or_an_office_is_no_customer(sentence, pair):
    pairs = _pairs(_LEAD + sentence)
    assert pair not in pairs, pairs


def test_an_announced_colocation_deal_at_the_announcers_mill_is_the_main_deal():
    text = (
        "Ravensty Data and Marrow Games sign Holme Mill colocation agreement\n\n"
        "YORK, England, May 4, 2026 -- Ravensty Data today announced that Marrow Games, the games "
        "studio, has signed a five-year colocation agreement for 12 MW at Ravensty's Holme Mill "
        "facility in York. Marrow will pay £0.6 million per month.\n"
    )
    mentions = _mentions(text)
    assert mentions and (mentions[0].provider, mentions[0].customer) == ("Ravensty Data", "Marrow Games")
    assert all("Holme Mill" not in (m.provider, m.customer) for m in mentions)


@pytest.mark.parametrize(
    ("title", "body", "pair"),
    [
        (
            "Halsey Cloud lands Pellin Health",
            "Halsey Cloud today announced that Pellin Health, the diagnostics group, has signed a "
            "three-year agreement for 2,048 GPUs on Halsey's cloud.",
            ("Halsey Cloud", "Pellin Health"),
        ),
        (
            "Brisco Compute wins Tavey Studios",
            "Brisco Compute said Tavey Studios, the animation house, had signed up for 1,024 H200 GPUs "
            "over two years in Brisco's Leeds data centre.",
            ("Brisco Compute", "Tavey Studios"),
        ),
    ],
)
def test_a_customer_signing_for_the_announcers_own_capacity_is_the_main_deal(title, body, pair):
    mentions = _mentions(title + "\n\n" + body + "\n")
    assert mentions and (mentions[0].provider, mentions[0].customer) == pair
    assert mentions[0].is_main


def test_the_landlord_of_the_providers_building_is_no_party_of_the_tenants_deal():
    text = (
        "Colocation roundup: Marrow takes 12 MW in York\n\n"
        "- Marrow Games: 12 MW at Ravensty Data's Holme Mill, five years, about 7 million pounds a year\n"
        "- Start: June 2026\n"
        "- Landlord of the mill building: Pennard Estates (Ravensty holds a 25-year head lease)\n"
    )
    pairs = _pairs(text)
    assert ("Ravensty Data", "Marrow Games") in pairs
    assert not any("Pennard Estates" in p for p in pairs), pairs
    assert not any("Landlord" in p for p in pairs), pairs
