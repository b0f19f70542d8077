"""Deal type from what is rented, on wordings written for this test with invented companies: a GPU
cloud running inference or clusters for a customer sells compute; power supplied or rented by the
megawatt is a data-center deal; a tenant leasing buildings from a landlord is one; building servers
for a customer is a hardware sale; chips supplied under a term in months are a rental."""

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles


def _types(text: str) -> dict[tuple[str, str], str]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    return {(m.provider, m.customer): m.deal_type for m in result.mentions}


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
    types = _types(text)
    assert types.get(pair) == kind, types
