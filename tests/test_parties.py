"""Who provides and who pays, from wording an outlet might use, for companies no list knows."""

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles


def _main(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    assert result.is_deal_relevant, result.reason
    return result.mentions[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "Dovecote AI will pay Brindle Compute $40 million a month for GPU capacity.",
        "Brindle Compute will provide Dovecote AI with 12,000 GPUs under a three-year contract.",
        "Dovecote AI signed a deal with Brindle Compute for access to Brindle Compute's GPU cluster.",
        "Dovecote AI is renting GPU capacity from Brindle Compute in a $900 million deal.",
        "Dovecote AI tapped Brindle Compute for 8,000 accelerators worth $700 million.",
        "Brindle Compute landed Dovecote AI as a customer for its new GPU cluster, a $1 billion deal.",
        "Brindle Compute will supply 20,000 GPUs to Dovecote AI under a $2 billion contract.",
        "Dovecote AI will buy capacity from Brindle Compute for $500 million over two years.",
        "Dovecote AI will be provided with compute capacity by Brindle Compute for $30 million a month.",
        "Dovecote AI has booked $800 million of GPU time with Brindle Compute over two years.",
        "Under the agreement, Dovecote AI gets 30,000 H200 GPUs from Brindle Compute for $1.1 billion.",
        "The Dovecote AI–Brindle Compute agreement covers 20,000 GPUs for three years.",
        "Brindle Compute will host Dovecote AI's new training cluster under a $1.5 billion contract.",
        "Brindle Compute said it had signed Dovecote AI as the anchor tenant of its new GPU campus.",
        "Twenty thousand accelerators will be supplied to Dovecote AI by Brindle Compute in a $900 million order.",
        "Dovecote AI and Brindle Compute announced a partnership under which Brindle Compute will deploy "
        "40,000 GPUs for Dovecote AI's model training.",
        "Dovecote AI is paying Brindle Compute roughly $50 million every month for access to its cluster.",
    ],
)
def test_role_frames(sentence):
    m = _main("Compute deal\n\n" + sentence)
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


def test_provider_and_customer_facts_carry_evidence_and_span():
    text = "Compute deal\n\nDovecote AI will pay Brindle Compute $40 million a month for GPU capacity."
    m = _main(text)
    facts = {f.field: f for f in m.facts}
    for role, name in (("provider", "Brindle Compute"), ("customer", "Dovecote AI")):
        f = facts[role]
        assert f.value == name
        assert text[f.start_char : f.end_char] == name
        assert "will pay" in f.sentence


def test_short_form_and_legal_suffix_resolve_to_canonical_name():
    m = _main(
        "Sparrowhill Networks Inc. (NASDAQ: SPRW) lands GPU customer\n\n"
        "Sparrowhill Networks Inc. (NASDAQ: SPRW) said Olvera Labs will pay it $25 million a month "
        "for access to Sparrowhill's GPU cloud. Olvera will pay Sparrowhill from January 2027."
    )
    assert (m.provider, m.customer) == ("Sparrowhill Networks", "Olvera Labs")


def test_outlets_and_investors_are_not_parties():
    m = _main(
        "Compute pact\n\nOlvera Labs, a startup backed by Fenwood Ventures, will pay Brindle Compute "
        "$10 million a month for GPU capacity, Reuters reported, citing Bloomberg."
    )
    assert (m.provider, m.customer) == ("Brindle Compute", "Olvera Labs")


def test_hardware_vendor_is_not_the_provider():
    m = _main(
        "GPU pact\n\nOlvera Labs signed an agreement with Brindle Compute for access to 4,000 Nvidia "
        "GB200 chips in Brindle Compute's Ohio data center."
    )
    assert (m.provider, m.customer) == ("Brindle Compute", "Olvera Labs")


def test_headline_descriptor_resolves_to_body_customer():
    text = (
        "A Fenwood-backed AI startup will pay $2 billion for access to a Brindle Compute cluster\n\n"
        "Olvera Labs will pay Brindle Compute $50 million a month for GPU capacity starting in 2027."
    )
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    assert [(m.provider, m.customer) for m in result.mentions] == [("Brindle Compute", "Olvera Labs")]


def test_all_caps_headline_and_bullets():
    m = _main(
        "DOVECOTE AI WINS $2BN BRINDLE COMPUTE GPU CONTRACT\n\n"
        "* Five-year deal for GPU capacity\n* Seller: Brindle Compute Corp. (NYSE: BRCP)\n* Buyer: Dovecote AI"
    )
    assert {m.provider, m.customer} == {"Brindle Compute", "Dovecote AI"}


def test_dateline_outlet_is_not_a_party():
    m = _main(
        "Compute order\n\nSAN JOSE, Calif., Aug 4 (Kellerman Wire) - Twenty thousand accelerators will be "
        "supplied to Dovecote AI by Brindle Compute under an order worth $900 million."
    )
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


def test_sentence_initial_descriptor_word_is_not_part_of_the_name():
    m = _main(
        "Chip order\n\nChipmaker Obelisk will supply 50,000 accelerators to Zephyra in a $2.5 billion order."
    )
    assert (m.provider, m.customer) == ("Obelisk", "Zephyra")
    assert m.deal_type == "hardware"


def test_deal_type_follows_the_deal_sentences():
    cloud = _main(
        "Cloud deal\n\nDovecote AI will spend $3 billion a year on Brindle Cloud services for seven years."
    )
    dc = _main(
        "Lease signed\n\nBrindle Grid has agreed to lease 200 megawatts at its Cedar Falls campus to Dovecote AI "
        "for 15 years."
    )
    assert (cloud.deal_type, dc.deal_type) == ("cloud", "datacenter")
