"""Deal type from what is rented, sixth round (issue 10): an accelerator model's capacity from a GPU
cloud is compute; space leased, or a landlord's buildings let to a tenant, or megawatts taken at a
building, are a data-center deal, read from the pair's own sentences before the article's context;
when outlets disagree the majority decides. Wordings written for this test with invented companies,
with near misses.

Fifth round's wordings (read without a page title): a GPU cloud running inference or clusters for a
customer sells compute; power supplied or rented by the megawatt is a data-center deal; a tenant
leasing buildings from a landlord is one; building servers for a customer is a hardware sale;
chips supplied under a term in months are a rental."""

from __future__ import annotations

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles
from reconciliation.reconcile import reconcile
from tests.test_reconcile_table import deals_of, told


def _types(text: str, headline: bool = True) -> dict[tuple[str, str], str]:
    """Each pair's deal type; the first line is also the page title when ``headline``."""
    title = text.split("\n")[0] if headline else None
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=title)])
    return {(m.provider, m.customer): m.deal_type for m in result.mentions}


@pytest.mark.parametrize(
    ("text", "pair", "kind"),
    [
        # a GPU cloud renting out a named accelerator's capacity sells compute
        (
            "Orrick Cloud lands Havelow Labs\n\nOrrick Cloud will supply Havelow Labs with Nvidia B200 "
            "capacity for three years at $14 million a month.",
            ("Orrick Cloud", "Havelow Labs"),
            "compute",
        ),
        # the near miss: a cloud service contract of a bank stays cloud
        (
            "Penmore Bank moves to Orrick Cloud\n\nPenmore Bank will move its payments systems onto Orrick "
            "Cloud under a six-year cloud services contract worth $300 million.",
            ("Orrick Cloud", "Penmore Bank"),
            "cloud",
        ),
        # space leased from an operator is a data-center deal
        (
            "Tansley AI takes space in Lyon\n\nTansley AI has agreed to lease space from Bexmoor "
            "Infrastructure in Lyon for 12 years, paying about €900 million, the lab said.",
            ("Bexmoor Infrastructure", "Tansley AI"),
            "datacenter",
        ),
        # a landlord that owns the buildings and leases them to a tenant
        (
            "Ravelston Cloud signs a landlord\n\nFellmoor Estates owns the Quarrydale buildings and leases "
            "them to Ravelston Cloud under a 15-year agreement.",
            ("Fellmoor Estates", "Ravelston Cloud"),
            "datacenter",
        ),
    ],
)
def test_deal_type_follows_what_is_rented(text, pair, kind):
    assert _types(text).get(pair) == kind


def test_a_majority_still_decides_the_type():
    # the near miss: two outlets say compute, one datacenter: the majority wins
    rows = [
        told(f"m{i}", pub, provider="Orrick Cloud", customer="Havelow Labs")
        for i, pub in enumerate(["Harbor Wire", "Quarry Daily", "Pinewood Post"])
    ]
    rows[0].mention.deal_type, rows[1].mention.deal_type, rows[2].mention.deal_type = (
        "compute",
        "compute",
        "datacenter",
    )
    (deal,) = deals_of(reconcile(rows))
    assert deal["deal_type"] == "compute"


def test_a_landlords_lease_told_beside_a_gpu_deal_is_a_data_center_deal():
    # the article's own deal rents GPUs; the provider's landlord leasing it buildings is space and power
    types = _types(
        "Ravelston Cloud signs Havelow Labs\n\n"
        "Ravelston Cloud will supply Havelow Labs with 20,000 Nvidia B200 GPUs for four years. "
        "The GPUs sit in the Quarrydale buildings. Fellmoor Estates owns the Quarrydale buildings and leases "
        "them to Ravelston Cloud under a 15-year lease, so the cloud firm carries rent long after this contract."
    )
    assert types.get(("Fellmoor Estates", "Ravelston Cloud")) == "datacenter"
    assert types.get(("Ravelston Cloud", "Havelow Labs")) == "compute"


@pytest.mark.parametrize(
    ("text", "pair", "kind"),
    [
        (
            "Wrenfield Search hands inference to Tolland Cloud\n\nWrenfield Search has agreed to pay Tolland "
            "Cloud $20 million a month for 12 months of inference capacity starting March 1, 2027.",
            ("Tolland Cloud", "Wrenfield Search"),
            "compute",
        ),
        (
            "Brisket Labs signs with Ostley Data\n\nOstley Data, which also supplies Harrier Cloud with 9 MW "
            "in Boise, agreed a ten-year deal to host Brisket Labs in Idaho.",
            ("Ostley Data", "Harrier Cloud"),
            "datacenter",
        ),
        (
            "Marlow Systems wins rack order\n\nHollin Compute will buy $300 million of GB300 racks from "
            "Marlow Systems, Hollin said on Monday. Marlow also builds MI355X servers for Pellam Cloud.",
            ("Marlow Systems", "Pellam Cloud"),
            "hardware",
        ),
        (
            "Torvane Health to get 4,096 accelerators\n\nTorvane Health will be supplied with 4,096 AMD "
            "MI355X accelerators by Corrick Compute under a 30-month agreement valued at $150 million.",
            ("Corrick Compute", "Torvane Health"),
            "compute",
        ),
    ],
)
def test_the_deal_type_follows_what_is_rented(text, pair, kind):
    types = _types(text, headline=False)
    assert types.get(pair) == kind, types
