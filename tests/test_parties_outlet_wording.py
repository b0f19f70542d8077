"""Categories of outlet wording that broke party finding on unseen articles, each with new
sentences written for this test (invented companies unless a well-known name is the point)."""

import pytest

from extractors.models import Article
from extractors.parties import DATELINE
from extractors.pipeline import extract_articles
from extractors.sentences import split_sentences


def _result(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    return result


def _main(text: str):
    result = _result(text)
    assert result.is_deal_relevant, result.reason
    return result.mentions[0]


# A time of day with its zone is not a sentence end, and the zone is not a company.
@pytest.mark.parametrize(
    "text, pieces",
    [
        ("Shares were up 12% at 11 a.m. ET, after Brindle Compute said so. Next.", 2),
        ("The call starts at 9:30 a.m. Eastern Time on Thursday. It will be recorded.", 2),
        ("Trading closed at 4 p.m. The next day it fell.", 2),
        ("The filing landed at 6 p.m. PT on Friday, after the bell.", 1),
    ],
)
def test_time_zone_is_not_a_sentence_end(text, pieces):
    assert len(split_sentences(text)) == pieces


def test_time_zone_never_becomes_a_party():
    m = _main(
        "Brindle stock soars\n\nShares of Brindle Compute were up 30% as of 10 a.m. ET, after the GPU "
        "cloud said late Monday that it will supply dedicated GPU capacity to Dovecote AI for $2 billion."
    )
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


# Datelines: a Title Case headline verb followed by a number is not a dateline.
@pytest.mark.parametrize(
    "text, is_dateline",
    [
        ("OSLO, Norway, July 8, 2026 -- Tyrell Power said", True),
        ("AUSTIN, Texas, Oct. 2, 2025 /PRNewswire/ -- Brindle Compute, Inc. said", True),
        ("SAN JOSE (Northline Wire) - Brindle said", True),
        ("Brindle Compute Announces 10-Year, $3 Billion Lease with Dovecote AI", False),
        ("Halden Grid Signs 5-Year Contract", False),
    ],
)
def test_dateline(text, is_dateline):
    assert bool(DATELINE.match(text)) is is_dateline


def test_headline_company_before_numbered_term_is_kept():
    m = _main(
        "Brindle Compute Announces 12-Year, $4 Billion Lease with Dovecote AI\n\n"
        "Brindle Compute will lease 200 MW of data center capacity to Dovecote AI."
    )
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


# Press-release boilerplate: trademarked slogans and the issuer's defined term "the Company".
@pytest.mark.parametrize(
    "body",
    [
        "WILMINGTON, Del., May 4, 2026 /PRNewswire/ -- Brindle Compute, Inc. (Nasdaq: BRND), the GPU Cloud "
        "Built for Builders(TM), today announced that it has signed an agreement with Dovecote AI to "
        "provide GPU capacity worth up to $2 billion.",
        "WILMINGTON, Del., May 4, 2026 (GLOBE NEWSWIRE) -- Brindle Compute Inc. (NASDAQ: BRND) "
        '("Brindle" or the "Company") today announced a $2 billion agreement with Dovecote AI to provide '
        "GPU capacity. The Company will deliver the capacity from its Ohio campus.",
        "Brindle Compute, the Home of Serious AI®, today announced it has signed a contract with "
        "Dovecote AI to provide 8,000 GPUs for $900 million.",
    ],
)
def test_press_release_boilerplate(body):
    m = _main("Brindle Compute signs GPU agreement\n\n" + body)
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


# Well-known companies named by a product descriptor ("the ChatGPT maker").
@pytest.mark.parametrize(
    "sentence, customer",
    [
        ("Brindle Compute will provide the ChatGPT maker with 50,000 GPUs for $3 billion.", "OpenAI"),
        (
            "Brindle Compute will supply 20,000 GPUs to the Claude developer in a $1 billion deal.",
            "Anthropic",
        ),
        ("Brindle Compute landed the Facebook parent as a customer in a $2 billion deal.", "Meta"),
    ],
)
def test_product_descriptors(sentence, customer):
    m = _main("GPU deal\n\n" + sentence)
    assert (m.provider, m.customer) == ("Brindle Compute", customer)


# Deal type follows what a known provider sells.
@pytest.mark.parametrize(
    "text, deal_type",
    [
        # A GPU cloud called a "cloud" by the outlet still rents compute.
        (
            "Nebius signs cloud deal\n\nNebius will provide cloud services and GPU capacity to Dovecote AI "
            "for $1 billion.",
            "compute",
        ),
        # A server maker sells hardware.
        ("Dell wins order\n\nDovecote AI will buy $2 billion of GPU servers from Dell.", "hardware"),
        # A hyperscaler sells cloud.
        (
            "Dovecote AI commits $5 billion to Microsoft Azure\n\nDovecote AI will spend $5 billion on "
            "Microsoft Azure capacity.",
            "cloud",
        ),
        # A former miner turned landlord leases space and power.
        (
            "Hut 8 lease\n\nHut 8 will lease 150 MW of capacity at its campus to Dovecote AI "
            "for $1.2 billion.",
            "datacenter",
        ),
    ],
)
def test_deal_type_by_provider_kind(text, deal_type):
    assert _main(text).deal_type == deal_type


# "A signed a deal with B" says nothing about direction: what each company sells decides, and a
# name mentioned often must not win just by being mentioned.
def test_direction_from_kind_not_mention_count():
    m = _main(
        "Microsoft books more capacity\n\n"
        "Microsoft has been on a spending spree. Microsoft signed a $2 billion, ten-year agreement "
        "with Hut 8 on Tuesday. Microsoft declined to comment. Microsoft shares were flat."
    )
    assert (m.provider, m.customer) == ("Hut 8", "Microsoft")


@pytest.mark.parametrize(
    "sentence",
    [
        "Dovecote AI signed a $3 billion contract with Nebius last week for access to GPU capacity.",
        "Dovecote AI signed a $3 billion contract with Nebius on Monday for access to its GPUs.",
    ],
)
def test_orientation_after_a_time_phrase(sentence):
    m = _main("GPU contract\n\n" + sentence)
    assert (m.provider, m.customer) == ("Nebius", "Dovecote AI")


def test_passing_deal_direction():
    result = _result(
        "Brindle lands Dovecote\n\n"
        "Brindle Compute will supply 20,000 GPUs to Dovecote AI under a $2 billion contract. "
        "The news comes weeks after Dovecote AI signed a $5 billion cloud agreement with Oracle."
    )
    pairs = {(m.provider, m.customer) for m in result.mentions}
    assert ("Brindle Compute", "Dovecote AI") in pairs
    assert ("Oracle", "Dovecote AI") in pairs


# An expansion's article restates the original deal: its figures (decimals included) are not the
# expansion's.
@pytest.mark.parametrize(
    "phrase",
    [
        "sits on top of the three-year, $2.6 billion contract the two companies signed in June",
        "adds to the initial $2.6 billion, three-year agreement announced in June",
    ],
)
def test_expansion_keeps_original_figures_apart(phrase):
    result = _result(
        "Brindle expands Dovecote deal\n\n"
        "Brindle Compute has expanded its agreement with Dovecote AI by up to $700 million. "
        f"The expansion {phrase}."
    )
    main = result.mentions[0]
    facts = {f.field: f.value for f in main.facts}
    assert facts.get("total_value") == pytest.approx(700e6)
    assert facts.get("term_months") != 36
    earlier = [m for m in result.mentions[1:] if (m.provider, m.customer) == (main.provider, main.customer)]
    assert earlier and {f.field: f.value for f in earlier[0].facts}.get("total_value") == pytest.approx(2.6e9)


# A parent's unit named by a possessive descriptor, and a name repeated in parentheses.
@pytest.mark.parametrize(
    "sentence",
    [
        "Amazon shares rose on Monday after the company's cloud division inked a $4 billion agreement "
        "with Dovecote AI.",
        "Microsoft said its cloud unit signed a $4 billion contract with Dovecote AI.",
    ],
)
def test_possessive_unit_descriptor(sentence):
    m = _main("Cloud pact\n\n" + sentence)
    assert m.customer == "Dovecote AI" and m.provider in ("Amazon Web Services", "Microsoft")


@pytest.mark.parametrize(
    "sentence",
    [
        "The five-year deal gives Dovecote AI access to Brindle Compute (BRC) infrastructure with GPUs.",
        "The deal gives Dovecote AI access to Brindle Compute (NASDAQ: BRCM) capacity in Ohio.",
    ],
)
def test_parenthetical_short_name_or_ticker(sentence):
    m = _main("GPU pact\n\n" + sentence)
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


# Deals in passing: "X remains its training partner", "committed to purchase … of X's cloud services".
def test_deals_in_passing_partner_and_possessive_purchase():
    result = _result(
        "Dovecote AI books TPUs from Google\n\n"
        "Dovecote AI will use up to 50,000 Google TPUs in a deal worth $3 billion. "
        "Amazon remains its primary training partner: Dovecote trains on an Amazon cluster of Trainium chips. "
        "Separately, Dovecote AI committed to purchase an incremental $20 billion of Microsoft's Azure cloud services."
    )
    pairs = [(m.provider, m.customer) for m in result.mentions]
    assert pairs[0] == ("Google", "Dovecote AI")
    assert ("Amazon Web Services", "Dovecote AI") in pairs
    assert ("Microsoft", "Dovecote AI") in pairs


@pytest.mark.parametrize(
    "sentence",
    [
        "Brindle Compute has been Dovecote AI's main GPU supplier since 2024, under a $900 million deal.",
        "Brindle Compute will remain Dovecote AI's primary cloud provider under the $900 million contract.",
        "Dovecote AI is renting $900 million of Brindle Compute's GPU capacity over three years.",
    ],
)
def test_partner_and_possessive_frames(sentence):
    m = _main("GPU deal\n\n" + sentence)
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


# Plural possessives and pair names with the object of the deal glued on.
@pytest.mark.parametrize(
    "text, pair",
    [
        (
            "Harbor bet pays off\n\nKestrel Data Centers' deal with Brightfin AI covers 300 MW at its "
            "Ohio campus for ten years, worth $2 billion.",
            ("Kestrel Data Centers", "Brightfin AI"),
        ),
        (
            "Inside the Halvard-Orrin GPU contract\n\nHalvard Compute will rent GPU capacity to Orrin Labs "
            "for $1 billion.",
            ("Halvard Compute", "Orrin Labs"),
        ),
    ],
)
def test_plural_possessive_and_pair_headline(text, pair):
    result = _result(text)
    assert result.is_deal_relevant, result.reason
    assert [(m.provider, m.customer) for m in result.mentions] == [pair]


def test_lease_of_megawatts_is_a_datacenter_deal():
    m = _main(
        "Brightfin AI leases 300 MW in Ohio from Kestrel Realty\n\n"
        "Brightfin AI leases 300 MW of capacity from Kestrel Realty for $2 billion."
    )
    assert m.deal_type == "datacenter"


# An outlet or analyst that sizes the deal is a source, not a company outside the deal.
@pytest.mark.parametrize(
    "sizing",
    [
        "Northgate Ledger values the contract at $4.5 billion.",
        "Harrow Research estimates the deal at $4.5 billion.",
    ],
)
def test_source_sizing_the_deal(sizing):
    m = _main(
        "Inside the contract\n\nUnder the pact, Thornbury Compute supplies Orrin Labs with 8,000 GPUs "
        f"for $90 million a month over three years. {sizing}"
    )
    assert {f.field: f.value for f in m.facts}.get("total_value") == pytest.approx(4.5e9)
    assert (m.provider, m.customer) == ("Thornbury Compute", "Orrin Labs")


# A known company's short form later in the article is the same company.
def test_short_form_of_a_known_company():
    result = _result(
        "Hut 8 signs lease\n\n"
        "Galaxy Digital will lease 200 MW at its Texas campus to Dovecote AI for $3 billion. "
        "Galaxy also hosts Orrin Labs at the site, where it provides capacity to Orrin Labs under a "
        "separate lease."
    )
    assert {m.provider for m in result.mentions} == {"Galaxy Digital"}


# "The agreement comes weeks after A said it would supply B … under a $N deal": with the same parties,
# that sentence is about an earlier deal.
def test_comes_after_an_earlier_deal_between_the_same_parties():
    result = _result(
        "Brindle to supply Dovecote with 50,000 GPUs\n\n"
        "Brindle Compute has agreed to supply Dovecote AI with about 50,000 GPUs for up to $9 billion. "
        "The agreement comes weeks after Brindle Compute said it would supply Dovecote AI with capacity "
        "from a site in Oslo under a four-year deal worth $2.1 billion."
    )
    main = {f.field: f.value for f in result.mentions[0].facts}
    assert main.get("total_value") == pytest.approx(9e9) and main.get("term_months") is None
    earlier = [m for m in result.mentions[1:] if m.provider == "Brindle Compute"]
    assert earlier and {f.field: f.value for f in earlier[0].facts}.get("total_value") == pytest.approx(2.1e9)


def test_site_leased_from_a_landlord_is_datacenter_even_with_gpus():
    result = _result(
        "Brindle to supply Dovecote with 50,000 GPUs\n\n"
        "Brindle Compute has agreed to supply Dovecote AI with about 50,000 GPUs for $9 billion. "
        "Most of the chips will sit at a campus in Ohio that Brindle Compute is leasing from Kestrel Realty."
    )
    kinds = {(m.provider, m.customer): m.deal_type for m in result.mentions}
    assert kinds.get(("Kestrel Realty", "Brindle Compute")) == "datacenter"


# "In a separate, smaller agreement, A will pay …" between the same parties is a deal of its own.
def test_separate_deal_between_the_same_parties():
    result = _result(
        "Orrin rents GPUs from Halvard\n\n"
        "Orrin Labs has agreed to spend $900 million over three years to rent GPU servers from Halvard Compute. "
        "In a separate, smaller agreement, Orrin Labs will pay $150 million to rent older servers from "
        "Halvard Compute."
    )
    values = sorted(
        {f.field: f.value for f in m.facts}.get("total_value") or 0
        for m in result.mentions
        if (m.provider, m.customer) == ("Halvard Compute", "Orrin Labs")
    )
    assert values == [pytest.approx(150e6), pytest.approx(900e6)]


# A modifier glued to the counterpart ("with Google-backed X") does not hide it.
@pytest.mark.parametrize(
    "sentence",
    [
        "Earlier, Kestrel Realty signed a lease with Nvidia-backed Orrin Labs at its Ohio campus.",
        "Earlier, Kestrel Realty signed a lease with London-based Orrin Labs at its Ohio campus.",
    ],
)
def test_modifier_before_counterpart(sentence):
    result = _result(
        "Kestrel lands a tenant\n\nKestrel Realty will lease 100 MW of capacity at its Texas campus to "
        f"Dovecote AI for $1 billion. {sentence}"
    )
    pairs = {(m.provider, m.customer) for m in result.mentions}
    assert ("Kestrel Realty", "Orrin Labs") in pairs


# Training on someone's chips, and an equipment order with a vendor, are deals in passing.
def test_trains_models_on_and_order_with():
    result = _result(
        "Dovecote AI expands TPU use with Google\n\n"
        "Dovecote AI will use up to 200,000 Google TPUs under a multiyear deal. "
        "Dovecote AI also trains its models on Amazon's Trainium chips under a separate arrangement. "
        "The prepayment lets Dovecote AI fund a $2 billion order with Supermicro."
    )
    pairs = [(m.provider, m.customer) for m in result.mentions]
    assert pairs[0] == ("Google", "Dovecote AI")  # an aside never becomes the main deal
    assert ("Amazon Web Services", "Dovecote AI") in pairs
    assert ("Supermicro", "Dovecote AI") in pairs
    kinds = {(m.provider, m.customer): m.deal_type for m in result.mentions}
    assert kinds[("Supermicro", "Dovecote AI")] == "hardware"


# A press release listing the earlier deals it builds on, and the running total they add up to.
def test_earlier_deals_listed_and_running_total():
    result = _result(
        "Brindle Compute Expands Agreement with Dovecote AI by up to $3 Billion\n\n"
        "Brindle Compute today announced that it has expanded its agreement with Dovecote AI by up to $3 billion. "
        "The expanded contract follows Brindle Compute's initial agreement with Dovecote AI of $5.2 billion "
        "and the subsequent expansion of up to $1.5 billion. "
        "With this expansion, Brindle Compute's total contract value with Dovecote AI reaches about $9.7 billion."
    )
    values = [
        {f.field: f.value for f in m.facts}.get("total_value")
        for m in result.mentions
        if (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")
    ]
    assert values[0] == pytest.approx(3e9)
    assert sorted(values[1:]) == [pytest.approx(1.5e9), pytest.approx(5.2e9)]
    assert all(v != pytest.approx(9.7e9) for v in values)


# A newsletter roundup: each item is a paragraph, and a sentence naming no company belongs to the deal
# its paragraph is about, not to the article's main deal.
def test_roundup_values_stay_in_their_paragraph():
    result = _result(
        "The Rack Report: two deals and a lease\n\n"
        "Brindle Compute will supply Dovecote AI with 40,000 GPUs for $6 billion over five years.\n\n"
        "Orrin Labs said it will use up to 300,000 Google TPUs. The capacity, more than 800 MW, comes "
        "online in 2027.\n\n"
        "That's it for this week."
    )
    by_pair = {(m.provider, m.customer): {f.field: f.value for f in m.facts} for m in result.mentions}
    main = by_pair[("Brindle Compute", "Dovecote AI")]
    orrin = by_pair[("Google", "Orrin Labs")]
    assert "capacity_mw" not in main and orrin.get("capacity_mw") == pytest.approx(800)


@pytest.mark.parametrize(
    "sentence",
    [
        "In a filing, Brindle Compute said Dovecote AI had agreed to buy computing capacity worth $2 billion.",
        "Brindle Compute will provide Dovecote AI early access to 10,000 GPUs under a $400 million deal.",
        "After the $2 billion contract, Dovecote AI is now Brindle Compute's largest customer.",
    ],
)
def test_more_role_frames(sentence):
    m = _main("GPU deal\n\n" + sentence)
    assert (m.provider, m.customer) == ("Brindle Compute", "Dovecote AI")


@pytest.mark.parametrize(
    "text",
    [
        "NEW YORK--(BUSINESS WIRE)--Brindle Compute said",
        "AUSTIN, Texas--(BUSINESS WIRE)--Brindle Compute said",
        "Nov 3 (Northline Wire) - Brindle Compute said",
    ],
)
def test_more_dateline_styles(text):
    m = DATELINE.match(text)
    assert m and text[m.end() :].startswith("Brindle")


@pytest.mark.parametrize(
    "sentence, pair",
    [
        (
            "Orrin Labs has signed a deal worth up to $2 billion with Norway's Halvard Compute for GPU capacity.",
            ("Halvard Compute", "Orrin Labs"),
        ),
        (
            "Halvard Compute shares rose after the company unveiled a $2 billion agreement to supply Orrin Labs "
            "with GPUs.",
            ("Halvard Compute", "Orrin Labs"),
        ),
    ],
)
def test_country_possessive_worth_clause_and_the_company(sentence, pair):
    m = _main("GPU deal\n\n" + sentence)
    assert (m.provider, m.customer) == pair


# Deal type reads every sentence that names both parties, not only those a role frame matched; and
# a supply with a term is a rental, not a hardware sale.
@pytest.mark.parametrize(
    "text, deal_type",
    [
        (
            "Halden Grid signs contract with Pax Robotics\n\nHalden Grid has agreed with Pax Robotics a "
            "contract for the lease of data center capacity of 120 MW at a Dutch campus.",
            "datacenter",
        ),
        (
            "Compute deal\n\nHalvard Compute will supply Orrin Labs with 20,000 GPUs for $1.1 billion over "
            "three years.",
            "compute",
        ),
    ],
)
def test_deal_type_context(text, deal_type):
    assert _main(text).deal_type == deal_type


# Earnings copy naming the customers behind a backlog is not a deal.
@pytest.mark.parametrize(
    "sentence",
    [
        "Brindle Cloud said its contracted backlog rose to $90 billion, driven by contracts with Orrin Labs "
        "and Dovecote AI.",
        "Brindle Cloud said quarterly sales were lifted by revenue from contracts with Orrin Labs.",
    ],
)
def test_backlog_driven_by_contracts_is_not_a_deal(sentence):
    result = _result("Brindle Cloud earnings\n\n" + sentence + " Shares jumped 12%.")
    assert not result.mentions


# A relative clause ("…, which agreed to buy …") has its own subject: the name right before it, not a
# company named earlier in a comma aside.
def test_relative_clause_subject_is_the_name_before_which():
    result = _result(
        "Orrin Labs rents GPUs\n\nOrrin Labs will pay Brindle Cloud $2 billion for GPU capacity over four "
        "years, the companies said on Monday. For Tyrell Power, the tie-up widens its bets beyond Pellucid "
        "Labs, which only weeks ago agreed to buy $900 million of Brindle Cloud services."
    )
    pairs = {(m.provider, m.customer) for m in result.mentions}
    assert ("Brindle Cloud", "Pellucid Labs") in pairs
    assert all("Tyrell Power" not in (m.provider, m.customer) for m in result.mentions)


# Role frames outlets use that named no pattern before: an owner's site with a decimal size or an
# "X-developed" campus, a descriptor with no article ("with AI cloud provider X"), "one X reached with
# Y", hosting a tenant at a site, "said Y would buy its capacity", and an anchor tenant at a campus
# another company is developing.
@pytest.mark.parametrize(
    "sentence, pair",
    [
        (
            "Orrin Labs to lease all of Halden Grid's 1.5 GW Marlow campus for 12 years.",
            ("Halden Grid", "Orrin Labs"),
        ),
        (
            "Dovecote AI has exercised its option to lease an additional 90 MW of critical IT load at "
            "Halden Grid's Marlow campus in Kansas.",
            ("Halden Grid", "Dovecote AI"),
        ),
        (
            "Brindle Data has signed a $2 billion, 12-year lease with AI cloud provider Pellucid Compute "
            "for 80 MW at its Marlow campus.",
            ("Brindle Data", "Pellucid Compute"),
        ),
        (
            "Brindle Data will host Orrin Labs at its Marlow site under a seven-year, $900 million "
            "colocation agreement.",
            ("Brindle Data", "Orrin Labs"),
        ),
        (
            "Worth a second look: Halden Grid's $2.4 billion capacity agreement with Orrin Labs, signed "
            "in May.",
            ("Halden Grid", "Orrin Labs"),
        ),
        (
            "Brindle Cloud disclosed on Monday that Orrin Labs would buy any of its unused GPU capacity "
            "through 2031.",
            ("Brindle Cloud", "Orrin Labs"),
        ),
        (
            "Brindle Cloud will serve as the anchor tenant at Marlow Ridge, the 1 GW campus Dovecote AI "
            "is developing in Kansas, taking a first 200 MW phase.",
            ("Dovecote AI", "Brindle Cloud"),
        ),
        (
            "Brindle Cloud will be the anchor tenant at the Marlow campus being developed by Tyrell "
            "Power, taking 200 MW.",
            ("Tyrell Power", "Brindle Cloud"),
        ),
    ],
)
def test_owner_site_host_and_tenant_frames(sentence, pair):
    m = _main("Capacity deal\n\n" + sentence)
    assert (m.provider, m.customer) == pair


def test_a_deal_like_one_another_company_reached_is_told_in_passing():
    result = _result(
        "Halden Grid leases to Pellucid Compute\n\nHalden Grid has signed a 10-year lease with Pellucid "
        "Compute for 120 MW at its Marlow campus. The agreement is similar to one Tyrell Power reached "
        "with Pellucid Compute in May."
    )
    pairs = [(m.provider, m.customer) for m in result.mentions]
    assert pairs[0] == ("Halden Grid", "Pellucid Compute")
    assert ("Tyrell Power", "Pellucid Compute") in pairs


# Two-way announcements: A supplies B, and B leases its campus to A. Each direction is its own deal.
def test_two_way_announcement_gives_both_directions():
    result = _result(
        "Brindle Cloud and Pellucid AI strike two-way pact\n\nBrindle Cloud will deliver a cluster of "
        "30,000 GPUs to Pellucid AI starting in March, the companies said on Tuesday. In the other "
        "direction, Brindle Cloud will serve as the anchor tenant at Marlow Ridge, the campus Pellucid AI "
        "is developing in Kansas, taking an initial 150 MW."
    )
    pairs = [(m.provider, m.customer) for m in result.mentions]
    assert ("Brindle Cloud", "Pellucid AI") in pairs
    assert ("Pellucid AI", "Brindle Cloud") in pairs
    back = next(m for m in result.mentions if m.provider == "Pellucid AI")
    assert back.deal_type == "datacenter"


# A customer relationship stated as a share of someone's business ("counts X among its biggest
# customers", "X is Y's largest customer") is a deal the article states in passing: its own row, the
# right way round, never the article's main deal and never with the main deal's values.
@pytest.mark.parametrize(
    ("aside", "pair"),
    [
        (
            "Pellucid Compute, which listed its shares in May, counts Tyrell Systems among its biggest customers.",
            ("Pellucid Compute", "Tyrell Systems"),
        ),
        ("Pellucid Compute is Tyrell Systems's largest customer.", ("Tyrell Systems", "Pellucid Compute")),
        (
            "Pellucid Compute, a GPU cloud, counts analytics firm Tyrell Systems among its largest cloud customers.",
            ("Pellucid Compute", "Tyrell Systems"),
        ),
    ],
)
def test_existing_customer_relationship_is_a_passing_deal(aside, pair):
    result = _result(
        "Halden Grid leases to Pellucid Compute\n\nHalden Grid has signed a 12-year lease with Pellucid "
        f"Compute for 90 MW at its Marlow campus. {aside}"
    )
    main, *rest = result.mentions
    assert (main.provider, main.customer, main.is_main) == ("Halden Grid", "Pellucid Compute", True)
    assert [(m.provider, m.customer, m.is_main) for m in rest] == [(*pair, False)]
    assert not {f.field for f in rest[0].facts} & {"term_months", "capacity_mw"}


# "X signed a similar agreement with Y" is another deal told in passing, never the article's own.
def test_similar_agreement_is_never_the_main_deal():
    result = _result(
        "Orrin Labs plans more compute\n\nOrrin Labs said it needs far more GPU capacity next year. Halden "
        "Compute signed a similar five-year agreement with Dovecote AI in March."
    )
    assert not any(
        m.is_main and {m.provider, m.customer} == {"Halden Compute", "Dovecote AI"} for m in result.mentions
    )


# "The company" as the only name of one side, in a paragraph of its own: the company the article is
# about.
def test_the_company_alone_is_the_article_subject():
    m = _main(
        "Brindle Compute slips despite new Orrin Labs contract\n\nBrindle Compute reported quarterly "
        "revenue of $40 million on Tuesday, below forecasts.\n\nThe Oslo-based GPU cloud company disclosed "
        "on Tuesday a new four-year agreement with Orrin Labs worth about $1 billion."
    )
    assert (m.provider, m.customer) == ("Brindle Compute", "Orrin Labs")


# "That comes on top of its earlier agreement with Y": an earlier deal of the same provider, with Y.
def test_on_top_of_an_agreement_with_another_customer():
    result = _result(
        "Brindle Compute lands Orrin Labs\n\nBrindle Compute will supply GPU capacity to Orrin Labs under a "
        "$1 billion, four-year contract. That comes on top of March's $2.5 billion agreement with Dovecote "
        "AI, which lifted the shares 30%."
    )
    deals = {(m.provider, m.customer): m for m in result.mentions}
    assert ("Brindle Compute", "Dovecote AI") in deals
    values = [f.value for f in deals[("Brindle Compute", "Dovecote AI")].facts if f.field == "total_value"]
    assert values == [2_500_000_000]


# "a giant Nvidia cluster": the chipmaker names the hardware, it does not supply the deal.
def test_chipmaker_before_cluster_is_the_hardware_not_a_party():
    result = _result(
        "Brindle Cloud lands Pellucid AI\n\nThe coding startup gets a giant Nvidia cluster. Brindle Cloud "
        "will deliver 30,000 GPUs to Pellucid AI under a three-year contract."
    )
    assert all("Nvidia" not in (m.provider, m.customer) for m in result.mentions)


# "It follows the two leases for N MW that A signed with B in June": an earlier deal between the same
# parties keeps its own figures.
def test_it_follows_an_earlier_deal_between_the_same_parties():
    result = _result(
        "Marlow Data adds 60 MW for Pellucid Compute\n\nMarlow Data said on Monday that Pellucid Compute "
        "will lease an additional 60 MW at its Tulsa campus. It follows the two 12-year leases for 120 MW "
        "that Marlow Data signed with Pellucid Compute in June."
    )
    mw = [
        [f.value for f in m.facts if f.field == "capacity_mw"]
        for m in result.mentions
        if (m.provider, m.customer) == ("Marlow Data", "Pellucid Compute")
    ]
    assert sorted(mw) == [[60.0], [120.0]]


# A chipmaker supplying its own chips sells hardware; its install schedule is not a contract start,
# but deliveries are; renting out its own capacity is compute.
def test_chipmaker_sale_is_hardware_without_install_dates():
    m = _main(
        "Marrowby AI to buy Nvidia systems\n\nMarrowby AI has agreed to buy 40,000 accelerators from Nvidia, "
        "the two companies said on Monday. The companies plan to start installing the racks in the "
        "first half of 2027."
    )
    assert (m.provider, m.customer, m.deal_type) == ("Nvidia", "Marrowby AI", "hardware")
    assert not [f for f in m.facts if f.field == "start_date"]


def test_chipmaker_sale_keeps_delivery_start():
    m = _main(
        "Marrowby AI orders AMD chips\n\nMarrowby AI has agreed to buy 12,000 accelerators from AMD. "
        "Deliveries begin in the second quarter of 2027, AMD said."
    )
    assert m.deal_type == "hardware"
    assert [f.value for f in m.facts if f.field == "start_date"] == ["2027-04-01"]


def test_chipmaker_renting_capacity_is_compute():
    m = _main(
        "Quillfeather signs with Nvidia\n\nQuillfeather AI will buy 200 megawatts of computing power "
        "from Nvidia over four years, the companies said."
    )
    assert m.deal_type == "compute"


# A chip vendor named only before its hardware ("10,000 Nvidia GPUs") is the seller when the article
# names no other supplier; beside a named supplier it is only that deal's hardware.
@pytest.mark.parametrize(
    "sentence",
    [
        "Halberd Telecom will buy up to 12,000 Nvidia GPUs for a new AI data center in Lyon.",
        "Halberd Telecom said on Monday it would deploy as many as 250,000 Nvidia GPUs over four years.",
        "Halberd Telecom is buying 9,000 AMD Instinct MI355X GPUs for a 40 MW supercluster.",
    ],
)
def test_vendor_named_by_its_hardware_is_the_seller(sentence):
    m = _main(f"Halberd Telecom plans AI push\n\n{sentence} The companies gave no price.")
    assert (m.customer, m.deal_type) == ("Halberd Telecom", "hardware")
    assert m.provider in ("Nvidia", "AMD")


def test_vendor_hardware_beside_a_named_supplier_is_not_a_deal():
    result = _result(
        "Halberd Telecom rents GPUs from Quarrow Cloud\n\nHalberd Telecom will rent capacity from "
        "Quarrow Cloud for $300 million. Quarrow Cloud will buy 20,000 Nvidia GPUs for the contract."
    )
    pairs = [(m.provider, m.customer) for m in result.mentions]
    assert pairs == [("Quarrow Cloud", "Halberd Telecom")]


# Who does the verb decides the role, wherever the name stands: a company told "to build" or
# "built by" is the supplier; capacity "leased by" a company makes it the customer.
@pytest.mark.parametrize(
    "text, provider, customer",
    [
        (
            "Pellmark AI finds a chip partner\n\nOn Monday Pellmark AI signed Corrin Semi to build 4 GW of "
            "custom accelerators for its data centers. The agreement covers the chips and the racks.",
            "Corrin Semi",
            "Pellmark AI",
        ),
        (
            "Pellmark AI commits to custom racks\n\nPellmark AI agreed to take 3 GW of custom accelerators "
            "under a five-year agreement. The racks will be built by Corrin Semi and shipped from 2027.",
            "Corrin Semi",
            "Pellmark AI",
        ),
        (
            "Tolvan Data to develop campus\n\nTolvan Data will develop a 600 MW campus in Ohio. The capacity "
            "will be leased by Brisk Cloud, Tolvan Data said in a statement about the lease.",
            "Tolvan Data",
            "Brisk Cloud",
        ),
    ],
)
def test_role_follows_the_verb_not_the_position(text, provider, customer):
    m = _main(text)
    assert (m.provider, m.customer) == (provider, customer)


def test_colocation_signed_by_the_tenant_at_the_landlords_site():
    m = _main(
        "Ferrow Cloud heads north\n\nFerrow Cloud, the GPU cloud, said on Monday it has signed a colocation "
        "agreement with Skarvik Data for 6 MW of capacity at Skarvik Data's OSL3 data center in Oslo."
    )
    assert (m.provider, m.customer) == ("Skarvik Data", "Ferrow Cloud")


def test_landlord_signing_a_lease_at_its_own_campus_stays_the_provider():
    m = _main(
        "Tolvan Data signs lease\n\nTolvan Data said on Monday it had signed two leases with Brisk Cloud "
        "for 200 megawatts of capacity at its campus in Ohio."
    )
    assert (m.provider, m.customer) == ("Tolvan Data", "Brisk Cloud")


def test_subject_is_not_the_company_it_walked_away_from():
    m = _main(
        "Quorra walks away from Ashby talks, signs GPU deal with Ferrow Cloud\n\nQuorra, an AI startup, "
        "negotiated with Ashby Compute for months. Those talks stalled, and the startup has instead signed "
        "with Ferrow Cloud for a dedicated cluster worth about $90 million."
    )
    assert (m.provider, m.customer) == ("Ferrow Cloud", "Quorra")


def test_counted_hardware_from_a_cloud():
    m = _main(
        "Quorra to train its model on 2,048 H200s from Ferrow Cloud\n\nQuorra, an AI startup, will get the "
        "GPUs for nine months under a $40 million contract."
    )
    assert (m.provider, m.customer) == ("Ferrow Cloud", "Quorra")


def test_a_singular_largest_customer_is_a_deal_in_passing_without_the_main_deals_money():
    result = _result(
        "Quorra rents GPUs from Ferrow Cloud\n\nQuorra will rent GPUs from Ferrow Cloud for $50 million. "
        "Ferrow Cloud, which counts Danbury Systems as its largest customer, is preparing a listing."
    )
    assert [(m.provider, m.customer, m.is_main) for m in result.mentions] == [
        ("Ferrow Cloud", "Quorra", True),
        ("Ferrow Cloud", "Danbury Systems", False),
    ]
    assert not any(f.field == "total_value" for f in result.mentions[1].facts)


def test_a_cryptocurrency_is_not_a_party():
    m = _main(
        'Harnell Mining signs lease\n\nHarnell Mining, Inc. ("Harnell" or "the Company"), a leader in '
        "Bitcoin mining, today announced that the Company has entered into a lease agreement with Corrin "
        "Semi for 20 megawatts of critical IT load at its Dalton facility."
    )
    assert (m.provider, m.customer) == ("Harnell Mining", "Corrin Semi")


def test_gpu_cloud_named_cloud_rents_compute():
    # a known GPU cloud whose name ends in "Cloud" rents compute; an unknown "... Cloud" stays a cloud
    m = _main(
        "Lattenberg AI signs GPU deal with Genesis Cloud\n\nLattenberg AI has contracted a cluster of 512 "
        "H200 GPUs from Genesis Cloud for two years, the companies said."
    )
    assert (m.provider, m.deal_type) == ("Genesis Cloud", "compute")


def test_initial_term_is_this_deals_term_not_an_earlier_deal():
    result = _result(
        "Harnell Mining signs lease with Corrin Semi\n\nHarnell Mining said on Monday it has signed a lease "
        "with Corrin Semi for 20 megawatts at its Dalton campus.\n\n- Initial term of 8 years, with a total "
        "contract value of approximately $240 million"
    )
    assert len(result.mentions) == 1
    terms = [f.value for f in result.mentions[0].facts if f.field == "term_months"]
    assert terms == [96]


def test_existing_orders_are_not_the_story_deal():
    m = _main(
        "Pellmark AI's own chip gets a builder\n\nPellmark AI will take 2 GW of custom accelerators under a "
        "multiyear agreement. The racks "
        "will be built by Corrin Semi, and the order sits on top of Pellmark AI's existing orders from "
        "Nvidia and AMD."
    )
    assert (m.provider, m.customer) == ("Corrin Semi", "Pellmark AI")


def test_object_pronoun_is_the_sentence_topic_not_the_clause_subject():
    result = _result(
        "Pellmark AI signs compute deal with Orrin Cloud\n\nPellmark AI will buy 300 MW of computing power "
        "from Orrin Cloud over three years. For Pellmark AI, it adds another supplier: the startup has a "
        "custom chip program with Corrin Semi that targets 4 gigawatts, and AMD agreed in May to supply it "
        "with two gigawatts of graphics processors."
    )
    pairs = {(m.provider, m.customer) for m in result.mentions}
    assert ("AMD", "Pellmark AI") in pairs
    assert ("Corrin Semi", "Pellmark AI") in pairs or ("Pellmark AI", "Corrin Semi") not in pairs


def test_newsletter_item_buying_a_vendors_named_chips():
    result = _result(
        "The Rack Memo: two deals\n\n1) Orrin Cloud x Pellmark AI.\nOn Monday Pellmark AI agreed to rent "
        "capacity from Orrin Cloud for $2 billion.\n\n2) Tasker Cloud x AMD.\nTasker Cloud said Thursday it "
        "is buying 12,000 AMD Instinct MI355X GPUs for a 30 MW supercluster."
    )
    pairs = [(m.provider, m.customer) for m in result.mentions]
    assert ("Orrin Cloud", "Pellmark AI") in pairs and ("AMD", "Tasker Cloud") in pairs


def test_first_agreement_recalled_keeps_its_own_figures():
    result = _result(
        "Tasker Cloud widens Nvidia pact\n\nTasker Cloud said on Wednesday it would deploy up to 300,000 Nvidia "
        "GPUs over the next three years, an expansion of the partnership the two companies struck in March.\n"
        "That first agreement covered 9,000 GB300 chips for Tasker Cloud's initial data centers."
    )
    main = result.mentions[0]
    assert (main.provider, main.customer) == ("Nvidia", "Tasker Cloud")
    assert [f.value for f in main.facts if f.field == "accelerator_count"] == [300000]
    earlier = [m for m in result.mentions[1:] if (m.provider, m.customer) == ("Nvidia", "Tasker Cloud")]
    assert earlier and [f.value for f in earlier[0].facts if f.field == "accelerator_count"] == [9000]


# Phrasings written to probe the verb-direction rules, not taken from any article.
_S, _B = "Kessock Cloud", "Brannoch AI"


@pytest.mark.parametrize(
    "sentence",
    [
        f"{_S}'s GPUs will power {_B}'s next models under a three-year, $700 million agreement.",
        f"{_S}, the GPU cloud, will host {_B}'s training runs under a $500 million contract.",
        f"{_S} will sell {_B} 20,000 GPUs for $800 million.",
        f"{_B} struck a $2 billion agreement with the GPU cloud {_S} for dedicated capacity.",
        f"{_B} will rely on {_S} for 40,000 GPUs under a four-year, $2 billion contract.",
        f"{_S} will dedicate 40,000 GPUs to {_B} under a $2 billion contract.",
        f"{_B} to rent {_S} GPUs in $2 billion pact.",
        f"{_B} expands {_S} deal to $4 billion of GPU capacity.",
        f"{_S} nets $2 billion {_B} deal for GPU capacity.",
        f"{_S} is supplying {_B} with 20,000 GPUs under a $1.2 billion contract, the companies said.",
        f"{_B} will take 100 MW of capacity at {_S}'s Dalton campus under a ten-year lease.",
    ],
)
def test_verb_direction_probes(sentence):
    m = _main(f"{sentence}\n\n{sentence}")
    assert (m.provider, m.customer) == (_S, _B)


@pytest.mark.parametrize(
    "text",
    [
        f"{_B} signs GPU deal\n\n{_B} has signed a $1 billion agreement for GPU capacity. The capacity will be "
        f"supplied by {_S} from its Dallas data center.",
        f"{_S} wins deal\n\n{_S} has won a five-year, $3 billion contract to supply computing capacity. The "
        f"customer, {_B}, will pay monthly.",
        f"{_B} buys compute\n\n{_B} will buy $2 billion of compute from {_S}, Chief Executive Jane Roe said. "
        "Roe said the GPUs arrive in March.",
        f"GPU cloud {_S} signs {_B}\n\nGPU cloud {_S} has signed AI startup {_B} to a $2 billion, five-year contract.",
        f"{_B} to get GPUs\n\n{_B} will get access to 30,000 GPUs hosted by {_S} under a $2 billion deal.",
        f"{_S}'s new deal\n\nIn a $2 billion deal, {_S} will rent out 30,000 GPUs to the AI company {_B}.",
    ],
)
def test_descriptor_and_label_probes(text):
    m = _main(text)
    assert (m.provider, m.customer) == (_S, _B)


@pytest.mark.parametrize(
    "text",
    [
        f"{_S} will host {_B}\n\n{_S} will host 20,000 of {_B}'s GPUs at its Dallas facility starting next year.",
        f"{_S} and {_B} expand ties\n\n{_S} and {_B} expanded their partnership, with {_B} taking an additional "
        f"300 MW at {_S}'s campuses.",
        f"{_B} picks {_S} for training\n\n{_B} has chosen {_S} to run its next training cluster of 16,000 GPUs.",
    ],
)
def test_hosting_expanding_and_choosing_probes(text):
    m = _main(text)
    assert (m.provider, m.customer) == (_S, _B)


def test_a_currency_code_is_not_a_party():
    m = _main(
        "Brackwater and Tolland plan EUR 1 billion AI factory\n\nTolland will buy up to 8,000 Nvidia GPUs for "
        "the new AI data center in Lyon, the two companies said on Tuesday."
    )
    assert (m.provider, m.customer) == ("Nvidia", "Tolland")
