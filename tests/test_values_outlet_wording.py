"""Value extraction on wording outside outlets use (categories, each with sentences of our own).

Every sentence here is invented for the test; companies are fictional.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.models import ArticleContext, Sentence
from extractors.values import extract_values

CTX = ArticleContext(published_at=datetime(2025, 6, 11, 15, 0, tzinfo=UTC))  # a Wednesday


def _facts(text: str, field: str) -> list:
    return [f for f in extract_values(Sentence(text, 0, 0), CTX) if f.field == field]


def _values(text: str, field: str) -> list:
    return [f.value for f in _facts(text, field)]


# --- Credit lines and captions: no value from them --------------------------------------------
CREDIT_LINES = [
    "(Reporting by Ana Pereira in Lisbon and Tom Reyes in Manila; Editing by Jan Morrow)",
    "Reporting by Ola Berg in Oslo; additional reporting by Kim Lau in Seoul",
    "(Writing by Dev Anand in Mumbai; Editing by Mark Potter)",
    "Editing by May Lin and Sue Grant",
]


@pytest.mark.parametrize("text", CREDIT_LINES)
def test_credit_lines_give_no_values(text):
    assert extract_values(Sentence(text, 0, 0), CTX) == []


def test_caption_place_is_the_pictures_not_the_deals():
    assert _values("Image caption: A Dunmore Cloud sign at a trade fair in Lisbon.", "location") == []
    assert _values("Photo: Harlow Grid's Marlow campus in Ohio (Harlow Grid)", "facility") == [
        "Marlow campus"
    ]


# --- End dates: a year followed by a comma, "stretches to", metric dates, rollouts -----------------
END_DATES = [
    ("Tessel will rent the racks to Brightwave in a deal that runs through 2032, Tessel said.", "2032-12-31"),
    ("Brightwave signed an order with Tessel that stretches to 2030.", "2030-12-31"),
    ("Quillon agreed to take unused capacity from Vardel through 2029, under a separate pact.", "2029-12-31"),
    ("The lease expires at the end of 2031.", "2031-12-31"),
]


@pytest.mark.parametrize("text,expected", END_DATES)
def test_end_dates(text, expected):
    assert _values(text, "end_date") == [expected]


NOT_END_DATES = [
    "Tessel expects annualized run-rate revenue of $2 billion by the end of the year.",
    "Vardel's order backlog stood at $9 billion at the end of March.",
    "Its borrowings, which topped $4 billion at the end of the third quarter, worry some analysts.",
    "The startup expects to burn through $20 billion in cash through 2028.",
    "Shares are up 40% this year through Friday's close.",
    "The racks will be deployed in phases through 2026 at the Ohio site.",
]


@pytest.mark.parametrize("text", NOT_END_DATES)
def test_metric_and_rollout_dates_are_not_deal_ends(text):
    assert _values(text, "end_date") == []


# --- Start dates: a start verb a few words before the date ----------------------------------------
START_DATES = [
    ("Vardel would begin delivering the capacity in 2028.", "2028-01-01"),
    (
        "Quillon's five-year commitment to buy compute starting in 2027, analysts said, is large.",
        "2027-01-01",
    ),
    ("The first hall is handed over to Brightwave in mid-2026.", "2026-07-01"),
    ("The pact brings 500 MW online for the lab in 2027.", "2027-01-01"),
    ("The contract adds $2 billion of annual revenue once it ramps from 2027.", "2027-01-01"),
]


@pytest.mark.parametrize("text,expected", START_DATES)
def test_start_dates(text, expected):
    assert _values(text, "start_date") == [expected]


NOT_START_DATES = [
    "Tessel said it could go public as early as the second half of 2026.",
    "The funding nearly doubles its valuation from January.",
]


@pytest.mark.parametrize("text", NOT_START_DATES)
def test_market_dates_are_not_starts(text):
    assert _values(text, "start_date") == []


# --- Announcement: "signed ... with X on Monday" ---------------------------------------------------
def test_signed_on_weekday_is_the_announcement():
    text = "Brightwave signed a three-year, $2 billion contract with Tessel on Monday for GPU capacity."
    assert _values(text, "announced_on") == ["2025-06-09"]


# --- Money that is not one deal's -----------------------------------------------------------------
NOT_DEAL_MONEY = [
    "Vardel's $120 Billion Backlog: Time to Buy?",
    "The quarterly filing showed remaining performance obligations, a gauge of future sales, at $90 billion.",
    "Executives forecast revenue of $8 billion this year, then $15 billion and $24 billion after that.",
    "Analysts put the cost of a 1 GW campus near $40 billion, with about $25 billion of that going to chips.",
    "Short sellers point to its debt load, which reached $7 billion in June.",
    "Quillon has signed more than $30 billion of neocloud contracts this year.",
    "You may have missed roughly $20 billion of AI infrastructure deals on Monday.",
    "Dunmore agreed to backstop $1.1 billion of Tessel's lease obligations.",
    "- $6 billion: size of Vardel's spring bond sale",
]


@pytest.mark.parametrize("text", NOT_DEAL_MONEY)
def test_money_of_metrics_and_sums_is_not_a_deal_value(text):
    assert _values(text, "total_value") == []


DEAL_MONEY = [
    ("Quillon agreed to buy computing capacity worth roughly $9 billion under an order form.", 9e9, "about"),
    (
        "The leases represent approximately $2.2 billion in contracted revenue over the initial terms.",
        2.2e9,
        "about",
    ),
    ("The contract adds roughly $5 billion of backlog across four years.", 5e9, "about"),
]


@pytest.mark.parametrize("text,value,qualifier", DEAL_MONEY)
def test_deal_money_in_metric_words(text, value, qualifier):
    facts = _facts(text, "total_value")
    assert [f.value for f in facts] == [value]
    assert facts[0].attrs["qualifier"] == qualifier


MORE_DEAL_MONEY = [
    ("Quillon reportedly agreed to buy about $80 billion of computing capacity from Vardel.", 80e9),
    ("Investors fret over the backlog tied to Quillon's $80 billion, five-year commitment.", 80e9),
    ("At full term it is worth $2.16 billion.", 2.16e9),
]


@pytest.mark.parametrize("text,value", MORE_DEAL_MONEY)
def test_buying_compute_and_attached_deal_nouns(text, value):
    assert _values(text, "total_value") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Harlow agreed to buy Lumen Racks for $4 billion in cash.",
        "The startup is now worth $25 billion after the round.",
        "The firm also has a $2 billion credit facility.",
    ],
)
def test_acquisitions_valuations_and_pipelines_stay_out(text):
    assert _values(text, "total_value") == []


# --- Terms -----------------------------------------------------------------------------------------
TERMS = [
    ("Harlow has signed a five-year, $3.1 billion AI cloud services contract with Quillon.", [60]),
    ("Vardel signed two ten-year high-performance computing colocation agreements with Tessel.", [120]),
    ("The value could rise to $8 billion if Tessel exercises two five-year extension options.", []),
    ("Lambent, which has worked with Quillon for more than eight years, plans an IPO.", []),
    ("Tessel stock hit a five-year high after the deal.", []),
]


@pytest.mark.parametrize("text,expected", TERMS)
def test_terms(text, expected):
    assert _values(text, "term_months") == expected


# --- Hardware counts and capacity told about something else -----------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Vardel, which operates 28 data centers with more than 180,000 Nvidia GPUs, went public in May.",
        "Quillon will pay $900 million to rent 6,000 servers from Lambent.",
    ],
)
def test_fleet_and_server_counts_are_not_the_deals_accelerators(text):
    assert _values(text, "accelerator_count") == []


@pytest.mark.parametrize(
    "text",
    [
        "Its own campus in Ohio could eventually scale to 3 gigawatts.",
        "The site currently hosts about 180MW of bitcoin mining capacity.",
        "Vardel plans to expand the site to 600MW.",
    ],
)
def test_site_potential_is_not_the_deals_capacity(text):
    assert _values(text, "capacity_mw") == []


def test_customers_own_construction_is_not_the_deals_location():
    text = "Quillon is buying capacity from everyone while its own campuses in Ohio are under construction."
    assert _values(text, "location") == []


# --- Round 3: reported dates, "Later on Monday, X said", per-year revenue of a contract, site sizes --
def test_a_report_date_is_not_an_announcement():
    text = "Quillon has signed a deal with Vardel worth $5 billion, a newspaper reported on Tuesday."
    assert _values(text, "announced_on") == []


def test_weekday_then_company_said_is_the_announcement():
    assert _values("Later on Monday, Lambent said it had struck a deal with Quillon.", "announced_on") == [
        "2025-06-09"
    ]


def test_contract_revenue_per_year_is_the_fee():
    text = "The contract works out to about $1.2 billion a year in revenue at full run-rate."
    assert _values(text, "monthly_fee") == [pytest.approx(100e6)]


def test_owners_site_size_is_not_the_deals_capacity():
    assert _values("The racks sit at the company's 600MW campus in Ohio.", "capacity_mw") == []
    assert _values("Vardel is building a 300 MW campus for Quillon in Ohio.", "capacity_mw") == [300.0]


def test_count_of_a_vendors_own_chips():
    text = "Tessel gets access to as many as one million of Vardel's in-house artificial intelligence chips."
    assert _values(text, "accelerator_count") == [1_000_000]


# --- Round 4: a company's flagship/other plans, spending plans over N years -------------------------
def test_flagship_site_capacity_is_told_in_passing():
    text = "Its flagship site in Nevada is expected to be energized next spring with 1.2GW of capacity."
    assert _values(text, "capacity_mw") == []


def test_customers_build_plans_are_not_the_deals_location():
    text = "Quillon would spend billions to build AI campuses, including a site in Kansas called Sequoia."
    assert _values(text, "location") == []


def test_a_spending_plan_over_years_is_not_a_term():
    text = "The venture aims to spend as much as $200 billion on AI infrastructure over four years."
    assert _values(text, "term_months") == []


# --- Round 5: fiscal quarters, "the term is", deal revenue, amounts near a deal noun but not its ------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("Deliveries start in Q3 FY26.", "2026-07-01"),
        ("Service starts in fiscal Q2 2026.", "2026-04-01"),
        ("Service starts in Q1 FY2027.", "2027-01-01"),
    ],
)
def test_fiscal_quarters(text, expected):
    assert _values(text, "start_date") == [expected]


def test_the_term_is_n_months():
    assert _values("The term is 60 months.", "term_months") == [60]


def test_revenue_a_deal_generates_is_its_value():
    assert _values("The 10-year deal would generate $9 billion in revenue for Vardel.", "total_value") == [
        9e9
    ]


def test_revenue_that_rose_after_a_deal_is_not_its_value():
    assert _values("Vardel's revenue rose to $5 billion after the deal.", "total_value") == []


# --- Round 6: one tranche of a deal is not the deal ---------------------------------------------------
TRANCHES = [
    "Around 60,000 of the GPUs will sit in a leased hall in Ohio, with service beginning in the third quarter of 2026.",
    "A further 9,000 will be housed at a site in Narvik, Norway, from the first quarter of 2026.",
    "The biggest chunk, about 50,000 GPUs, goes into a campus in Ohio, with service starting in Q3 2026.",
]


@pytest.mark.parametrize("text", TRANCHES)
def test_a_tranche_gives_no_start_count_or_place(text):
    fields = {f.field for f in extract_values(Sentence(text, 0, 0), CTX)}
    assert not fields & {"start_date", "accelerator_count", "location"}


def test_the_first_phase_and_plain_counts_still_count():
    assert _values("The first phase is handed over to Quillon in mid-2026.", "start_date") == ["2026-07-01"]
    text = "Quillon will rent 20,000 of the newest Nvidia chips starting in March 2026."
    assert _values(text, "start_date") == ["2026-03-01"]
    assert _values(text, "accelerator_count") == [20000]


# --- Round 7: market days and earnings days are not announcements -------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Vardel shares closed up 20% on Wednesday, their best day in years.",
        "The rally came after the company said late on Tuesday that its order backlog more than doubled.",
    ],
)
def test_market_and_earnings_days_are_not_announcements(text):
    assert _values(text, "announced_on") == []


def test_announcement_with_a_share_move_after_it_still_counts():
    text = "Vardel will supply Quillon with GPUs, the company said on Monday, sending its shares up 30%."
    assert _values(text, "announced_on") == ["2025-06-09"]


# --- Round 8: year spans on a deal noun, the initial term ---------------------------------------------
@pytest.mark.parametrize(
    "text,start,end",
    [
        ("The 2026-2030 contract is worth $2 billion.", "2026-01-01", "2030-12-31"),
        ("It signed a 2027–2031 supply agreement.", "2027-01-01", "2031-12-31"),
    ],
)
def test_year_span_on_a_deal_noun(text, start, end):
    assert _values(text, "start_date") == [start]
    assert _values(text, "end_date") == [end]


def test_year_span_of_something_else_is_no_term():
    assert extract_values(Sentence("Its 2021-2024 growth plan worked.", 0, 0), CTX) == []


def test_initial_term_is_the_term_but_an_initial_period_is_not():
    assert _values("The initial term is three years with two one-year renewal options.", "term_months") == [
        36
    ]
    assert _values("After an initial period of three months, either side may exit.", "term_months") == []


# --- Round 9: press-release legal text, fleet under management, adding to the backlog -----------------
def test_safe_harbor_text_gives_no_values():
    text = (
        "This press release contains forward-looking statements, including statements about the expected "
        "value of the agreement of up to $5 billion and capacity delivery starting in 2026."
    )
    assert extract_values(Sentence(text, 0, 0), CTX) == []


def test_gpus_under_management_are_a_fleet():
    text = "About Vardel: Vardel is a Dallas-based AI cloud provider with 45,000 GPUs under management."
    assert _values(text, "accelerator_count") == []


def test_what_a_contract_adds_to_the_backlog_is_its_value():
    assert _values(
        "Vardel said the contract would add $1.2 billion to its revenue backlog.", "total_value"
    ) == [1.2e9]
    assert _values("Vardel's revenue backlog stood at $9 billion.", "total_value") == []


# --- Round 10: a deal spread over several places has no single location --------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("Vardel will supply Quillon with GPUs across sites in Ohio and Portugal.", []),
        ("Vardel will supply GPUs in Texas, Norway and Portugal.", []),
        ("Vardel will supply Quillon from its data centers in Ohio.", ["Ohio"]),
        ("The GPUs will be deployed in Texas and are due in 2026.", ["Texas"]),
    ],
)
def test_several_places(text, expected):
    assert _values(text, "location") == expected


def test_a_company_after_the_place_is_not_a_second_place():
    assert _values("Vardel will build the campus in Ohio, Quillon said.", "location") == ["Ohio"]


# --- Round 11: "-plus", running totals over several deals, "for a decade", "runs for an initial N years" --
def test_billion_plus_is_more_than():
    facts = _facts("The deal is a $10 billion-plus commitment.", "total_value")
    assert [f.value for f in facts] == [10e9] and facts[0].attrs["qualifier"] == "more than"


def test_running_total_over_several_contracts_is_not_a_deal_value():
    text = "The expansion brings the total value of Vardel's contracts with Quillon to about $22.4 billion."
    assert _values(text, "total_value") == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Quillon agreed to pay Vardel $1.8bn a year for a decade.", [120]),
        ("The company has operated for a decade.", []),
        ("Vardel said the agreement runs for an initial 5 years, with the option to extend.", [60]),
        ("For an initial six months the price is fixed.", []),
    ],
)
def test_decade_and_initial_run(text, expected):
    assert _values(text, "term_months") == expected


# --- Round 12: press-release datelines with the wire in parentheses -----------------------------------
def test_globe_newswire_dateline_is_the_announcement():
    text = "Austin, Texas, June 10, 2025 (GLOBE NEWSWIRE) -- Vardel today announced a lease with Quillon."
    facts = _facts(text, "announced_on")
    assert facts[0].value == "2025-06-10" and facts[0].extractor == "dates.announced.dateline"


def test_news_agency_dateline_is_only_the_story_date():
    text = "June 9 (Example Wire) - Quillon has signed a deal with Vardel, a newspaper reported."
    assert _values(text, "announced_on") == []


def test_a_month_recalled_for_an_earlier_deal_is_no_announcement_date():
    text = "The expansion builds on the $2 billion deal the two companies signed in March."
    assert _values(text, "announced_on") == []


def test_buying_equipment_is_a_hardware_deal_value():
    text = "Vardel also said it agreed to buy roughly $2.1 billion of equipment from Tessel."
    assert _values(text, "total_value") == [2.1e9]


# --- Round 13: amounts in words, "begin ... by <date>" ----------------------------------------------------
@pytest.mark.parametrize(
    "text,value,qualifier",
    [
        ("The contract is worth half a billion dollars.", 0.5e9, None),
        ("The agreement is worth about a billion dollars over three years.", 1e9, "about"),
    ],
)
def test_amounts_in_words(text, value, qualifier):
    facts = _facts(text, "total_value")
    assert [f.value for f in facts] == [value] and facts[0].attrs["qualifier"] == qualifier


def test_begin_by_a_date_is_a_start_but_delivered_by_is_a_deadline():
    assert _values("Quillon expects to begin using the capacity by early 2026.", "start_date") == [
        "2026-01-01"
    ]
    assert _values("The GPUs will be delivered by March 2026.", "start_date") == []


# --- Round 14: hardware in a vendor's share move or a stated exclusion ----------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Nvidia shares rose 2% as investors bet on demand for its Blackwell chips.",
        "The deal does not include Nvidia's upcoming Vera Rubin systems.",
    ],
)
def test_hardware_in_a_share_move_or_exclusion_is_in_passing(text):
    assert _values(text, "hardware") == []


def test_later_generation_named_in_the_deal_is_kept():
    text = "Vardel will deliver 20,000 GB300s, and later Vera Rubin systems, to Quillon."
    assert _values(text, "hardware") == ["Nvidia GB300", "Nvidia Vera Rubin"]


# --- Deal money told from the seller's side, and optional upside ----------------------------------
SELLER_SIDE_MONEY = [
    (
        "Marlow Data said the contracts are expected to generate about $2.2 billion in cumulative revenue "
        "over their ten-year terms, averaging about $220 million a year.",
        {"total_value": [2_200_000_000], "monthly_fee": [220_000_000 / 12]},
    ),
    (
        "Marlow Data signed two leases with Pellucid Compute for 90 megawatts at its Tulsa campus, which it "
        "expects to generate about $1.8 billion in revenue over roughly 12 years.",
        {"total_value": [1_800_000_000]},
    ),
    (
        "The new lease carries a 12-year term and is expected to contribute approximately $2.6 billion in "
        "revenue over that term.",
        {"total_value": [2_600_000_000]},
    ),
    (
        "Management guides to north of $3.1 billion of revenue over the initial term, which we calculate at "
        "roughly $250 million a year.",
        {"total_value": [3_100_000_000], "monthly_fee": [250_000_000 / 12]},
    ),
    (
        "Orrin Labs agreed to buy $12 billion worth of computing capacity from Brindle Cloud.",
        {"total_value": [12_000_000_000]},
    ),
]


@pytest.mark.parametrize("text,expected", SELLER_SIDE_MONEY)
def test_deal_money_told_as_the_sellers_revenue(text, expected):
    for field, values in expected.items():
        assert _values(text, field) == pytest.approx(values), field


@pytest.mark.parametrize(
    "text",
    [
        "Renewal options could lift the total to $9.4 billion over 25 years.",
        "The agreement includes two five-year renewal options which, if all exercised, could increase total "
        "contract value to approximately $8.8 billion.",
        "Two extension options could take the total to about $5 billion.",
    ],
)
def test_optional_upside_is_not_the_contract_value(text):
    assert _values(text, "total_value") == []


# --- Capacity: what the deal takes, not options, targets, tranches or the whole site -------------
@pytest.mark.parametrize(
    "text, deal_mw",
    [
        # two leases adding up to one figure: that is the deal's capacity
        (
            "Marlow Data signed two 12-year leases with Pellucid Compute for a combined 180 MW at its campus.",
            [180.0],
        ),
        # one site's capacity split over its buildings is still the site's figure, told plainly
        ("The campus is planned at about 900 megawatts across six buildings once complete.", [900.0]),
        # an option is not contracted capacity
        ("Pellucid Compute also holds an option on an additional 60 MW at the site.", []),
        ("Pellucid Compute takes an initial 120 MW phase, with an option for a further 300 MW.", [120.0]),
        # a company's own target
        ("It is aiming to have 1.8 gigawatts of contracted power by the end of next year.", []),
        # one tranche
        ("The first phase, three buildings with more than 150 MW, is already energized.", []),
        # the whole site's size next to what the deal takes of it
        (
            "Pellucid Compute will be the anchor tenant at Marlow Ridge, the 1.5 GW campus Orrin Labs is "
            "developing, taking an initial 200 MW.",
            [200.0],
        ),
    ],
)
def test_capacity_the_deal_takes(text, deal_mw):
    confident = [f.value for f in _facts(text, "capacity_mw") if not f.attrs.get("in_passing")]
    assert confident == deal_mw


# --- Locations: a county keeps its compass word; a reporter's whereabouts are not the deal's ------
def test_county_with_a_compass_word_is_kept_whole():
    text = "Marlow Data signed a lease for 90 MW at its campus in East Tallow Parish, Louisiana."
    assert _values(text, "location") == ["East Tallow Parish, Louisiana"]


@pytest.mark.parametrize(
    "text",
    [
        "Staff writer Ann Lee contributed from Boise, Idaho.",
        "Tom Reyes contributed reporting from Denver.",
    ],
)
def test_a_contributors_city_is_not_the_deals_location(text):
    assert _values(text, "location") == []


# --- End dates that are not the deal's: construction, targets, rights beside the deal -----------
@pytest.mark.parametrize(
    "text",
    [
        "The first hall is energized, with the remaining four buildings expected to be completed by mid-2027.",
        "It is aiming to have 3 gigawatts of contracted power by the end of next year.",
        "Its licence to the lab's models now extends through 2031 and covers later models too.",
    ],
)
def test_construction_targets_and_rights_are_not_deal_ends(text):
    assert _values(text, "end_date") == []


def test_a_contract_that_extends_through_a_year_still_ends_then():
    assert _values("The contract now extends through 2031.", "end_date") == ["2031-12-31"]


def test_one_buildings_chip_count_is_not_the_deals_but_its_model_is():
    text = "Each building is designed to hold up to 40,000 Nvidia GB200 chips on one network."
    counts = [f for f in _facts(text, "accelerator_count") if not f.attrs.get("in_passing")]
    assert counts == []
    assert _values(text, "hardware") == ["Nvidia GB200"]


def test_who_built_a_site_is_not_its_name():
    text = "Orrin Labs agreed to lease the entire Halden-developed data center campus in Tulsa, Oklahoma."
    assert _values(text, "facility") == []


# --- Estimates and money for something else are not the deal's value ---------------------------
NOT_DEAL_VALUES = [
    "Analysts estimated that 400,000 of the chips would cost well over $15 billion at list prices.",
    "At list prices, a rack of 72 chips sells for around $3 million, which would put the order north of $600 million.",
    "Two five-year extensions would take total contract value to about $900 million.",
    "Corvane paid about $12 billion in March to license Pellum's chip designs and hire its engineers.",
]


@pytest.mark.parametrize("text", NOT_DEAL_VALUES)
def test_estimates_and_other_payments_are_not_deal_values(text):
    assert _values(text, "total_value") == []


def test_tilde_is_about():
    (f,) = _facts("Harnell will lease 20 MW to Corrin for ten years for ~$250M.", "total_value")
    assert (f.value, f.attrs.get("qualifier")) == (250_000_000, "about")


# --- Places that are not the site: stock exchanges, announcement venues, a bare country ---------
NOT_SITES = [
    "Shares of Corrin rose 4.2% to $88.10 in New York.",
    "The plan was announced at the company's Cloud World event in Las Vegas on Tuesday.",
    "The systems will include new racks, according to a statement released in Washington.",
    "Corrin will rent capacity at a data center in Canada that opens next year.",
]


@pytest.mark.parametrize("text", NOT_SITES)
def test_places_that_are_not_the_site(text):
    assert _values(text, "location") == []


def test_owner_before_a_town_is_not_part_of_it():
    assert _values("Corrin will lease 20 MW at Harnell's Dalton, Georgia site.", "location") == [
        "Dalton, Georgia"
    ]


def test_site_codes_are_facilities():
    assert _values("Corrin has leased 9 MW at Harnell's DAL3 data center.", "facility") == [
        "DAL3 data center"
    ]
    assert _values("Harnell will run the GPUs from its MU2 campus.", "facility") == ["MU2 campus"]
    assert _values("Corrin runs an H100 cluster and a GB200 cluster.", "facility") == []


# --- Accelerator counts: power and rack sizes are not counts; "50K" is ---------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Pellmark taps Corrin for 8 gigawatts of custom AI chips",
        "The rack-scale design packs 64 of the chips into a single liquid-cooled cabinet.",
        "At list prices, a rack of 72 chips sells for around $3 million.",
    ],
)
def test_power_and_rack_sizes_are_not_counts(text):
    assert _values(text, "accelerator_count") == []


def test_thousands_written_with_k():
    assert _values("Harnell will stand up 40K MI450s in new racks next year.", "accelerator_count") == [40000]


# --- Delivery deadlines and staged roll-outs are not a contract's end -----------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Brackwater will deliver 60,000 GPUs to Tolland at the site by the end of 2027, the companies said.",
        "The capacity will run in Brackwater's halls and come online in several stages through 2029.",
    ],
)
def test_delivery_deadlines_are_not_end_dates(text):
    assert _values(text, "end_date") == []


@pytest.mark.parametrize(
    "text",
    [
        "Related: Brackwater to link up to 500,000 GPUs across 12 data centers",
        "Read next: Tolland signs $4 billion deal with Orrin Cloud for 300 MW in Ohio",
        "More from Dispatch: Harnell lands 40,000 GPUs in Dalton, Georgia",
    ],
)
def test_teaser_links_give_no_values(text):
    assert extract_values(Sentence(text, 0, 0), CTX) == []


def test_phased_delivery_is_not_the_contract_period():
    text = (
        "Capacity will be delivered in phases beginning in March 2027, with the full 30 MW expected to be "
        "available by August 2027."
    )
    assert _values(text, "start_date") == []
    assert _values(text, "end_date") == []


def test_several_extensions_are_options_not_the_term():
    assert (
        _values("Two five-year extensions would lift the total to about $700 million.", "term_months") == []
    )
    assert _values("Tolland signed a two-year extension of its contract with Brackwater.", "term_months") == [
        24
    ]


def test_a_site_due_to_start_operating_keeps_its_hardware():
    text = "The hall will run Nvidia DGX B200 systems and is due to start operating in the second quarter of 2027."
    assert _values(text, "hardware") == ["Nvidia B200"]


def test_spending_on_a_cloud_is_the_deal_value():
    assert _values(
        "Under the five-year deal, Tolland will spend $9 billion on Brackwater's cloud.", "total_value"
    ) == [9e9]
    assert _values("Tolland plans to spend $9 billion on new offices and hiring.", "total_value") == []


def test_a_planned_project_budget_is_not_a_deal_value():
    assert _values("Tolland and Brackwater plan EUR 2 billion AI factory in Lyon", "total_value") == []
    assert _values("Tolland plans to pay Brackwater $2 billion for the capacity.", "total_value") == [2e9]
