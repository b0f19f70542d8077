"""Deals told in passing are found (issue 10, recall): each mechanism with invented companies, the
passing deal showing up the right way round, and the doubtful cases still held back."""

from __future__ import annotations

from extractors.models import Article
from extractors.pipeline import extract_articles
from reconciliation.reconcile import reconcile
from tests.reconcile_story import CUSTOMER, PROVIDER, fact
from tests.test_reconcile_table import deals_of, told


def _mentions(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    return result.mentions


def test_an_article_whose_own_deal_cannot_be_read_still_tells_its_passing_deal():
    mentions = _mentions(
        "Tollan AI goes colo\n\n"
        "Tollan AI is taking 12 MW at BRK-3, the building Hallam Colo is putting up now. The seven-year "
        "lease starts in 2028.\n\n"
        "* Hallam's other AI tenant, Pryce Systems, took 6 MW at the company's BRK-2 building last year."
    )
    assert [(m.provider, m.customer, m.is_main) for m in mentions] == [
        ("Hallam Colo", "Pryce Systems", False)
    ]
    assert not {f.field for f in mentions[0].facts} & {"term_months", "start_date"}


def test_a_payment_clause_does_not_reach_across_a_quote_to_the_outlet_told():
    mentions = _mentions(
        "Fjordvik Data signs Torvald Intelligence\n\n"
        "Fjordvik Data will host the GPU cluster of Torvald Intelligence from next year. Torvald shall pay "
        "NOK 300 million per year, the manager of Fjordvik, Kari Lund, told Dalen Avis."
    )
    assert ("Torvald Intelligence", "Fjordvik Data") not in {(m.provider, m.customer) for m in mentions}
    assert not any("Dalen" in (m.provider or "") for m in mentions)


def test_a_passing_mention_with_a_role_frame_stands_beside_a_known_company():
    # "Orbital Forge still provides Thistle Anvil with a rendering cluster": a role frame names both,
    # and Orbital Forge is a party of another article's own deal
    passing = told("p1", "Harbor Wire", provider=PROVIDER, customer="Thistle Anvil", is_main=False)
    result = reconcile([passing, told("m1", "Quarry Daily")])
    assert (PROVIDER, "Thistle Anvil") in {(d["provider"], d["customer"]) for d in deals_of(result)}


def test_a_guessed_or_one_word_passing_party_is_still_only_a_candidate():
    guessed = told(
        "p1", "Harbor Wire", provider=PROVIDER, customer="Thistle Anvil", is_main=False, confidence=0.7
    )
    lone = told("p2", "Pinewood Post", provider=PROVIDER, customer="Gristle", is_main=False)
    result = reconcile([guessed, lone, told("m1", "Quarry Daily")])
    assert {d["customer"] for d in deals_of(result, "candidate")} == {"Thistle Anvil", "Gristle"}


def test_a_bank_buying_cloud_as_an_articles_own_deal_is_a_customer():
    bank = told("b1", "Harbor Wire", customer="Marlpit Bank")
    (deal,) = reconcile([bank]).deals
    assert (deal["provider"], deal["customer"], deal["status"]) == (PROVIDER, "Marlpit Bank", "deal")


def test_a_fund_named_as_a_backer_is_no_customer_even_in_a_role_frame():
    backer = fact(
        "related_party", "Hallvik Capital", "Hallvik Capital-backed", role="backer", counterpart=None
    )
    misread = told("b1", "Harbor Wire", customer="Hallvik Capital", extra=[backer])
    lender = told("b2", "Quarry Daily", provider="Ponder Street Capital", customer=CUSTOMER)
    result = reconcile([misread, lender])
    assert deals_of(result) == []
    reasons = {(d["provider"], d["customer"]): d["reason_codes"] for d in deals_of(result, "candidate")}
    assert reasons[(PROVIDER, "Hallvik Capital")] == ["not_a_compute_party"]
    assert reasons[("Ponder Street Capital", CUSTOMER)] == ["not_a_compute_party"]


_LEAD = "Orrin Cloud signs Dovecote AI\n\nOrrin Cloud will supply 4,096 GPUs to Dovecote AI for three years. "


def _passing(aside: str) -> set[tuple[str | None, str | None]]:
    return {(m.provider, m.customer) for m in _mentions(_LEAD + aside) if not m.is_main}


def test_a_time_between_said_and_that_keeps_the_sale_told_in_passing():
    aside = "Separately, Halbrook Semiconductors said on Monday that Fenmoor Cloud agreed to buy 5,000 of its cards."
    assert ("Halbrook Semiconductors", "Fenmoor Cloud") in _passing(aside)


def test_hosting_the_models_of_a_company_makes_it_the_customer():
    aside = "Orrin Cloud already hosts the claims-triage models of Trelby Insurance."
    assert ("Orrin Cloud", "Trelby Insurance") in _passing(aside)


def test_training_anything_on_a_companys_cluster_makes_the_trainer_its_customer():
    aside = "Penwick Robotics, for one, trains its warehouse-arm policies on a Orrin Cloud H100 cluster."
    assert ("Orrin Cloud", "Penwick Robotics") in _passing(aside)


def test_a_customer_of_a_company_is_no_place():
    mentions = _mentions(
        "Dovecote AI picks a cloud\n\nDovecote AI last week signed up with Orrin Cloud for GPU capacity.\n\n"
        "Dovecote AI will rent GPUs from Orrin Cloud from January. It tested other clouds first. "
        "The tests took months. It compared prices. It also tested Glenby Analytics' tooling, but "
        "Glenby Analytics is a customer of Orrin, not a cloud."
    )
    assert [(m.provider, m.customer, m.is_main) for m in mentions][:1] == [
        ("Orrin Cloud", "Dovecote AI", True)
    ]
    assert ("Orrin Cloud", "Glenby Analytics", False) in [
        (m.provider, m.customer, m.is_main) for m in mentions
    ]


def test_the_company_a_start_up_spun_out_of_is_no_party():
    mentions = _mentions(
        "Hollby AI goes colo\n\nHollby AI, the company that spun out of Greyholm Bank's research group two "
        "years ago, will lease 12 MW at Westbay Colo's Garland building."
    )
    assert not any("Greyholm" in (m.provider or "") + (m.customer or "") for m in mentions)


def test_a_known_name_at_the_end_of_a_longer_name_is_not_cut_out_of_it():
    # "Digital Realty" is a known company; "Sagebrush Digital Realty" is another one
    aside = "Dovecote AI leases its Reno data center from Sagebrush Digital Realty under a 15-year lease."
    assert ("Sagebrush Digital Realty", "Dovecote AI") in _passing(aside)
    assert not any(p == "Digital Realty" for p, _ in _passing(aside))


def test_a_campus_hosting_another_tenant_stands_for_the_provider_that_runs_it():
    mentions = _mentions(
        "Veldmoor Data Centers signs 120 MW lease with Quillon AI\n\n"
        "Veldmoor Data Centers today announced a 15-year lease agreement with Quillon AI for 120 MW at its "
        "Harrow Ridge campus in Abilene, Texas. Harrow Ridge already hosts Ashby Search, which took the "
        "campus's first 30 MW building in 2025."
    )
    pairs = [(m.provider, m.customer, m.is_main) for m in mentions]
    assert pairs[0] == ("Veldmoor Data Centers", "Quillon AI", True)
    assert ("Veldmoor Data Centers", "Ashby Search", False) in pairs
    assert not any(p == "Harrow Ridge" for p, _, _ in pairs)


def test_an_earlier_contract_between_the_same_parties_is_its_own_row():
    from tests.reconcile_story import record

    text = (
        "Lanmere Speech doubles down on Brackley Compute\n\n"
        "Lanmere Speech will add 2,048 Nvidia GB200 GPUs from Brackley Compute for $9 million a month, from "
        "April 2027 until March 2029.\n\n"
        "The expansion sits on top of the 2025 contract under which Brackley supplies Lanmere with 1,024 H100s "
        "through the end of 2027."
    )
    mentions = _mentions(text)
    records = [
        record(
            "x1",
            m.facts,
            "Harbor Wire",
            provider=m.provider,
            customer=m.customer,
            is_main=m.is_main,
            index=m.mention_index,
        )
        for m in mentions
    ]
    rows = deals_of(reconcile(records))
    counts = sorted(r["accelerator_count"] for r in rows if r["customer"] == "Lanmere Speech")
    assert counts == [1024, 2048]
    assert all(r["provider"] == "Brackley Compute" for r in rows)
