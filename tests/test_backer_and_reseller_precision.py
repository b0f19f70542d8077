"""An investment firm is never a compute party, and a reseller's supplier is never its customer's
provider (issue 10, sixth round). Every company here is invented.

A firm named like an investor ("… Capital", "… Partners", "… Ventures") buys stakes, not capacity,
whatever else the sentence says; a bank does buy cloud and stays a customer when its own deal says
so. A broker B that rents from A and resells to C makes A -> B and B -> C, never A -> C: when a
passing remark only guesses its buyer, and the guess is the buyer of the article's own deal from
another provider, the guess is the reseller's customer, not the remark's."""

from __future__ import annotations

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles
from reconciliation.reconcile import reconcile
from tests.reconcile_story import fact, record
from tests.test_reconcile_table import deals_of, told


def _pairs(text: str) -> list[tuple[str | None, str | None]]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return [(m.provider, m.customer) for m in result.mentions]


def _sided(provider: str, customer: str, sentence: str, provider_conf: float, customer_conf: float):
    return [
        fact("provider", provider, provider, sentence, confidence=provider_conf),
        fact("customer", customer, customer, sentence, confidence=customer_conf),
    ]


@pytest.mark.parametrize("tail", ["Capital", "Partners", "Ventures"])
def test_an_investment_firm_named_as_buyer_by_its_own_deal_is_no_party(tail):
    # even a strong buyer frame in the article's own deal does not make a fund a customer of compute
    firm = f"Ashby Ridge {tail}"
    result = reconcile([told("s1", "Harbor Wire", provider="Tolmere Compute", customer=firm)])
    assert deals_of(result) == []
    (cand,) = deals_of(result, "candidate")
    assert cand["reason_codes"] == ["not_a_compute_party"]


def test_a_bank_whose_own_deal_names_it_the_buyer_stays_a_customer():
    # the near miss: banks buy cloud, so a bank named as the buyer by a role frame stays a deal
    result = reconcile([told("b1", "Harbor Wire", provider="Tolmere Cloud", customer="Penmore Bank")])
    assert [(d["provider"], d["customer"]) for d in deals_of(result)] == [("Tolmere Cloud", "Penmore Bank")]


@pytest.mark.parametrize(
    "text",
    [
        "Ashby Ridge Capital takes 12% of Tolmere Compute\n\n"
        "Ashby Ridge Capital has bought a 12% stake in Tolmere Compute for $140 million, the GPU cloud said. "
        "The stake is an equity investment only; Ashby Ridge will not rent capacity from Tolmere.",
        # the same denial with another verb and a company that is not named like a fund
        "Halbeck Robotics backs Tolmere Compute\n\n"
        "Halbeck Robotics has put $30 million into Tolmere Compute for a minority holding. "
        "Halbeck said it does not lease any GPUs from Tolmere Compute.",
    ],
)
def test_a_sentence_that_says_the_buyer_will_not_rent_makes_no_pair(text):
    assert _pairs(text) == []


def test_a_rental_next_to_a_refusal_of_something_else_still_makes_its_pair():
    # the near miss: the negation is about another thing, the rental itself is stated
    pairs = _pairs(
        "Quarby Labs rents GPUs from Dunmoor Compute\n\n"
        "Quarby Labs will rent 2,000 H200 GPUs from Dunmoor Compute for $9 million a month over two years. "
        "Quarby said it would not build its own data center."
    )
    assert ("Dunmoor Compute", "Quarby Labs") in pairs


def _reseller_story(guess_conf: float):
    """Article r1: Dunmoor (a broker) supplies Quarby; a passing remark names Dunmoor's own supplier
    Ferrow with only a guessed buyer (the first company named: Quarby)."""
    main = told("r1", "Harbor Wire", provider="Dunmoor Compute", customer="Quarby Labs")
    aside = record(
        "r1",
        _sided(
            "Ferrow Cloud", "Quarby Labs", "The broker leases the GPUs from Ferrow Cloud.", 1.0, guess_conf
        ),
        "Harbor Wire",
        provider="Ferrow Cloud",
        customer="Quarby Labs",
        is_main=False,
        index=1,
    )
    return main, aside


def test_a_resellers_supplier_is_not_its_customers_provider():
    result = reconcile(list(_reseller_story(guess_conf=0.5)))
    pairs = {(d["provider"], d["customer"]) for d in deals_of(result)}
    assert pairs == {("Dunmoor Compute", "Quarby Labs")}
    (cand,) = deals_of(result, "candidate")
    assert (cand["provider"], cand["customer"]) == ("Ferrow Cloud", "Quarby Labs")
    assert cand["reason_codes"] == ["passing_guess_is_main_party"]


def test_a_second_provider_of_the_same_buyer_stated_by_a_role_frame_stays():
    # the near miss: "Quarby also rents capacity from Ferrow Cloud" names both sides; it is a deal
    result = reconcile(list(_reseller_story(guess_conf=0.9)))
    pairs = {(d["provider"], d["customer"]) for d in deals_of(result)}
    assert pairs == {("Dunmoor Compute", "Quarby Labs"), ("Ferrow Cloud", "Quarby Labs")}


def test_a_guess_naming_a_company_that_is_no_party_of_the_articles_deal_is_not_held_back_for_it():
    # the rule is about the article's own buyer only: a guess of another company is judged as before
    main = told("g1", "Harbor Wire", provider="Dunmoor Compute", customer="Quarby Labs")
    aside = record(
        "g1",
        _sided("Ferrow Cloud", "Lenwade Robotics", "Ferrow Cloud also won Lenwade Robotics.", 1.0, 0.5),
        "Harbor Wire",
        provider="Ferrow Cloud",
        customer="Lenwade Robotics",
        is_main=False,
        index=1,
    )
    result = reconcile([main, aside])
    codes = [c for d in deals_of(result, "candidate") for c in d["reason_codes"]]
    assert "passing_guess_is_main_party" not in codes


def test_a_guessed_provider_that_is_the_articles_own_provider_still_supplies_another_customer():
    # the near miss: "In May the company agreed to provide 512 GPUs to Lenwade Robotics" guesses the
    # article's own provider, which does supply many customers: the row stands
    main = told("p1", "Harbor Wire", provider="Dunmoor Compute", customer="Quarby Labs")
    aside = record(
        "p1",
        _sided(
            "Dunmoor Compute",
            "Lenwade Robotics",
            "The company agreed to provide GPUs to Lenwade Robotics.",
            0.5,
            0.9,
        ),
        "Harbor Wire",
        provider="Dunmoor Compute",
        customer="Lenwade Robotics",
        is_main=False,
        index=1,
    )
    pairs = {(d["provider"], d["customer"]) for d in deals_of(reconcile([main, aside]))}
    assert ("Dunmoor Compute", "Lenwade Robotics") in pairs


def _mentions(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return result.mentions


def test_a_contract_worth_a_sum_to_a_company_is_that_companys_sale_and_keeps_its_own_values():
    # an analyst's "The X contract is worth $N a month to Y": Y sells to X; the fee is that deal's,
    # not the one of a customer the note names after it
    mentions = _mentions(
        "Dunmoor Compute: a sticky win\n\n"
        "The Quarby Labs contract is worth about $7 million a month to Dunmoor Compute and runs to March 2029. "
        "Dunmoor also serves Lenwade Robotics, which pays on time."
    )
    main = next(m for m in mentions if m.is_main)
    assert (main.provider, main.customer) == ("Dunmoor Compute", "Quarby Labs")
    assert {f.field for f in main.facts} >= {"monthly_fee", "end_date"}
    others = [m for m in mentions if not m.is_main]
    assert all("monthly_fee" not in {f.field for f in m.facts} for m in others)


def test_a_contract_worth_a_sum_to_its_shareholders_names_no_provider():
    # the near miss: "worth … to investors" names no company after "to"
    pairs = _pairs(
        "Dunmoor Compute results\n\nThe Quarby Labs contract is worth about $7 million a month to investors, "
        "an analyst said."
    )
    assert ("Dunmoor Compute", "Quarby Labs") not in pairs and ("Quarby Labs", "Dunmoor Compute") not in pairs


def test_a_guessed_main_buyer_with_no_reseller_word_keeps_its_second_supplier():
    # the near miss: "It also rents TPUs from Ferrow Cloud" guesses the article's own buyer, rightly:
    # a buyer with two suppliers, no middleman between them
    main = told("q1", "Harbor Wire", provider="Dunmoor Compute", customer="Quarby Labs")
    aside = record(
        "q1",
        _sided("Ferrow Cloud", "Quarby Labs", "It also rents TPUs from Ferrow Cloud.", 1.0, 0.5),
        "Harbor Wire",
        provider="Ferrow Cloud",
        customer="Quarby Labs",
        is_main=False,
        index=1,
    )
    pairs = {(d["provider"], d["customer"]) for d in deals_of(reconcile([main, aside]))}
    assert ("Ferrow Cloud", "Quarby Labs") in pairs
