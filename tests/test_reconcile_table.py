"""A deals table analysts can trust (issue 10): one direction per pair, candidates with reasons,
rows consistent with themselves, derived values marked and rounded, evidence without duplicates."""

from __future__ import annotations

from datetime import date

from reconciliation.reconcile import reconcile
from tests.reconcile_story import CUSTOMER, PROVIDER, day, fact, money, record


def party_facts(provider: str, customer: str, rule: str = "parties.supply_to", confidence: float = 0.9):
    sentence = f"{provider} will supply GPU capacity to {customer}."
    return [
        fact("provider", provider, provider, sentence, confidence=confidence),
        fact("customer", customer, customer, sentence, confidence=confidence),
    ]


def told(article: str, publisher: str, provider=PROVIDER, customer=CUSTOMER, extra=(), **kw):
    facts = party_facts(provider, customer, confidence=kw.pop("confidence", 0.9)) + list(extra)
    return record(article, facts, publisher, provider=provider, customer=customer, **kw)


def deals_of(result, status="deal"):
    return [d for d in result.deals if d["status"] == status]


def test_a_minority_outlet_reversing_the_pair_is_outvoted_and_says_why():
    records = [
        told("r1", "Harbor Wire"),
        told("r2", "Quarry Daily"),
        told("r3", "Pinewood Post", provider=CUSTOMER, customer=PROVIDER, confidence=0.7),
    ]
    result = reconcile(records)
    (deal,) = result.deals
    assert (deal["provider"], deal["customer"]) == (PROVIDER, CUSTOMER) and deal["status"] == "deal"
    assert deal["source_count"] == 3
    outvoted = [e for e in result.evidence if e["article_id"] == "r3" and e["field"] == "provider"]
    assert outvoted and not outvoted[0]["used"] and outvoted[0]["why"].startswith("outvoted")
    assert all(e["used"] for e in result.evidence if e["article_id"] != "r3")


def test_reversed_pair_in_any_order_is_one_deal_with_one_id():
    records = [told("r1", "Harbor Wire"), told("r2", "Quarry Daily", provider=CUSTOMER, customer=PROVIDER)]
    one, other = reconcile(records), reconcile(records[::-1])
    assert [d["deal_id"] for d in one.deals] == [d["deal_id"] for d in other.deals]
    assert len(one.deals) == 1


def test_an_even_split_with_nothing_to_decide_it_is_a_candidate_not_a_deal():
    records = [told("r1", "Harbor Wire"), told("r2", "Quarry Daily", provider=CUSTOMER, customer=PROVIDER)]
    (deal,) = reconcile(records).deals
    assert deal["status"] == "candidate" and deal["reason_codes"] == ["direction_split"]
    assert "who supplies whom" in deal["reason"]


def test_two_agreements_each_with_its_own_sentences_keep_both_directions():
    gpu = {"deal_type": "compute"}
    records = [
        told("g1", "Harbor Wire", extra=[fact("hardware", "Nvidia GB300", "GB300")]),
        told("g2", "Quarry Daily", provider=CUSTOMER, customer=PROVIDER),
    ]
    records[1].mention.deal_type = "datacenter"
    assert records[0].mention.deal_type == gpu["deal_type"]
    result = reconcile(records)
    pairs = {(d["provider"], d["customer"]) for d in deals_of(result)}
    assert pairs == {(PROVIDER, CUSTOMER), (CUSTOMER, PROVIDER)}


def test_a_single_passing_mention_with_a_guessed_party_is_a_candidate_with_its_reason():
    passing = told(
        "p1", "Harbor Wire", provider="Quill Ridge", customer="Marlow", confidence=0.5, is_main=False
    )
    result = reconcile([passing, told("m1", "Harbor Wire")])
    (cand,) = deals_of(result, "candidate")
    assert cand["provider"] == "Quill Ridge" and cand["reason_codes"] == ["passing_doubtful_party"]
    assert [d["provider"] for d in deals_of(result)] == [PROVIDER]


def test_a_party_that_is_no_organization_or_only_one_party_makes_a_candidate():
    filing = told("f1", "Harbor Wire", provider="Marbleway S-1", customer=CUSTOMER)
    backer = told("f2", "Quarry Daily", provider="Ponder Street Capital", customer=CUSTOMER)
    alone = record("f3", [], "Pinewood Post", provider=PROVIDER, customer=None)
    result = reconcile([filing, backer, alone])
    reasons = {d["provider"]: d["reason_codes"] for d in deals_of(result, "candidate")}
    assert reasons == {
        "Marbleway S-1": ["not_an_organization"],
        "Ponder Street Capital": ["not_a_compute_party"],
        PROVIDER: ["one_party"],
    }
    assert deals_of(result) == []


def test_an_end_date_before_the_start_is_not_shown_and_a_conflict_says_why():
    dates = [
        day("start_date", "2027-01-01", "January 2027", "month"),
        day("end_date", "2026-06-30", "mid-2026"),
    ]
    result = reconcile([told("d1", "Harbor Wire", extra=dates), told("d2", "Quarry Daily", extra=dates[:1])])
    (deal,) = result.deals
    assert deal["start_date"] == date(2027, 1, 1) and deal["end_date"] is None
    assert deal["dropped_fields"] == ["end_date"]
    (c,) = result.conflicts
    assert c["field"] == "end_date" and "before the start date" in c["explanation"]
    end = [e for e in result.evidence if e["field"] == "end_date"]
    assert end and not end[0]["used"] and "before the start date" in end[0]["why"]


def test_a_construction_date_is_no_contract_date():
    build = day("end_date", "2026-09-30", "September 2026", "month", date_role="construction")
    term = fact("term_months", 180, "15-year")
    start = day("start_date", "2026-01-01", "January 2026", "month")
    result = reconcile([told("c1", "Harbor Wire", extra=[start, build, term])])
    (deal,) = result.deals
    assert deal["end_date"] is None and deal["term_months"] == 180
    (e,) = [e for e in result.evidence if e["field"] == "end_date"]
    assert not e["used"] and "construction" in e["why"]


def test_a_fee_from_a_yearly_figure_is_marked_derived_and_rounded_to_what_was_stated():
    yearly = money("monthly_fee", 1e9 / 12, "$1 billion a year", period="year", stated_amount=1e9)
    (deal,) = reconcile([told("y1", "Harbor Wire", extra=[yearly])]).deals
    assert deal["monthly_fee"] == 83.3e6
    assert deal["derived_fields"] == ["monthly_fee"] and "per-year" in deal["derivation"]
    dated = [
        day("start_date", "2026-07-01", "July 2026", "month"),
        day("end_date", "2028-06-30", "June 2028"),
    ]
    (deal,) = reconcile([told("y2", "Harbor Wire", extra=dated)]).deals
    assert deal["term_months"] == 24 and deal["derived_fields"] == ["term_months"]


def test_evidence_has_one_row_per_fact_and_names_its_mention():
    total = money("total_value", 2e9, "$2 billion")
    result = reconcile([told("e1", "Harbor Wire", extra=[total, total])])
    rows = [e for e in result.evidence if e["field"] == "total_value"]
    assert len(rows) == 1 and rows[0]["mention_id"] == "e1#0"


def test_a_site_host_linked_to_its_tenants_customer_by_a_directionless_sentence_is_a_candidate():
    host, tenant, lab = "Ridgeback Data Centers", "Orbital Forge", "Lumen Lattice AI"
    records = [
        told("h1", "Harbor Wire", provider=host, customer=tenant),
        told("h2", "Harbor Wire", provider=tenant, customer=lab, index=1),
        told("h3", "Quarry Daily", provider=host, customer=lab, confidence=0.7, is_main=False),
    ]
    result = reconcile(records)
    (cand,) = deals_of(result, "candidate")
    assert (cand["provider"], cand["customer"]) == (host, lab)
    assert cand["reason_codes"] == ["chain_shortcut"] and "which supplies" in cand["reason"]
    assert {(d["provider"], d["customer"]) for d in deals_of(result)} == {(host, tenant), (tenant, lab)}


def test_one_agreement_told_under_a_partys_earlier_name_is_one_deal():
    same = [money("total_value", 480e6, "$480 million"), fact("hardware", "AMD MI355X", "MI355X")]
    records = [
        told("n1", "Harbor Wire", customer="Kobold Analytics", extra=same),
        told("n2", "Quarry Daily", customer="Kobold Analytics", extra=same),
        told("n3", "Pinewood Post", customer="Zephyrine Systems", extra=same),
        told(
            "n4",
            "Pinewood Post",
            customer="Gaon Interactive",
            index=1,
            extra=[money("total_value", 90e6, "$90M")],
        ),
    ]
    result = reconcile(records)
    customers = sorted((d["customer"], d["source_count"]) for d in deals_of(result))
    assert customers == [("Gaon Interactive", 1), ("Kobold Analytics", 3)]


def test_a_value_the_articles_main_deal_states_is_not_also_the_passing_deals():
    total = money("total_value", 2e9, "$2 billion")
    main = told("v1", "Harbor Wire", extra=[total])
    passing = told(
        "v1",
        "Harbor Wire",
        provider="Quill Ridge Cloud",
        customer=CUSTOMER,
        extra=[total],
        is_main=False,
        index=1,
    )
    result = reconcile([main, passing])
    by_provider = {d["provider"]: d for d in result.deals}
    assert (
        by_provider[PROVIDER]["total_value"] == 2e9
        and by_provider["Quill Ridge Cloud"]["total_value"] is None
    )
    (e,) = [e for e in result.evidence if e["mention_id"] == "v1#1" and e["field"] == "total_value"]
    assert not e["used"] and "main deal" in e["why"]


def test_companies_related_to_the_parties_are_evidence_not_conflicts():
    backer = fact("related_party", "Pellham Ventures", "Pellham Ventures", role="investor")
    lender = fact("related_party", "Northgate Bank", "Northgate Bank", role="lender")
    result = reconcile(
        [told("b1", "Harbor Wire", extra=[backer]), told("b2", "Quarry Daily", extra=[lender])]
    )
    assert result.conflicts == []
    assert {e["value"] for e in result.evidence if e["field"] == "related_party"} == {
        "Pellham Ventures",
        "Northgate Bank",
    }
