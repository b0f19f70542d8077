"""Rows the right way round, with the fields an analyst reads: an analyst's bare ticker is no party,
"announced an order from Y" makes the announcer the seller, a press release's defined terms ('the
"Lease"') are no companies, "X's other tenant, Y" makes X the landlord, "$1bn+" is more than $1bn, and
the party that may terminate is the one the terminate verb belongs to. Every company is invented."""

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles


def _mentions(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return result.mentions


def _pairs(text: str) -> list[tuple[str | None, str | None]]:
    return [(m.provider, m.customer) for m in _mentions(text)]


def _fact(text: str, field: str):
    return next((f for m in _mentions(text) for f in m.facts if f.field == field), None)


def test_an_analysts_ticker_with_its_rating_is_the_company_not_a_party():
    pairs = _pairs(
        "Garnet Systems (GRNT): Hollowby win confirms ramp; reiterate Buy\n\n"
        "Garnet (GRNT, Buy, PT $50) announced yesterday a ~$300m server order from Hollowby Cloud, "
        "the former Dunmore Mining. Deliveries start in Q4."
    )
    assert pairs and pairs[0] == ("Garnet Systems", "Hollowby Cloud")
    assert all("GRNT" not in (p, c) for p, c in pairs)


@pytest.mark.parametrize("verb", ["announced", "disclosed", "reported"])
def test_announcing_an_order_from_a_buyer_makes_the_announcer_the_seller(verb):
    pairs = _pairs(
        "Server makers ride the AI wave\n\n"
        f"Ostrander Systems on Monday {verb} a $420 million server order from Velmont Cloud, "
        "its largest to date."
    )
    assert ("Ostrander Systems", "Velmont Cloud") in pairs
    assert ("Velmont Cloud", "Ostrander Systems") not in pairs


def test_a_press_releases_defined_terms_are_not_companies():
    text = (
        "Cardell Data Centers Signs 30 MW, 12-Year Lease with Brisby AI at Oxley Campus\n\n"
        'Cardell Data Centers, Inc. (NASDAQ: CRDL) ("Cardell" or the "Company") today announced that it '
        'has entered into a lease agreement (the "Lease") with Brisby AI, Inc. ("Brisby" or the '
        '"Tenant") for 30 megawatts at the Company\'s Oxley campus.\n\n'
        '- Initial term of 12 years, commencing March 1, 2028 (the "Commencement Date");\n'
        "- Base rent of approximately $4.1 million per month."
    )
    mentions = _mentions(text)
    assert mentions and (mentions[0].provider, mentions[0].customer) == ("Cardell Data Centers", "Brisby AI")
    names = {n for m in mentions for n in (m.provider, m.customer)}
    assert not names & {"Lease", "Commencement Date", "Company"}


def test_a_filing_summary_of_its_lease_with_a_tenant_is_a_deal_with_its_exit_terms():
    text = (
        "8-K watch: Cardell details Brisby lease\n\n"
        "Cardell Data Centers (CRDL) filed an 8-K on Tuesday describing its new lease with Brisby AI "
        "at the Oxley campus.\n\n"
        "- Term: the lease commences on March 1, 2028 and expires on February 28, 2040.\n"
        "- Early termination: the tenant may terminate after the 96th month on 180 days' written "
        "notice. The landlord has no right to terminate for convenience."
    )
    mentions = _mentions(text)
    assert mentions and (mentions[0].provider, mentions[0].customer) == ("Cardell Data Centers", "Brisby AI")
    facts = {f.field: f.value for f in mentions[0].facts}
    assert facts.get("termination_by") == "customer"
    assert facts.get("termination_lockin_months") == 96
    assert facts.get("end_date") == "2040-02-28"


def test_a_landlords_other_tenant_is_its_customer_and_told_in_passing():
    mentions = _mentions(
        "Hallam Colo adds a tenant in Dallas\n\n"
        "Hallam Colo said on Monday it had signed a new lease with Corvane AI for 10 MW at its "
        "Dallas campus.\n\n"
        "- Hallam's other AI tenant, Pryce Systems, took 4 MW at the company's second building last year."
    )
    pairs = {(m.provider, m.customer): m.is_main for m in mentions}
    assert pairs.get(("Hallam Colo", "Corvane AI")) is True
    assert pairs.get(("Hallam Colo", "Pryce Systems")) is False
    assert ("Pryce Systems", "Hallam Colo") not in pairs


def test_a_plus_after_an_amount_is_more_than():
    fact = _fact(
        "Ostrander Systems to ship 8,000 accelerators to Velmont Cloud in $1bn+ order\n\n"
        "Ostrander Systems will sell 8,000 accelerators to Velmont Cloud, the companies said.",
        "total_value",
    )
    assert fact is not None and fact.value == 1e9 and fact.attrs.get("qualifier") == "more than"


def test_either_party_that_may_terminate_wins_over_a_role_named_earlier_in_the_clause():
    fact = _fact(
        "Tessaly Compute signs Orwin Genomics for GPU cluster\n\n"
        "Tessaly Compute will provide Orwin Genomics with 1,024 GPUs in Frankfurt. Under the agreement: "
        "- the service term is 30 months; - the Customer pays a fixed fee of EUR 3.1 million per quarter; "
        "- neither party may terminate during the first 12 months; thereafter either party may "
        "terminate on 60 days' written notice.",
        "termination_by",
    )
    assert fact is not None and fact.value == "either"


def test_a_standing_clients_label_does_not_take_the_place_of_the_articles_deal():
    mentions = _mentions(
        "Korean GPU cloud doubles down\n\n"
        "Vashti Cloud is buying 9,000 AMD MI355X GPUs, the company said yesterday. Vashti's biggest "
        "client, Orrin Games, runs on Nvidia H100 today."
    )
    pairs = {(m.provider, m.customer): m.is_main for m in mentions}
    assert pairs.get(("AMD", "Vashti Cloud")) is True
    assert pairs.get(("Vashti Cloud", "Orrin Games")) is False


def test_a_cloud_that_runs_workloads_for_a_company_is_its_provider_in_passing():
    mentions = _mentions(
        "Fennick Cloud wins $500 million contract from Tollan Labs\n\n"
        "Fennick Cloud will provide Tollan Labs with 2,048 GPUs for three years. Fennick raised $300 "
        "million in June and already runs inference workloads for Marrow Health under a contract "
        "signed last year."
    )
    pairs = {(m.provider, m.customer): m.is_main for m in mentions}
    assert pairs.get(("Fennick Cloud", "Tollan Labs")) is True
    assert pairs.get(("Fennick Cloud", "Marrow Health")) is False


def test_signing_a_contract_in_a_month_to_rent_capacity_makes_the_signer_the_customer():
    mentions = _mentions(
        "Ostrander Systems to ship 8,000 accelerators to Velmont Cloud\n\n"
        "Ostrander Systems will sell 8,000 accelerators to Velmont Cloud, the companies said. Velmont "
        "already has a tenant lined up: Quarrel Translate, which signed a two-year contract with "
        "Velmont in August to rent capacity for its models."
    )
    pairs = {(m.provider, m.customer) for m in mentions}
    assert ("Velmont Cloud", "Quarrel Translate") in pairs
    assert ("Quarrel Translate", "Velmont Cloud") not in pairs


@pytest.mark.parametrize(
    ("landlord", "is_deal"),
    [("Corvel Realty", True), ("Ossory Pictures", True), ("Ballinrobe", False)],
)
def test_a_party_named_once_in_passing_stands_when_its_name_says_it_is_a_business(landlord, is_deal):
    from reconciliation.reconcile import reconcile
    from tests.test_reconcile_table import deals_of, told

    passing = told("p1", "Harbor Wire", provider=landlord, customer="Tamsin Cloud", is_main=False)
    result = reconcile([passing, told("m1", "Harbor Wire")])
    stood = {d["provider"] for d in deals_of(result)}
    assert (landlord in stood) is is_deal
    if not is_deal:
        (cand,) = deals_of(result, "candidate")
        assert cand["reason_codes"] == ["passing_doubtful_party"]


def test_a_standing_tenants_label_never_takes_the_articles_lease_terms():
    mentions = _mentions(
        "Tollan AI goes colo: 12 MW in a new Dallas-area building\n\n"
        "Tollan AI is taking 12 MW in a building that is going up now. The seven-year lease starts in "
        "2028 and is worth about $25 million a year.\n\n"
        "- Hallam's other AI tenant, Pryce Systems, took 6 MW at the company's older building last year."
    )
    for m in mentions:
        if (m.provider, m.customer) == ("Hallam", "Pryce Systems") or m.customer == "Pryce Systems":
            assert not m.is_main
            assert not {f.field for f in m.facts} & {"term_months", "start_date", "monthly_fee"}


def test_a_chipmakers_sale_to_a_gpu_rental_company_is_a_hardware_deal():
    (main, *_) = _mentions(
        "AMD lands a $700 million MI355X order from Velmont Cloud\n\n"
        "AMD confirmed on Tuesday that it will sell 8,000 of its MI355X accelerators to Velmont "
        "Cloud, a young GPU rental company, in an order valued at about $700 million."
    )
    assert (main.provider, main.customer, main.deal_type) == ("AMD", "Velmont Cloud", "hardware")
