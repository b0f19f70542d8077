"""Deals told in passing, fourth round (issue 10, recall): a passing sentence with no deal cue word
is still read when it names a full company name; a headline pair whose lead cannot be read leaves
a later pair in passing; an object phrase with a possessive; a value whose sentence makes a passing
party the other side of another deal; an insurer named in passing is a company. Invented names."""

from __future__ import annotations

from extractors.models import Article
from extractors.pipeline import extract_articles
from reconciliation.candidates import STRONG_RULE
from reconciliation.reconcile import reconcile
from tests.reconcile_story import PROVIDER
from tests.test_reconcile_table import deals_of, told


def _mentions(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return result.mentions


def _pairs(text: str) -> list[tuple[str | None, str | None, bool]]:
    return [(m.provider, m.customer, m.is_main) for m in _mentions(text)]


_LEAD = (
    "Orrin Cloud signs Dovecote AI\n\n"
    "Orrin Cloud will supply 4,096 GPUs to Dovecote AI for three years, the companies said on Tuesday.\n\n"
    "Dovecote AI builds speech models for call centres. Its chief executive called the contract a milestone.\n\n"
)


def test_a_passing_sale_with_no_cue_word_is_read_when_it_names_a_full_company_name():
    # "ship … to" is no transaction cue and the sentence has no amount: only the name "Pellin Cloud"
    # says a company is introduced there
    text = _LEAD + "Orrin also said it would ship its older servers to Pellin Cloud later on."
    pairs = _pairs(text)
    assert pairs[0] == ("Orrin Cloud", "Dovecote AI", True)
    assert ("Orrin Cloud", "Pellin Cloud", False) in pairs


def test_a_headline_pair_the_lead_does_not_read_leaves_a_later_pair_in_passing():
    text = (
        "Harlen Bio announces five-year compute commitment to Oskary Compute\n\n"
        "Harlen Bio today announced a five-year commitment to Oskary Compute worth $90 million.\n\n"
        "The programme covers antibody design. Harlen employs 900 people.\n\n"
        "Harlen said it would also ship its older servers to Wendle Cloud, which resells them."
    )
    mentions = _mentions(text)
    wendle = [m for m in mentions if m.customer == "Wendle Cloud"]
    assert wendle, [(m.provider, m.customer) for m in mentions]
    assert not wendle[0].is_main
    assert not {f.field for f in wendle[0].facts} & {"total_value", "term_months"}


def test_an_object_with_a_possessive_still_reaches_the_tenant():
    text = (
        _LEAD + "Orrin has already leased 8 MW in the campus's second hall to Morrant Cloud, a render farm."
    )
    assert ("Orrin Cloud", "Morrant Cloud", False) in _pairs(text)


def test_a_roundup_value_paid_to_a_passing_buyer_is_not_that_buyers_purchase():
    text = (
        "Compute Notes: two contracts and an order\n\n"
        "Welcome back to the newsletter.\n\n"
        "Corvel Cloud and Amberlin Health. The hospital software maker is paying Corvel about $40 million "
        "over three years for a dedicated cluster. Corvel also bought B300 racks from Tessaly Systems.\n\n"
        "Orrin Cloud and Dovecote AI. Dovecote AI will pay Orrin Cloud $2 million a month for two years."
    )
    racks = [m for m in _mentions(text) if (m.provider, m.customer) == ("Tessaly Systems", "Corvel Cloud")]
    assert racks
    assert not {f.field for f in racks[0].facts} & {"total_value", "term_months"}


def test_an_insurer_told_in_passing_in_an_undirected_frame_is_a_deal_row():
    # "Orrin signed a similar, smaller agreement with Pellow Assurance": an undirected frame (0.7)
    # whose unknown party ends like a business in any trade stands; a bare unknown name does not
    insurer = told("p1", "Harbor Wire", customer="Pellow Assurance", is_main=False, confidence=0.7)
    bare = told("p2", "Pinewood Post", customer="Pellow Thistle", is_main=False, confidence=0.7)
    result = reconcile([insurer, bare, told("m1", "Quarry Daily")])
    assert (PROVIDER, "Pellow Assurance") in {(d["provider"], d["customer"]) for d in deals_of(result)}
    assert "Pellow Thistle" in {d["customer"] for d in deals_of(result, "candidate")}


def test_capacity_leased_to_a_company_in_the_passive_is_the_main_providers_deal():
    text = (
        "Calder Ridge Data Centers leases 90 MW in Oregon to Quillon AI\n\n"
        "Calder Ridge Data Centers said on Monday it has leased 90 MW at its Bramley campus in Hillsboro, "
        "Oregon to Quillon AI under a ten-year lease.\n\n"
        "A further 15 MW in the campus's first hall is already leased to Tessaly Search."
    )
    mentions = _mentions(text)
    pairs = [(m.provider, m.customer, m.is_main) for m in mentions]
    assert pairs[0] == ("Calder Ridge Data Centers", "Quillon AI", True)
    assert ("Calder Ridge Data Centers", "Tessaly Search", False) in pairs
    (tenant,) = [m for m in mentions if m.customer == "Tessaly Search"]
    (provider,) = [f for f in tenant.facts if f.field == "provider"]
    # the main deal's provider, not a guess: the pair is not held back as "only a guess"
    assert provider.confidence >= STRONG_RULE
    assert not {f.field for f in tenant.facts} & {"term_months", "monthly_fee", "total_value"}


def test_capacity_of_a_company_that_another_buys_in_a_relative_clause_is_their_deal():
    text = _LEAD + (
        "Orrin can price low for a reason: much of its fleet is wholesale Fennick Cloud capacity that "
        "Orrin buys in bulk and resells."
    )
    assert ("Fennick Cloud", "Orrin Cloud", False) in _pairs(text)


def test_a_roundup_item_header_with_a_slash_names_two_companies():
    text = (
        "Compute Notes: the week's contracts\n\n"
        "Welcome back to the newsletter.\n\n"
        "1) Orrin Cloud / Dovecote Games. Dovecote, the studio behind Emberfall, signed a three-year cloud "
        "contract with Orrin Cloud worth $36 million."
    )
    names = {n for p, c, _ in _pairs(text) for n in (p, c)}
    assert not any(n and " / " in n for n in names)
    assert "Orrin Cloud" in names


def test_a_short_form_of_a_company_whose_own_deal_is_told_is_known_in_passing():
    # one article's own deal names "Harlow Games"; another article's aside says only "Harlow"
    own = told("m1", "Quarry Daily", provider="Tessaly Cloud", customer="Harlow Games")
    aside = told(
        "p1", "Harbor Wire", provider="Fennick Data", customer="Harlow", is_main=False, confidence=0.7
    )
    lone = told(
        "p2", "Pinewood Post", provider="Fennick Data", customer="Marlow", is_main=False, confidence=0.7
    )
    result = reconcile([own, aside, lone])
    assert ("Fennick Data", "Harlow") in {(d["provider"], d["customer"]) for d in deals_of(result)}
    assert "Marlow" in {d["customer"] for d in deals_of(result, "candidate")}
