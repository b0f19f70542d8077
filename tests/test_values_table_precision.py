"""What a blind set throws at the `deals` table: sentences that name two companies and a data center
or a figure but tell no compute deal between them (a founder, an investor, a guarantor, a landlord, a
joint-venture partner, a product, a funding round, a power purchase, a stalled letter of intent, an
earnings backlog, a cancelled lease), and values of another relationship told beside a real deal.
None may become a deal, and none of their values may land on the real deal's row. Every company is
invented, so no gazetteer can help."""

import pytest

from extractors.amounts import find_amounts
from extractors.models import Article
from extractors.money import classify
from extractors.pipeline import extract_articles

REAL = (
    "Corrowin Cloud signs Tessaly Labs to three-year GPU contract\n\n"
    "Corrowin Cloud will provide Tessaly Labs with 2,048 Nvidia B200 GPUs under a three-year "
    "contract worth $420 million, the companies said on Monday. "
)


def _mentions(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    return result.mentions


def _pairs(text: str) -> set[tuple[str | None, str | None]]:
    return {(m.provider, m.customer) for m in _mentions(text)}


def _main(text: str):
    mentions = _mentions(text)
    assert mentions and (mentions[0].provider, mentions[0].customer) == ("Corrowin Cloud", "Tessaly Labs")
    return mentions[0]


def _values(mention, field: str) -> list:
    return [f.value for f in mention.facts if f.field == field]


@pytest.mark.parametrize(
    "extra, stranger",
    [
        (
            "Tessaly was founded in 2022 by Mirela Vantongeren, who said compute is its largest cost.",
            "Mirela",
        ),
        ("Tessaly, a Brannock Ventures-backed start-up, raised $90 million in March.", "Brannock Ventures"),
        ("Holmcrest Capital guarantees Corrowin's lease on the Reddale campus.", "Holmcrest Capital"),
        ("Corrowin owns the site through a joint venture with Aldergate Realty.", "Aldergate Realty"),
        ("Tessaly trains its Quorra-4 model on the cluster.", "Quorra-4"),
        (
            "Corrowin buys its power from Wenlow Energy under a 15-year power purchase agreement.",
            "Wenlow Energy",
        ),
        ("Analyst Petra Osgood of Farnham Securities called the deal a milestone.", "Farnham Securities"),
    ],
)
def test_people_backers_guarantors_landlords_partners_and_products_add_no_deal(extra, stranger):
    pairs = _pairs(REAL + extra)
    assert ("Corrowin Cloud", "Tessaly Labs") in pairs
    assert not any(stranger in (p or "") or stranger in (c or "") for p, c in pairs)


def test_the_providers_landlord_is_its_own_lease_never_a_party_of_the_customers_deal():
    # a hall the provider leases is a data-center deal of its own, told in passing (the labeled sets
    # count it: table_tune9's Dunmere/Okeford), but the landlord never supplies the provider's customer
    mentions = _mentions(REAL + "Corrowin leases the Reddale hall from the landlord Pelligan Properties.")
    pairs = {(m.provider, m.customer): m for m in mentions}
    assert mentions[0].is_main and (mentions[0].provider, mentions[0].customer) == (
        "Corrowin Cloud",
        "Tessaly Labs",
    )
    assert ("Pelligan Properties", "Tessaly Labs") not in pairs
    assert not any(c == "Pelligan Properties" for _, c in pairs)
    lease = pairs.get(("Pelligan Properties", "Corrowin Cloud"))
    assert lease is not None and not lease.is_main
    assert not {f.field for f in lease.facts} & {"total_value", "term_months", "hardware"}


@pytest.mark.parametrize(
    "text",
    [
        # a funding round of a GPU cloud
        "Quennet Cloud raises $300 million to expand GPU fleet\n\n"
        "Quennet Cloud, a GPU cloud provider, said on Tuesday it had raised $300 million in a Series C "
        "round led by Harwick Partners to buy more Nvidia B200 GPUs.",
        # a power purchase agreement
        "Stellion Data signs wind power deal with Crane Valley Energy\n\n"
        "Stellion Data has signed a 12-year power purchase agreement with Crane Valley Energy for 150 MW "
        "of wind power to supply its Ardley data center campus.",
        # a letter of intent that stalled
        "Morrow AI's talks with Brenlow Compute stall\n\n"
        "A letter of intent under which Morrow AI would have rented 4,000 GPUs from Brenlow Compute "
        "has stalled, the two companies said.",
        # an earnings backlog
        "Fernhill Cloud backlog climbs to $4 billion\n\n"
        "Fernhill Cloud said its contracted backlog rose to $4 billion at the end of the quarter, "
        "up from $2.6 billion a year earlier, as revenue grew 80%.",
        # a cancelled lease plan
        "Ostrell Robotics drops planned 30 MW lease with Kinver Data\n\n"
        "Ostrell Robotics has cancelled its plan to lease 30 MW from Kinver Data in Dayton, Ohio, the "
        "two companies confirmed. The letter of intent never turned into a lease.\n\n"
        "Ostrell said it would keep its existing cloud capacity. Kinver is offering the hall, which "
        "would have cost Ostrell about $40 million a year, to other tenants.",
    ],
)
def test_near_miss_articles_make_no_deal(text):
    assert _pairs(text) == set()


def test_another_customer_served_by_a_party_does_not_lend_its_hardware_to_the_deal():
    main = _main(
        REAL + "Corrowin currently runs Nvidia H100 clusters for the game publisher Ilbrook Interactive, "
        "its largest customer."
    )
    assert _values(main, "hardware") == ["Nvidia B200"]


def test_a_hardware_purchase_priced_after_the_batch_keeps_its_total_and_qualifier():
    text = "Halvern Cloud is buying 6,000 Nvidia B200 GPUs - about 1.1 billion dollars' worth, it said."
    (amount,) = find_amounts(text)
    assert classify(text, amount)[0] == "deal" and amount.qualifier == "about"
    other = "Halvern Cloud, which is buying 6,000 GPUs, is valued at $2 billion."
    (amount,) = find_amounts(other)
    assert classify(other, amount)[0] == "other"


def test_who_confirmed_a_deal_is_not_who_may_terminate_it():
    main = _main(
        REAL + "The deal replaces a contract Tessaly cancelled last year, the two companies confirmed."
    )
    assert _values(main, "termination_by") == []


@pytest.mark.parametrize(
    "body, deal_type",
    [
        (
            "Ormsby Cloud will provide Pellick AI with dedicated computing capacity under a three-year "
            "agreement worth $200 million.",
            "compute",
        ),
        (
            "Pellick AI will rent MI355X servers from Ormsby Cloud for two years under a $90 million "
            "agreement.",
            "compute",
        ),
        (
            "Pellick AI signed a four-year, $200 million contract for cloud computing with Ormsby Cloud.",
            "cloud",
        ),
    ],
)
def test_a_gpu_cloud_renting_capacity_sells_compute_and_a_cloud_service_stays_cloud(body, deal_type):
    mentions = _mentions("Ormsby Cloud signs Pellick AI\n\n" + body)
    assert [(m.provider, m.customer, m.deal_type) for m in mentions][:1] == [
        ("Ormsby Cloud", "Pellick AI", deal_type)
    ]


@pytest.mark.parametrize(
    "sentence, town",
    [
        ("Ormsby will run the cluster for Pellick in its Tornhaven region from March.", "Tornhaven"),
        (
            "Ormsby runs its GPUs in a former paper mill in Vellamo, about 500 km north of the capital.",
            "Vellamo",
        ),
        (
            "Ormsby has leased 12 MW at its Kestrel Park campus near Ballyrone, County Marren, to Pellick.",
            "Ballyrone, County Marren",
        ),
    ],
)
def test_a_site_in_a_town_no_gazetteer_lists_gives_the_location(sentence, town):
    from extractors.models import Sentence
    from extractors.places import place_facts

    facts = place_facts(Sentence(text=sentence, start=0, index=1))
    assert [f.value for f in facts if f.field == "location"] == [town]


@pytest.mark.parametrize(
    "sentence",
    [
        "The cluster runs in Ormsby's Tornhaven facility and comes online in July.",
        "Ormsby will supply Pellick from data centers in Europe and the United States.",
    ],
)
def test_an_owner_or_several_places_are_no_location(sentence):
    from extractors.models import Sentence
    from extractors.places import place_facts

    facts = place_facts(Sentence(text=sentence, start=0, index=1))
    assert [f.value for f in facts if f.field == "location"] == []


def test_a_filings_labelled_dates_are_the_contracts_start_and_end():
    from datetime import UTC, datetime

    from extractors.models import ArticleContext, Sentence
    from extractors.values import extract_values

    ctx = ArticleContext(published_at=datetime(2026, 11, 6, tzinfo=UTC), title="Ormsby 8-K")
    got = {
        f.field: f.value
        for line in ("- Commencement date: July 1, 2027", "- Expiration date: June 30, 2042")
        for f in extract_values(Sentence(text=line, start=0, index=3), ctx)
    }
    assert got == {"start_date": "2027-07-01", "end_date": "2042-06-30"}


def test_a_roundup_items_own_date_stays_with_that_item():
    """A newsletter item about two companies of no deal ends "Announced Friday.": that date is theirs,
    not the article's main deal's (the sentence names no company, but its paragraph does)."""
    from extractors.clause_facts import assign_facts
    from extractors.companies import CompanyResolver
    from extractors.deal_drafts import DealDraft, SentenceAnalysis
    from extractors.models import Fact, Sentence
    from extractors.parties import CompanyMention

    def analysis(text: str, start: int, paragraph: int, names=(), facts=()) -> SentenceAnalysis:
        companies = [CompanyMention(n, start + text.index(n), start + text.index(n) + len(n)) for n in names]
        return SentenceAnalysis(Sentence(text, start), companies, facts=list(facts), paragraph=paragraph)

    third = "Tarnley Cloud will train Quisto Bio's models on 512 B200s."
    dated = Fact("announced_on", "2026-08-07", "Friday", "Announced Friday.", 210, 216, "dates.announced")
    analyses = [
        analysis(
            "Ormsby Cloud will provide Pellick AI with 1,024 GPUs.", 0, 0, ("Ormsby Cloud", "Pellick AI")
        ),
        analysis(third, 100, 1, ("Tarnley Cloud", "Quisto Bio")),
        analysis("Announced Friday.", 200, 1, facts=[dated]),
    ]
    main = DealDraft("Ormsby Cloud", "Pellick AI")
    assign_facts([main], analyses, CompanyResolver())
    assert main.facts == []
    # one outsider named beside the deal (an adviser) does not take the paragraph's next sentences
    adviser = "Brackwell Partners advised on the contract."
    analyses[1] = analysis(adviser, 100, 1, ("Brackwell Partners",))
    main = DealDraft("Ormsby Cloud", "Pellick AI")
    assign_facts([main], analyses, CompanyResolver())
    assert main.facts == [dated]


def test_a_filing_day_is_when_the_deal_was_made_public():
    from datetime import UTC, datetime

    from extractors.models import ArticleContext, Sentence
    from extractors.values import extract_values

    ctx = ArticleContext(published_at=datetime(2026, 8, 4, 16, tzinfo=UTC), title="Ormsby S-1")
    sentence = Sentence(
        text="Ormsby Cloud filed its S-1 yesterday, naming Pellick AI as its customer.", start=0
    )
    assert [f.value for f in extract_values(sentence, ctx) if f.field == "announced_on"] == ["2026-08-03"]


def test_an_inline_list_item_about_other_companies_keeps_its_hardware():
    from extractors.clause_facts import assign_facts
    from extractors.companies import CompanyResolver
    from extractors.deal_drafts import DealDraft, SentenceAnalysis
    from extractors.models import Fact, Sentence
    from extractors.parties import CompanyMention

    text = "Key points - Ormsby Cloud signed Pellick AI for 1,024 H200 GPUs - Tarnley Cloud ordered 512 B300 racks"
    names = ("Ormsby Cloud", "Pellick AI", "Tarnley Cloud")
    companies = [CompanyMention(n, text.index(n), text.index(n) + len(n)) for n in names]
    facts = [
        Fact("hardware", model, model, text, text.index(model), text.index(model) + 4, "hardware.model")
        for model in ("H200", "B300")
    ]
    main = DealDraft("Ormsby Cloud", "Pellick AI")
    assign_facts([main], [SentenceAnalysis(Sentence(text, 0), companies, facts=facts)], CompanyResolver())
    assert [f.value for f in main.facts] == ["H200"]
