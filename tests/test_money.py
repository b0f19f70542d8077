"""Money extraction: recurring fees per month, totals, qualifiers, ranges, and money that is not
the deal's. Sentences are written for these tests (no seed or outlet text)."""

from __future__ import annotations

import pytest

from extractors.models import ArticleContext, Sentence
from extractors.money import find_amounts, money_facts
from extractors.values import extract_values


def _facts(text: str, start: int = 0):
    return money_facts(Sentence(text, start), ArticleContext())


# (sentence, field, value, currency, qualifier)
POSITIVE = [
    (
        "Brightwell will pay Corvane $150 million per month for the capacity.",
        "monthly_fee",
        150e6,
        "USD",
        None,
    ),
    ("Under the deal the lab pays $15 billion a year.", "monthly_fee", 1.25e9, "USD", None),
    ("The customer owes $40M monthly under the lease.", "monthly_fee", 40e6, "USD", None),
    ("Fees come to $1.8bn annually.", "monthly_fee", 150e6, "USD", None),
    ("It commits to quarterly payments of £90m.", "monthly_fee", 30e6, "GBP", None),
    ("Annual fees of US$2.4 billion are due under the agreement.", "monthly_fee", 200e6, "USD", None),
    ("Nordvik agreed to a €600 million-a-year capacity contract.", "monthly_fee", 50e6, "EUR", None),
    (
        "The lab will pay roughly $12 million each week for the GPUs.",
        "monthly_fee",
        12e6 * 52 / 12,
        "USD",
        "about",
    ),
    ("The agreement is worth up to $6 billion.", "total_value", 6e9, "USD", "up to"),
    ("Halden signed a $2.4bn contract with the cloud provider.", "total_value", 2.4e9, "USD", None),
    ("The lease is valued at roughly €900 million.", "total_value", 900e6, "EUR", "about"),
    ("Over its life the deal could total about $3 billion.", "total_value", 3e9, "USD", "about"),
    (
        "The startup will pay $6 billion for access to a rival's supercomputer.",
        "total_value",
        6e9,
        "USD",
        None,
    ),
    ("The order is worth more than C$700 million to the supplier.", "total_value", 700e6, "CAD", "more than"),
    ("The deal is worth nearly ¥300 billion.", "total_value", 300e9, "JPY", "nearly"),
    ("A contract worth at least A$1.1 billion was signed.", "total_value", 1.1e9, "AUD", "at least"),
    ("The pact covers six billion dollars of compute.", "total_value", 6e9, "USD", None),
    ("The commitment is an estimated $4.5bn over five years.", "total_value", 4.5e9, "USD", "about"),
    (
        "The deal runs through 2029 and it would be worth a total of $7.2 billion.",
        "total_value",
        7.2e9,
        "USD",
        None,
    ),
    ("The contract is worth as much as $10 billion.", "total_value", 10e9, "USD", "up to"),
    ("Payments of 500 million euros are due under the agreement.", "total_value", 500e6, "EUR", None),
]


@pytest.mark.parametrize("text,field,value,currency,qualifier", POSITIVE)
def test_deal_money(text, field, value, currency, qualifier):
    facts = [f for f in _facts(text) if f.field == field]
    assert len(facts) == 1, (text, _facts(text))
    f = facts[0]
    assert f.value == pytest.approx(value, rel=1e-6)
    assert f.attrs["currency"] == currency
    assert f.attrs["qualifier"] == qualifier


def test_recurring_keeps_stated_amount_and_period():
    (f,) = _facts("The tenant pays $15 billion a year.")
    assert f.attrs["period"] == "year"
    assert f.attrs["stated_amount"] == pytest.approx(15e9)
    assert f.extractor == "money.recurring"


@pytest.mark.parametrize(
    "text,field,low,high",
    [
        ("Fees will run $3-4 billion a year.", "monthly_fee", 250e6, 4e9 / 12),
        ("The contract is worth between $2 billion and $3 billion.", "total_value", 2e9, 3e9),
        ("The deal is valued at $2 billion to $2.5 billion.", "total_value", 2e9, 2.5e9),
    ],
)
def test_ranges(text, field, low, high):
    (f,) = [f for f in _facts(text) if f.field == field]
    assert f.attrs["low"] == pytest.approx(low)
    assert f.attrs["high"] == pytest.approx(high)
    assert low <= f.value <= high


NEGATIVE = [
    "The startup raised $2.5 billion in a Series C round last month.",
    "Investors valued the lab at $25 billion.",
    "Tarnwick is seeking a $25 billion valuation.",
    "Tarnwick, valued at $25 billion, has not commented.",
    "The provider reported revenue of $4.1 billion for the quarter.",
    "Its quarterly loss widened to $800 million.",
    "Shares jumped 9%, adding $40 billion to its market value.",
    "The group plans capital expenditures of $60 billion this year.",
    "The firm generated $900 million in annual revenue last year.",
    "Renting a GPU costs about $2.10 per GPU-hour.",
    "The company completed a $3 billion acquisition of a chip designer.",
    "Lenders provided a $5 billion loan to build the campus.",
    "The company said it was a multibillion-dollar agreement.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_money_that_is_not_the_deals(text):
    assert _facts(text) == [], _facts(text)


def test_deal_and_funding_in_one_sentence_keep_only_deal():
    text = "Velmora will pay $80 million a month, helped by more than $2 billion in recent funding."
    facts = _facts(text)
    assert [(f.field, f.value) for f in facts] == [("monthly_fee", 80e6)]


def test_offsets_are_absolute_and_span_the_amount():
    text = "The agreement is worth up to $6 billion."
    (f,) = _facts(text, start=1000)
    assert f.start_char == 1000 + text.index("up to")
    assert f.end_char == 1000 + text.index(".", text.index("billion"))
    assert f.display == "up to $6 billion"


def test_unclear_amount_has_lower_confidence_than_cued_one():
    (plain,) = _facts("The figure was $2 billion.")
    (cued,) = _facts("The contract is worth $2 billion.")
    assert plain.confidence < cued.confidence


@pytest.mark.parametrize("text", ["$6.", "3 billion", "$", "2029", "6.3", "$ billion"])
def test_fragments_give_no_amount(text):
    assert find_amounts(text) == []


def test_entry_point_returns_money():
    facts = extract_values(Sentence("The lab will pay $150 million per month.", 10), ArticleContext())
    assert any(f.field == "monthly_fee" and f.value == 150e6 for f in facts)


@pytest.mark.parametrize(
    "text,field,value",
    [
        ("TARNWICK COMMITS $2-3 BILLION A YEAR TO ORCA CLOUD", "monthly_fee", 2.5e9 / 12),
        ("The studio commits to annual compute spending of $1.2 billion.", "monthly_fee", 100e6),
        ("The lab is to spend $600 million annually on the provider's cloud services.", "monthly_fee", 50e6),
        (
            "Corvane will rent the halls to Dunmore for $1.1 billion, communicated the firm.",
            "total_value",
            1.1e9,
        ),
    ],
)
def test_headline_caps_and_recurring_spend(text, field, value):
    assert [(f.field, pytest.approx(f.value)) for f in _facts(text)] == [(field, value)]


@pytest.mark.parametrize(
    "text",
    [
        "Its order book stood at $510 billion, up from $455 billion a quarter earlier.",
        "Crandall Compute to buy rival Pell Systems for $900 million.",
        "Revenue came in at $690 million, below our $705 million estimate.",
        "The lab closed a $1.4 billion Series E earlier this year.",
        "The robot maker has an evaluation of 12 billion dollars.",
    ],
)
def test_more_money_that_is_not_the_deals(text):
    assert _facts(text) == [], _facts(text)


@pytest.mark.parametrize(
    "text,field,value",
    [
        (
            "Pell has agreed to spend roughly $9.7 billion over five years on capacity from Orca.",
            "total_value",
            9.7e9,
        ),
        ("Payments of ¥45 billion are due annually under the contract.", "monthly_fee", 45e9 / 12),
    ],
)
def test_agreed_spend_and_payments_due(text, field, value):
    assert [(f.field, pytest.approx(f.value)) for f in _facts(text)] == [(field, value)]


@pytest.mark.parametrize(
    "text,value,qualifier",
    [
        ("The contract's total value could exceed $20 billion.", 20e9, "more than"),
        ("It has a total value of $3 billion.", 3e9, None),
        (
            "Financial terms were not disclosed, but people familiar put it at $4 billion to $5 billion.",
            4.5e9,
            None,
        ),
    ],
)
def test_total_value_phrasings(text, value, qualifier):
    (f,) = _facts(text)
    assert (f.field, f.value, f.attrs["qualifier"]) == ("total_value", pytest.approx(value), qualifier)


def test_market_value_is_not_a_deal_value():
    assert _facts("The stock has tripled, giving it a market value of about $70 billion.") == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("The lease is worth Rs 5,000 crore over 15 years.", 5e10),
        ("The contract is worth ₹8,000 crore.", 8e10),
    ],
)
def test_indian_scale_words(text, value):
    (f,) = _facts(text)
    assert (f.value, f.attrs["currency"]) == (pytest.approx(value), "INR")


def test_two_amounts_joined_by_and_are_two_amounts():
    text = "Google agreed to pay $30 billion and Anthropic agreed to pay $45 billion under the contracts."
    assert [f.value for f in _facts(text)] == [30e9, 45e9]


def test_capitalised_qualifier_at_sentence_start():
    (f,) = _facts("Up to $6 billion could be paid under the contract.")
    assert f.attrs["qualifier"] == "up to"


# An analyst's abbreviated "circa" hedges the figure like "about"; a funding round's letter does not.
@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("We estimate a total contract value of c.$1.2bn for Brindle's lease.", "about"),
        ("The lease is worth c. $640m over its term, in our model.", "about"),
        ("The whole value is ca. 80 million euros.", "about"),
        ("Dovecote raised a Series C. $400 million came from one fund.", None),
    ],
)
def test_abbreviated_circa_is_a_qualifier(text, qualifier):
    (amount,) = find_amounts(text)
    assert amount.qualifier == qualifier


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("a compute contract worth KRW 800 billion", 800e9, "KRW"),
        ("a 900 billion won contract", 900e9, "KRW"),
        ("RMB 5 billion of rented servers", 5e9, "CNY"),
        ("a NT$12 billion lease", 12e9, "TWD"),
        ("a lease worth 12 billion Taiwan dollars", 12e9, "TWD"),
        ("an S$300 million colocation deal", 300e6, "SGD"),
        ("a 3 billion Hong Kong dollars contract", 3e9, "HKD"),
    ],
)
def test_asian_currency_codes_and_names_are_their_own_currency_not_dollars(text, value, currency):
    """An analyst summing deals by currency must not see won, yuan or Taiwan dollars as USD."""
    assert [(a.value, a.currency) for a in find_amounts(text)] == [(value, currency)]


@pytest.mark.parametrize(
    "text, rule_id, label",
    [
        ("Brindle Cloud raised a $90 million round led by Oxley Partners.", "attached_other", "other"),
        ("Brindle Cloud signed a $10 billion cloud agreement with Tessaly Labs.", "attached_deal", "deal"),
        ("Renewal options could lift the total to $9 billion.", "upside", "other"),
        ("Tessaly agreed to buy $300 billion of computing capacity from Brindle.", "buys_compute", "deal"),
    ],
)
def test_each_money_verdict_names_the_rule_that_decided_it(text, rule_id, label):
    """The amount classifier is a table of named rules (money.CLASSIFY_RULES), so a trace says which
    rule called an amount the deal's or not."""
    from extractors.money import CLASSIFY_RULES, classify_traced

    assert rule_id in dict(CLASSIFY_RULES)
    decided, verdict = classify_traced(text, find_amounts(text)[0])
    assert (decided, verdict[0]) == (rule_id, label)
