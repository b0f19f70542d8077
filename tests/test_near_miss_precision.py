"""No deals row from a near miss, and each row consistent with itself (issue 10, fourth round).

A stake whose own words deny any agreement, a round whose money will buy chips, a cancelled lease,
a lapsed letter of intent told again in a later sentence, a product named by its maker, a company
called by a short form of its earlier name, and a year-only end date that a term contradicts. Every
company here is invented."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles
from reconciliation.reconcile import reconcile
from reconciliation.renames import current_name, rename_links
from tests.reconcile_story import CUSTOMER, PROVIDER, day, fact, record


def _pairs(text: str) -> list[tuple[str | None, str | None]]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return [(m.provider, m.customer) for m in result.mentions]


@pytest.mark.parametrize(
    "text",
    [
        # an equity stake whose article says no rental comes with it
        "Halvard Cloud buys 9% of Pentreath Labs\n\n"
        "Halvard Cloud has paid $95 million for a 9% holding in Pentreath Labs, a maker of chemistry models. "
        "The purchase does not include any contract for Pentreath to rent Halvard's servers, a Halvard "
        "spokesperson said.",
        # a funding round whose money is meant for chips: the chip maker sells nothing here yet
        "Quenby Cloud closes $250 million Series B\n\n"
        "Quenby Cloud, a GPU rental start-up in Leeds, has closed a $250 million Series B round led by "
        "Marlow Peak Partners. Quenby plans to spend the proceeds on about 9,000 Trevane T4 accelerators "
        "from Trevane Semiconductor and on a 20 MW hall in Sheffield.",
        # a lease given up, told with the landlord's name in the same sentence
        "Tresco AI ends Bramwell lease\n\n"
        "Tresco AI has terminated a 40 MW lease at Bramwell Data's campus in Ohio, paying a $25 million fee, "
        "Bramwell said on Friday.",
        # a lapsed letter of intent, then a later sentence about what was set aside for the buyer
        "Kinross Compute's plan with Altmore Foods falls through\n\n"
        "A letter of intent under which Altmore Foods would have rented 1,500 GPUs from Kinross Compute "
        "has lapsed without a contract, the two companies said. Kinross said the racks reserved for "
        "Altmore would go to other customers.",
        # a bid that lost, and a lease an authority blocked
        "Quorrel Cloud loses Tamsin AI tender\n\n"
        "Quorrel Cloud bid to supply Tamsin AI with 6,000 GPUs for three years but lost the contract to a "
        "rival, Tamsin said on Tuesday.",
        "Regulator blocks Varrow lease\n\n"
        "The competition authority has blocked a planned 80 MW lease under which Dellick AI would have "
        "rented space at Varrow Data's campus in Dublin, the regulator said on Monday.",
        # a building without a tenant whose only supplier is the grid
        "Harnley Data starts third hall in Leipzig\n\n"
        "Harnley Data has begun building a 60 MW hall at its Leipzig campus and has not signed a tenant. "
        "Harnley has secured 70 MW of grid power for the hall from the regional network operator Elstra Netz.",
    ],
)
def test_a_near_miss_makes_no_pair(text):
    assert _pairs(text) == []


def test_a_product_named_after_its_maker_is_not_a_party():
    pairs = _pairs(
        "Carrick Cloud signs a design studio\n\n"
        "The design studio behind Moonfall will pay Carrick Cloud $90,000 a week under a one-year "
        "agreement for rendering capacity."
    )
    assert all("Moonfall" not in (p or "") and "Moonfall" not in (c or "") for p, c in pairs)


def test_a_short_form_of_an_earlier_name_is_read_under_the_current_name():
    links = rename_links(
        [("Veldhoven Cloud", "Ombrel AI", "Veldhoven Cloud, formerly Pimlico Hosting, will host Ombrel AI.")]
    )
    assert current_name("Pimlico", links) == "Veldhoven Cloud"
    assert current_name("Ombrel AI", links) == "Ombrel AI"


def test_a_short_form_two_earlier_names_share_links_nothing():
    links = rename_links(
        [
            (
                "Veldhoven Cloud",
                "Ombrel AI",
                "Veldhoven Cloud, formerly Pimlico Hosting, will host Ombrel AI.",
            ),
            ("Sarn Data", "Tavy Labs", "Sarn Data, formerly Pimlico Networks, will host Tavy Labs."),
        ]
    )
    assert current_name("Pimlico", links) == "Pimlico"


def test_a_year_only_end_that_the_term_contradicts_is_not_shown():
    values = [
        day("start_date", "2027-03-01", "March 2027", "month"),
        fact("term_months", 18, "18 months"),
        day("end_date", "2028-12-31", "through 2028", "year"),
    ]
    facts = [
        fact("provider", PROVIDER, PROVIDER, f"{PROVIDER} will supply GPUs to {CUSTOMER}.", confidence=0.9),
        fact("customer", CUSTOMER, CUSTOMER, f"{PROVIDER} will supply GPUs to {CUSTOMER}.", confidence=0.9),
    ]
    result = reconcile([record("a1", facts + values, "Harbor Wire")])
    (deal,) = result.deals
    assert deal["start_date"] == date(2027, 3, 1) and deal["term_months"] == 18
    assert deal["end_date"] is None
    (end,) = [e for e in result.evidence if e["field"] == "end_date"]
    assert not end["used"] and "18 months" in end["why"]


def test_the_original_contracts_end_is_not_the_new_tranches():
    text = (
        "Fennick Cloud adds 2,048 GPUs for Solway Voice\n\n"
        "Fennick Cloud will supply Solway Voice with 2,048 Nvidia B200 GPUs for 24 months from March 2027. "
        "The original contract, signed in 2024, covers 512 H100 GPUs and runs through the end of 2026."
    )
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    main = next(m for m in result.mentions if m.is_main)
    fields = {f.field: f.value for f in main.facts}
    assert fields.get("term_months") == 24 and "end_date" not in fields
    others = [f.value for m in result.mentions if not m.is_main for f in m.facts if f.field == "end_date"]
    assert others == ["2026-12-31"]


def test_a_denial_after_the_deal_is_told_keeps_the_deal():
    pairs = _pairs(
        "Ambry Cloud signs Kestow AI\n\n"
        "Ambry Cloud will supply Kestow AI with 4,000 H200 GPUs for two years under a $180 million contract. "
        "Kestow AI denied a report that it would double the order from Ambry Cloud next year."
    )
    assert ("Ambry Cloud", "Kestow AI") in pairs
