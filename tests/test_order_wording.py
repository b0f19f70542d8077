"""How an order or a rented hall is worded decides direction and deal type: a provider that wins an
order names its customer after "from" (the noun "order" is not the customer's buying verb); an order
named by what it buys ("a server order") is a hardware sale; a hall rented from a landlord is a
data-center deal.

Every sentence was written for this test with invented companies."""

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles


def _pairs(text: str) -> set[tuple[str | None, str | None]]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    return {(m.provider, m.customer) for m in result.mentions}


@pytest.mark.parametrize(
    "sentence",
    [
        "Brindle Compute won an order for 12,000 GPUs from Dovecote AI, the company said.",
        "Brindle Compute has won a contract for 4,000 accelerators worth $900 million from Dovecote AI.",
    ],
)
def test_order_won_from_a_customer_keeps_the_winner_as_provider(sentence):
    pairs = _pairs("Brindle lands Dovecote order\n\n" + sentence)
    assert ("Brindle Compute", "Dovecote AI") in pairs
    assert ("Dovecote AI", "Brindle Compute") not in pairs


def test_buying_from_a_provider_still_reads_as_buying():
    pairs = _pairs(
        "Dovecote buys capacity\n\n"
        "Dovecote AI will buy $900 million of GPU capacity from Brindle Compute over three years."
    )
    assert ("Brindle Compute", "Dovecote AI") in pairs


def _types(text: str) -> dict[tuple[str | None, str | None], str | None]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    return {(m.provider, m.customer): m.deal_type for m in result.mentions}


def test_an_order_named_by_what_it_buys_is_a_hardware_sale():
    types = _types(
        "Ashgrove Systems wins Dovecote business\n\n"
        "Ashgrove Systems announced a ~$600m server order from Dovecote AI. "
        "Deliveries start in Q4 and run into 2Q27."
    )
    assert types.get(("Ashgrove Systems", "Dovecote AI")) == "hardware"


def test_a_hall_rented_from_a_landlord_is_a_datacenter_deal():
    types = _types(
        "Brindle signs studio\n\n"
        "Brindle Compute will rent 256 GPUs to Halvard Studios for 12 months. "
        "The GPUs sit in a hall in Fresno, California, that Brindle Compute rents from Marlowe Realty, "
        "a data-center landlord."
    )
    assert types.get(("Marlowe Realty", "Brindle Compute")) == "datacenter"


def test_what_an_expansion_adds_to_keeps_the_earlier_terms_apart():
    (result,) = extract_articles(
        [
            Article(
                article_id="t",
                url="u",
                text=(
                    "Brindle Compute expands Dovecote AI deal\n\n"
                    "Brindle Compute will supply another 1,024 Nvidia GB300 GPUs to Dovecote AI, the two "
                    "companies said on Tuesday, expanding a contract signed in May. Dovecote will pay "
                    "Brindle an additional $5 million a month for the extra capacity, which comes online "
                    "in June 2027. The new chips add to the 2,048 GB300s that Dovecote agreed in May to "
                    "rent from Brindle for $11 million a month over four years."
                ),
            )
        ]
    )
    main = {f.field: f.value for f in result.mentions[0].facts}
    assert main.get("monthly_fee") == pytest.approx(5e6)
    assert main.get("accelerator_count") == 1024
    assert main.get("term_months") != 48


def test_a_main_partys_short_name_keeps_its_clause_on_the_main_deal():
    """A passing deal that stored the main customer's short name does not take the main deal's
    clause ("Larkfield will run inference on Ostrow's fleet in Montreal")."""
    (result,) = extract_articles(
        [
            Article(
                article_id="t",
                url="u",
                text=(
                    "Larkfield's goblins will live on Ostrow Cloud\n\n"
                    "Game studio Larkfield Games has picked Ostrow Cloud to run the language models that "
                    "power the goblins in Dim Hollow 2, in a contract Ostrow announced on Wednesday.\n\n"
                    "The deal runs for two years from May 2026 and is worth $24 million. Larkfield will "
                    "run inference on Ostrow's Nvidia L40S fleet in Montreal.\n\n"
                    "Larkfield is not new to buying infrastructure: it already leases 6 MW of data-center "
                    "space from Gravesend Data in Omaha for its multiplayer servers."
                ),
            )
        ]
    )
    located = {m.provider: {f.value for f in m.facts if f.field == "location"} for m in result.mentions}
    assert located["Ostrow Cloud"] == {"Montreal"}
    assert located["Gravesend Data"] == {"Omaha"}
