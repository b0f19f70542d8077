"""How real AI-compute deal news is worded, category by category: cloud products that name their
owner, sellers announcing a customer with a neutral verb, leases and hosting, reverse purchases,
two-way deals, earnings stories, non-compute deals, roundups, and the market gazetteer.

Every paragraph was written for this test (real and invented companies); none is copied from an
article or a fixture."""

import time

import pytest

from extractors.companies import canonical_name, gazetteer_patterns, kind_of, known_companies
from extractors.models import Article
from extractors.pipeline import extract_articles


def _result(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    return result


def _pairs(text: str) -> set[tuple[str | None, str | None]]:
    return {(m.provider, m.customer) for m in _result(text).mentions}


def _main(text: str):
    result = _result(text)
    assert result.is_deal_relevant, result.reason
    assert result.mentions, "no deal found"
    return result.mentions[0]


# 1. A cloud product names its owner: the owner is the provider.
@pytest.mark.parametrize(
    "text, provider, customer",
    [
        (
            "Quillmark AI has contracted to purchase an incremental $40 billion of Azure services, "
            "the startup said on Tuesday. The commitment runs through 2031.",
            "Microsoft",
            "Quillmark AI",
        ),
        (
            "Dovecote Labs will spend $12 billion on Google Cloud over six years, according to a "
            "filing. The lab trains its models on TPUs.",
            "Google",
            "Dovecote Labs",
        ),
        (
            "Pellworth AI said it signed a $3 billion agreement to run its training workloads on "
            "Oracle Cloud Infrastructure for five years.",
            "Oracle",
            "Pellworth AI",
        ),
        (
            "Marrow Robotics committed $2 billion to AWS compute over four years, the company said.",
            "Amazon Web Services",
            "Marrow Robotics",
        ),
    ],
)
def test_cloud_product_names_its_owner(text, provider, customer):
    m = _main(text)
    assert (m.provider, m.customer) == (provider, customer)


# 2. A seller announces a customer with a symmetric verb: direction from who sells what.
@pytest.mark.parametrize(
    "text, provider, customer",
    [
        (
            "Nebius shares jumped 12% on Wednesday. The Amsterdam-based AI cloud company disclosed a "
            "new five-year agreement with Meta worth about $3 billion for dedicated GPU capacity.",
            "Nebius",
            "Meta",
        ),
        (
            "CoreWeave said it signed a multiyear contract with Mistral AI for GPU capacity worth "
            "$1.2 billion.",
            "CoreWeave",
            "Mistral AI",
        ),
        (
            "Anthropic has reached a $2 billion compute agreement with Fluidstack covering clusters "
            "in Texas and New York, the AI lab said.",
            "Fluidstack",
            "Anthropic",
        ),
    ],
)
def test_symmetric_verb_direction_from_kinds(text, provider, customer):
    m = _main(text)
    assert (m.provider, m.customer) == (provider, customer)


# 3. Leases and hosting: the tenant, occupant or hosted party pays.
@pytest.mark.parametrize(
    "text, provider, customer",
    [
        (
            "Oracle agreed to lease the entire Vantage Data Centers campus in Texas "
            "for 15 years, in a data center lease valued at $9 billion.",
            "Vantage Data Centers",
            "Oracle",
        ),
        (
            "CoreWeave will lease 200 MW at Applied Digital's North Dakota campus under a 15-year "
            "agreement worth about $7 billion.",
            "Applied Digital",
            "CoreWeave",
        ),
        (
            "Cipher Mining signed two 15-year leases with Fluidstack for 168 MW of critical IT load at "
            "its Barber Lake site, with contract revenue of $3 billion.",
            "Cipher Mining",
            "Fluidstack",
        ),
        (
            "Lambda will be the anchor tenant at Halvard Grid's Iowa campus under a ten-year, $1.5 "
            "billion data center lease.",
            "Halvard Grid",
            "Lambda",
        ),
        (
            "Under the $800 million agreement, TeraWulf will host Fluidstack's GPU clusters at its "
            "Lake Mariner data center in New York for ten years.",
            "TeraWulf",
            "Fluidstack",
        ),
    ],
)
def test_leases_and_hosting(text, provider, customer):
    m = _main(text)
    assert (m.provider, m.customer) == (provider, customer)


# 4. Reverse purchases: whoever buys capacity is the customer, even a chipmaker.
def test_chipmaker_buying_unsold_capacity_is_the_customer():
    m = _main(
        "CoreWeave disclosed a $6.3 billion order from Nvidia. Under the agreement, Nvidia agreed to "
        "buy any unsold cloud capacity from CoreWeave through 2032."
    )
    assert (m.provider, m.customer) == ("CoreWeave", "Nvidia")


# 5. Two-way announcements: each direction is its own mention.
def test_two_way_deal_gives_two_mentions():
    pairs = _pairs(
        "Quillmark AI will use Microsoft's Azure cloud to train its models under a $5 billion, "
        "five-year agreement, and Microsoft will use Quillmark AI's models in its Copilot products."
    )
    assert ("Microsoft", "Quillmark AI") in pairs


# 6. Earnings stories: a new deal disclosed in passing is a deal; existing customers are not.
def test_earnings_story_with_new_deal_is_a_deal():
    m = _main(
        "Nebius reported third-quarter revenue of $146 million, up 355% from a year earlier, and "
        "raised its annual guidance. Separately, the company disclosed a new five-year agreement "
        "with Meta worth about $3 billion for AI infrastructure."
    )
    assert (m.provider, m.customer) == ("Nebius", "Meta")


def test_earnings_story_with_existing_customers_only_is_not_a_deal():
    result = _result(
        "Brindle Compute reported quarterly revenue of $420 million, up 80%, and raised its "
        "full-year forecast. The GPU cloud counts Dovecote AI and Pellworth Labs among its "
        "existing customers. Shares rose 6% in late trading."
    )
    assert not result.mentions


# 7. Not compute deals: power purchases, equity stakes, backstops, joint ventures, acquisitions.
@pytest.mark.parametrize(
    "text",
    [
        "Microsoft signed a 20-year power purchase agreement with Constellation Energy to restart "
        "a reactor at Three Mile Island, supplying 835 megawatts of clean energy to its data centers.",
        "Amazon agreed to buy 1.9 gigawatts of nuclear power from Talen Energy for its data center "
        "campus in Pennsylvania under a PPA running through 2042.",
        "Nvidia will invest up to $100 billion in OpenAI as the lab builds out data centers, the "
        "companies said, with the first $10 billion coming when the first gigawatt is deployed.",
        "Google agreed to backstop $1.4 billion of Fluidstack's lease obligations at a TeraWulf data "
        "center, taking a 14% stake in the miner in return.",
        "Brindle Compute agreed to acquire Halvard Grid, a data center operator, for $2 billion in "
        "cash, the companies said.",
        "Quillmark Energy and Dovecote Power formed a joint venture to build a $5 billion data "
        "center campus in Ohio.",
    ],
)
def test_non_compute_deals_give_no_mention(text):
    assert not _result(text).mentions


# 8. Roundups: each bulleted or headed paragraph is its own deal.
def test_roundup_paragraphs_are_separate_deals():
    text = (
        "This week in AI infrastructure\n\n"
        "- Fluidstack signed a $1.1 billion, five-year deal to supply GPU capacity to Mistral AI.\n\n"
        "- Applied Digital leased 150 MW at its Ellendale campus to CoreWeave in a 15-year lease "
        "worth $4 billion.\n\n"
        "- Lambda will provide Dovecote Labs with 20,000 Nvidia GB300 GPUs under a $900 million "
        "contract."
    )
    pairs = _pairs(text)
    assert {
        ("Fluidstack", "Mistral AI"),
        ("Applied Digital", "CoreWeave"),
        ("Lambda", "Dovecote Labs"),
    } <= pairs


# 9. The market gazetteer is read: names, aliases, descriptors and kinds.
def test_market_gazetteer_is_loaded():
    table = known_companies()
    assert canonical_name("Baidu AI Cloud") == "Baidu"
    assert kind_of("Baidu") == "cloud"
    assert canonical_name("Azure") == "Microsoft"
    assert canonical_name("the Ernie maker") == "Baidu"
    assert "baidu" in table
    ids = {p["id"] for p in gazetteer_patterns()}
    assert {"Baidu", "Nvidia"} <= ids


def test_market_company_is_found_as_a_party():
    m = _main("Kingsoft Cloud will supply GPU capacity to Dovecote AI under a $300 million contract.")
    assert (m.provider, m.customer) == ("Kingsoft Cloud", "Dovecote AI")


def test_market_gazetteer_does_not_slow_extraction():
    text = "Brindle Compute will supply GPU capacity to Dovecote AI under a $300 million contract. " * 5
    articles = [Article(article_id=str(i), url="u", text=text) for i in range(20)]
    extract_articles(articles[:1])
    t = time.perf_counter()
    extract_articles(articles)
    assert time.perf_counter() - t < 10


# More wordings across categories 1-4 (hyperscaler buyers, miners as landlords, neoclouds as
# tenants and sellers, reverse purchases, descriptors from the market gazetteer).
MORE = [
    (
        "Meta signed a $14 billion agreement with CoreWeave, the companies said on Tuesday.",
        ("CoreWeave", "Meta"),
    ),
    (
        "Nebius has struck a deal with Microsoft worth up to $19.4 billion over five years, the company said.",
        ("Nebius", "Microsoft"),
    ),
    (
        "Galaxy Digital signed a 15-year lease with CoreWeave for 260 MW at its Helios campus in Texas.",
        ("Galaxy Digital", "CoreWeave"),
    ),
    (
        "Core Scientific will host CoreWeave's GPUs at six of its sites under 12-year contracts worth $10 billion.",
        ("Core Scientific", "CoreWeave"),
    ),
    (
        "Anthropic will occupy the first building at Hut 8's River Bend campus in Louisiana under a 15-year lease worth $7 billion.",
        ("Hut 8", "Anthropic"),
    ),
    (
        "Hut 8 has leased 245 MW at its River Bend campus to Fluidstack under a 15-year, $7 billion agreement.",
        ("Hut 8", "Fluidstack"),
    ),
    (
        "Nvidia will buy $6.3 billion of cloud capacity from CoreWeave that CoreWeave's customers do not use, through 2032.",
        ("CoreWeave", "Nvidia"),
    ),
    (
        "AMD agreed to supply OpenAI with six gigawatts of Instinct GPUs over several years, and OpenAI received warrants for up to 160 million AMD shares.",
        ("AMD", "OpenAI"),
    ),
    (
        "IREN Lands $9.7 Billion Microsoft AI Cloud Contract\n\nIREN said Microsoft will get access to Nvidia GB300 GPUs at its Childress, Texas campus over five years.",
        ("IREN", "Microsoft"),
    ),
    (
        "Poolside picked CoreWeave to supply more than 40,000 GB300 GPUs for its Project Horizon campus, the companies said.",
        ("CoreWeave", "Poolside"),
    ),
    (
        "Lambda signed a multibillion-dollar agreement with Microsoft to deploy AI infrastructure powered by tens of thousands of Nvidia GPUs.",
        ("Lambda", "Microsoft"),
    ),
    (
        "TeraWulf said it signed a 10-year colocation agreement with Fluidstack worth $3.7 billion at its Lake Mariner campus.",
        ("TeraWulf", "Fluidstack"),
    ),
    (
        "The Dallas-based data center developer Applied Digital said on Wednesday it had signed a 15-year lease with CoreWeave for 150 MW.",
        ("Applied Digital", "CoreWeave"),
    ),
    (
        "OpenAI agreed to pay Microsoft for an incremental $250 billion of Azure services, Microsoft said.",
        ("Microsoft", "OpenAI"),
    ),
    (
        "Anthropic will spend tens of billions of dollars on up to one million Google TPUs under an expanded deal with the search giant.",
        ("Google", "Anthropic"),
    ),
    (
        "Cipher Mining signed a 15-year lease with Amazon Web Services for 300 MW, a deal worth $5.5 billion.",
        ("Cipher Mining", "Amazon Web Services"),
    ),
    (
        "xAI is renting capacity in Saudi Arabia from Humain, the kingdom's AI company, under a new data center deal.",
        ("Humain", "xAI"),
    ),
]


@pytest.mark.parametrize("text, pair", MORE)
def test_more_market_wordings(text, pair):
    m = _main(text)
    assert (m.provider, m.customer) == pair


# More non-compute deals next to data centers (category 7).
MORE_NEGATIVES = [
    "Google signed an agreement with Kairos Power to buy 500 MW of nuclear energy from small modular reactors to power its data centers.",
    "Microsoft took a 27% stake in OpenAI's for-profit arm, valued at about $135 billion, as part of a recapitalization that keeps Azure as a cloud partner.",
    "Meta formed a $27 billion joint venture with Blue Owl Capital to build the Hyperion data center campus in Louisiana.",
    "SoftBank agreed to acquire Ampere Computing for $6.5 billion in cash, the companies said.",
    "Brookfield will invest up to $10 billion in Bloom Energy fuel cells to power AI data centers.",
]


@pytest.mark.parametrize("text", MORE_NEGATIVES)
def test_more_non_compute_deals(text):
    assert not _result(text).mentions


def test_headed_roundup_each_paragraph_keeps_its_own_values():
    text = (
        "The Compute Ledger: three deals you missed\n\n"
        "Nebius and Microsoft\n"
        "Nebius will supply dedicated GPU capacity to Microsoft from its Vineland, New Jersey data "
        "center under a five-year contract worth $17.4 billion.\n\n"
        "Cipher Mining and AWS\n"
        "Cipher Mining signed a 15-year lease with Amazon Web Services for 300 MW at its Texas site, "
        "worth $5.5 billion.\n\n"
        "Dovecote AI and Brindle Compute\n"
        "Dovecote AI will rent 8,000 H200 GPUs from Brindle Compute for $40 million a month over two "
        "years."
    )
    values = {
        (m.provider, m.customer): {
            f.field: f.value for f in m.facts if f.field in ("total_value", "monthly_fee")
        }
        for m in _result(text).mentions
    }
    assert values[("Nebius", "Microsoft")] == {"total_value": 17.4e9}
    assert values[("Cipher Mining", "Amazon Web Services")] == {"total_value": 5.5e9}
    assert values[("Brindle Compute", "Dovecote AI")] == {"monthly_fee": 40e6}


def test_bulleted_roundup_skips_the_equity_item():
    pairs = _pairs(
        "Weekly infrastructure wrap\n\n"
        "* CoreWeave expanded its agreement with Meta by $14 billion, covering capacity through 2031.\n"
        "* IREN signed a $9.7 billion, five-year contract to give Microsoft access to GB300 GPUs in "
        "Texas.\n"
        "* Separately, Nvidia said it would invest $2 billion in xAI's latest funding round."
    )
    assert pairs == {("IREN", "Microsoft"), ("CoreWeave", "Meta")}


def test_backlog_driven_by_existing_contracts_is_not_a_deal():
    result = _result(
        "Oracle shares rose after the company said quarterly revenue grew 12%. Oracle said remaining "
        "performance obligations rose to $455 billion, driven by contracts with OpenAI, xAI and "
        "Meta. Analysts at Quillmark Research said the backlog would take years to convert."
    )
    assert not result.mentions


# Whole wire-style articles: a lease told by the landlord ("at its campus"), a neocloud serving a
# lab, financing from banks, an equity side-note; only the compute deals come out.
ARTICLES = [
    """Fluidstack lands Anthropic capacity at Hut 8 campus

Hut 8 said on Wednesday that Fluidstack will lease 245 MW of IT capacity at its River Bend campus in Louisiana under a 15-year agreement with a contract value of about $7 billion. Fluidstack will use the capacity to serve Anthropic, which has committed to the site, the company said. Google will backstop $1.8 billion of Fluidstack's lease payments. Hut 8 secured $2.4 billion of construction financing from Morgan Stanley. Shares of Hut 8 rose 15%.""",
    """CoreWeave secures $2.6 billion loan to fund Poolside build-out

CoreWeave has secured a $2.6 billion delayed-draw term loan from a group of lenders led by Morgan Stanley and MUFG to fund the GPUs it will deploy for Poolside. The AI coding startup agreed last month to rent more than 40,000 Nvidia GB300 GPUs from CoreWeave.""",
    """Microsoft to spend $10 billion in Portugal on AI data center

Microsoft will invest $10 billion in an AI data center hub in Sines, Portugal, working with Start Campus and Nscale, the company said. Nscale will deploy 12,600 Nvidia GB300 GPUs at the site for Microsoft.""",
    """Anthropic commits $30 billion to Azure as Microsoft and Nvidia invest

Anthropic has committed to purchase $30 billion of Azure compute capacity from Microsoft, the companies said on Tuesday. As part of the partnership, Nvidia will invest up to $10 billion in Anthropic and Microsoft up to $5 billion.""",
]


@pytest.mark.parametrize(
    "index, pairs",
    [
        (0, [("Hut 8", "Fluidstack"), ("Fluidstack", "Anthropic")]),
        (1, [("CoreWeave", "Poolside")]),
        (2, [("Nscale", "Microsoft")]),
        (3, [("Microsoft", "Anthropic")]),
    ],
)
def test_wire_articles(index, pairs):
    assert [(m.provider, m.customer) for m in _result(ARTICLES[index]).mentions] == pairs


# Stories that are not new compute deals: a funding round naming existing customers, an analyst
# spending estimate, a government site list, an acquisition of a host, a nuclear power deal, a
# stock story recalling old contracts.
NOT_DEAL_ARTICLES = [
    """Lambda raises $1.5 billion as AI cloud demand soars

Lambda, the GPU cloud provider, raised $1.5 billion in a funding round led by TWG Global, with Nvidia also participating. The company rents Nvidia GPUs to AI developers and counts Microsoft among its customers.""",
    """Hyperscalers to spend $600 billion on AI infrastructure next year, Morgan Stanley says

Microsoft, Amazon, Google and Meta will together spend about $600 billion on data centers and chips in 2026, Morgan Stanley analysts estimated in a note. Nvidia remains the main supplier of the GPUs.""",
    """Energy Department picks sites for AI data centers

The Department of Energy selected four federal sites, including Idaho National Laboratory, where private developers could build AI data centers paired with new power generation. Companies can apply to lease the land by the end of the year.""",
    """CoreWeave to buy Core Scientific in $9 billion all-stock deal

CoreWeave agreed to acquire Core Scientific, the bitcoin miner that hosts its GPUs, in an all-stock transaction valued at about $9 billion. The deal would eliminate $10 billion of future lease payments, CoreWeave said.""",
    """Talen and Amazon expand nuclear power deal

Talen Energy and Amazon expanded their power purchase agreement to 1.92 GW of carbon-free electricity from the Susquehanna nuclear plant to supply Amazon Web Services data centers through 2042.""",
    """Nvidia shares fall as investors weigh AI spending

Nvidia shares fell 3% on Tuesday. Investors weighed whether customers such as OpenAI, which has signed compute contracts with Oracle, Microsoft and CoreWeave, can pay for them.""",
]


@pytest.mark.parametrize("text", NOT_DEAL_ARTICLES)
def test_not_deal_articles(text):
    assert not _result(text).mentions


# Appositives, descriptors for well-known names ("The ChatGPT maker"), "giving it access",
# Title Case headlines, predicates ("becomes anchor tenant of").
APPOSITIVES_AND_HEADLINES = [
    (
        "Crusoe Signs 15-Year Lease With Oracle at Abilene Campus\n\nOracle will occupy the full 1.2 GW campus that Crusoe is developing in Abilene, Texas.",
        ("Crusoe", "Oracle"),
    ),
    (
        "Brindle Compute, a Norwegian GPU cloud, and Dovecote AI have signed a three-year agreement worth $900 million, the companies said.",
        ("Brindle Compute", "Dovecote AI"),
    ),
    (
        "Dovecote AI, the San Francisco model developer, has signed a $600 million contract with Halvard Cloud, a neocloud based in Oslo.",
        ("Halvard Cloud", "Dovecote AI"),
    ),
    (
        "The ChatGPT maker signed a $38 billion, seven-year deal with Amazon Web Services, giving it access to hundreds of thousands of Nvidia GPUs.",
        ("Amazon Web Services", "OpenAI"),
    ),
    (
        "Microsoft has agreed to pay Nscale up to $24 billion for about 200,000 Nvidia GPUs across sites in Texas, Portugal, England and Norway.",
        ("Nscale", "Microsoft"),
    ),
    (
        "Halvard Grid Inks $3.2 Billion Lease With Brindle Compute for Ohio AI Campus",
        ("Halvard Grid", "Brindle Compute"),
    ),
    (
        "Brindle Compute becomes anchor tenant of Halvard Grid's Ohio AI campus in $3.2 billion lease",
        ("Halvard Grid", "Brindle Compute"),
    ),
    ("Anthropic to use Google's TPUs in deal worth tens of billions of dollars", ("Google", "Anthropic")),
    (
        "The deal, valued at $3 billion, gives Meta access to GPU capacity in Nebius's New Jersey data center for five years.",
        ("Nebius", "Meta"),
    ),
]


@pytest.mark.parametrize("text, pair", APPOSITIVES_AND_HEADLINES)
def test_appositives_and_headlines(text, pair):
    m = _main(text)
    assert (m.provider, m.customer) == pair


# Press-release and headline forms ("Announces 15-Year Lease Agreements with"), partner and
# chooser frames, hosting in the passive, two stories in one sentence ("…; separately …").
RELEASES_AND_PARTNERS = [
    (
        "Oracle is reportedly leasing a 1.4 GW campus in Wisconsin from Vantage Data Centers to serve OpenAI.",
        ("Vantage Data Centers", "Oracle"),
    ),
    ("Microsoft inks $17.4B deal with Nebius for AI infrastructure", ("Nebius", "Microsoft")),
    (
        "Nebius Group N.V. (NASDAQ: NBIS) today announced a multi-year agreement with Meta to deliver AI infrastructure worth approximately $3 billion.",
        ("Nebius", "Meta"),
    ),
    (
        "Applied Digital Announces 15-Year Lease Agreements with CoreWeave for 250 MW at Polaris Forge 1",
        ("Applied Digital", "CoreWeave"),
    ),
    (
        "Under the contract, Nvidia is obligated to purchase residual unsold capacity from CoreWeave through April 2032.",
        ("CoreWeave", "Nvidia"),
    ),
    (
        "Brindle Compute has become the exclusive compute partner of Dovecote AI under a two-year, $250 million contract.",
        ("Brindle Compute", "Dovecote AI"),
    ),
    (
        "Dovecote AI has chosen Brindle Compute as its exclusive GPU cloud in a $250 million, two-year contract.",
        ("Brindle Compute", "Dovecote AI"),
    ),
    (
        "Dovecote AI's new cluster will be hosted by Halvard Data in Iceland under a $120 million colocation agreement.",
        ("Halvard Data", "Dovecote AI"),
    ),
    (
        "Galaxy will provide 800 MW of critical IT capacity to CoreWeave at its Helios campus under 15-year leases.",
        ("Galaxy", "CoreWeave"),
    ),
    (
        "Amazon has signed a $38 billion deal to supply OpenAI with computing power over seven years.",
        ("Amazon Web Services", "OpenAI"),
    ),
    (
        "Google is in talks to invest in Anthropic at a higher valuation; separately Anthropic agreed to buy up to one million TPUs from Google Cloud in a deal worth tens of billions.",
        ("Google", "Anthropic"),
    ),
]


@pytest.mark.parametrize("text, pair", RELEASES_AND_PARTNERS)
def test_releases_and_partners(text, pair):
    m = _main(text)
    assert (m.provider, m.customer) == pair


# Power, co-development, financing and equity stories around data centers (category 7).
ENERGY_AND_FINANCE_STORIES = [
    """Meta signs geothermal deal to power New Mexico data center

Meta signed an agreement with Sage Geosystems for 150 MW of geothermal power for its data centers, the companies said. The first phase is expected online by 2027.""",
    """Crusoe and Tallgrass to build AI data center campus in Wyoming

Crusoe and Tallgrass announced a partnership to develop a 1.8 GW AI data center campus in Cheyenne, Wyoming, that could scale to 10 GW. Tallgrass will supply natural gas and carbon capture for the site.""",
    """Blue Owl to fund $15 billion Texas campus for Crusoe

Blue Owl Capital agreed to provide $15 billion of financing for the Abilene data center campus that Crusoe is building, in a joint venture with Primary Digital Infrastructure.""",
    """Nvidia takes $5 billion stake in Intel

Nvidia will buy $5 billion of Intel shares and the two companies will co-develop data center and PC chips, the companies said on Thursday.""",
]


@pytest.mark.parametrize("text", ENERGY_AND_FINANCE_STORIES)
def test_energy_and_finance_stories(text):
    assert not _result(text).mentions
