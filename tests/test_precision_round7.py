"""Precision and fields, seventh round (issue 10), one mechanism per group; wordings written for this
test with invented companies, each with a near miss:

- the deal type comes from what is rented before the provider's name: an unknown "X Cloud" that rents
  counted GPUs, GPU capacity or a customer's training sells compute; words of a cloud service ("cloud
  services", "the cloud provider", a platform hosting the customer's models) make it a cloud deal; a
  silent customer of the main deal's provider buys what the main one buys; only words silent on
  all of it leave the provider's kind (a cloud);
- buying the thing itself (sites, buildings, campuses, a portfolio) is an acquisition, never a compute or
  data-center pair, even when the sentence says how many megawatts "of capacity" the sites have;
- a value told in a clause about another company's deal ("its other tenant is Y, which signed a
  one-year deal") is not the main deal's;
- a rename told as an apposition with "known until January as" or "once known as" links the earlier
  name, so a deal told only under it (or its short form) in another article is one row."""

from __future__ import annotations

import duckdb
import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles
from reconciliation.renames import current_name, rename_links


def _mentions(text: str, headline: bool = True) -> dict[tuple[str | None, str | None], object]:
    """Each pair's mention; the first line is also the page title when ``headline``."""
    title = text.split("\n")[0] if headline else None
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=title)])
    return {(m.provider, m.customer): m for m in result.mentions}


def _types(text: str) -> dict[tuple[str | None, str | None], str]:
    return {pair: m.deal_type for pair, m in _mentions(text).items()}


@pytest.mark.parametrize(
    ("text", "pair", "kind"),
    [
        # work moved to an unknown "... Cloud" with no word of a cloud service: GPUs rented, compute
        (
            "Quillan Robotics moves its training to Farrowby Cloud\n\n"
            "Quillan Robotics has agreed to move its model training to Farrowby Cloud in a deal worth about "
            "$60 million over two years.",
            ("Farrowby Cloud", "Quillan Robotics"),
            "compute",
        ),
        # a customer told in passing, running its models on the provider's fleet
        (
            "Tolgate Bio signs with Amblecote Compute\n\n"
            "Tolgate Bio will rent 512 GPUs from Amblecote Compute for a year. Gresby GPU Cloud's other "
            "clients include Tolgate Bio, which runs protein models on Gresby's H100 fleet.",
            ("Gresby GPU Cloud", "Tolgate Bio"),
            "compute",
        ),
        # an anchor customer under a contract, nothing said of what it buys: only what the provider
        # is, a cloud, says anything
        (
            "Banks sign up for clouds\n\n"
            "Hollinwood Cloud has counted Pelsall Bank as its anchor customer since 2025, under a two-year "
            "contract.",
            ("Hollinwood Cloud", "Pelsall Bank"),
            "cloud",
        ),
        # … and a training run moved to it is compute
        (
            "Quillan Robotics moves training to Hollinwood Cloud\n\n"
            "Quillan Robotics has agreed to move its training to Hollinwood Cloud under a two-year contract.",
            ("Hollinwood Cloud", "Quillan Robotics"),
            "compute",
        ),
        # the near misses: words of a cloud service keep it a cloud deal
        (
            "Pelsall Bank commits $300 million to Hollinwood Cloud\n\n"
            "Pelsall Bank has agreed to spend at least $300 million on Hollinwood Cloud services over six "
            "years, the bank said.",
            ("Hollinwood Cloud", "Pelsall Bank"),
            "cloud",
        ),
        (
            "Hollinwood Cloud wins Pelsall Bank\n\n"
            "The cloud provider Hollinwood Cloud has won a six-year contract from Pelsall Bank worth "
            "$300 million.",
            ("Hollinwood Cloud", "Pelsall Bank"),
            "cloud",
        ),
        # a platform that hosts the customer's models is a cloud service
        (
            "Pelsall Bank moves risk models to Hollinwood Cloud\n\n"
            "Pelsall Bank has committed $300 million over five years to Hollinwood Cloud's AI platform, "
            "the bank said.",
            ("Hollinwood Cloud", "Pelsall Bank"),
            "cloud",
        ),
        (
            "Pelsall Bank signs with Hollinwood Cloud\n\n"
            "Pelsall Bank will pay Hollinwood Cloud $40 million a year; Hollinwood already hosts the "
            "fraud models of three other lenders.",
            ("Hollinwood Cloud", "Pelsall Bank"),
            "cloud",
        ),
        # a customer of the main deal's provider, told in passing with no word of what it buys, buys
        # what the main customer buys …
        (
            "Pelsall Bank rents GPUs from Hollinwood Cloud\n\n"
            "Pelsall Bank will rent 2,048 GPUs from Hollinwood Cloud for three years, the bank said. "
            "Hollinwood already serves insurers, including Tamber Insurance.",
            ("Hollinwood Cloud", "Tamber Insurance"),
            "compute",
        ),
        # … but a customer of another provider named in passing does not
        (
            "Pelsall Bank rents GPUs from Hollinwood Cloud\n\n"
            "Pelsall Bank will rent 2,048 GPUs from Hollinwood Cloud for three years, the bank said. "
            "Hollinwood's rival Garsdale Cloud has counted Tamber Insurance as its anchor customer since "
            "2025, under a two-year contract.",
            ("Garsdale Cloud", "Tamber Insurance"),
            "cloud",
        ),
    ],
)
def test_the_deal_type_is_what_is_rented_not_the_providers_name(text, pair, kind):
    types = _types(text)
    assert types.get(pair) == kind, types


@pytest.mark.parametrize(
    "text",
    [
        # sites bought with their megawatts "of capacity": the buyer takes the property, rents nothing
        "Carnforth Data to buy two Ohio sites\n\n"
        "Carnforth Data agreed to buy two data-center sites in Ohio with 120 MW of capacity from Brackley "
        "Holdings for $910 million. The sites are empty today.",
        # a campus purchased, with the verb in the present
        "Stainton Infrastructure purchases Nevada campus\n\n"
        "Stainton Infrastructure purchases the Elmore campus and its 60 MW of capacity from Wexcombe Land "
        "for $400 million, the buyer said.",
        # buildings bought from a developer
        "Ravensworth Compute will buy three buildings\n\n"
        "Ravensworth Compute will buy three powered buildings from Ollerton Estates for $250 million, "
        "adding 45 MW of capacity from next year.",
    ],
)
def test_buying_the_sites_themselves_makes_no_pair(text):
    assert list(_mentions(text)) == []


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        # the near misses: capacity bought at, or in, someone's sites is a rental
        (
            "Hexworth AI buys capacity at Carnforth sites\n\n"
            "Hexworth AI agreed to buy 40 MW of capacity at two data-center sites in Ohio from Carnforth "
            "Data for $30 million a year.",
            ("Carnforth Data", "Hexworth AI"),
        ),
        (
            "Hexworth AI rents space in Carnforth buildings\n\n"
            "Hexworth AI will lease 20 MW of space in three buildings from Carnforth Data for ten years.",
            ("Carnforth Data", "Hexworth AI"),
        ),
    ],
)
def test_capacity_bought_in_a_site_is_still_a_deal(text, pair):
    pairs = _mentions(text)
    assert pair in pairs, list(pairs)


def _term(text: str, pair: tuple[str, str]) -> int | None:
    m = _mentions(text).get(pair)
    assert m is not None, list(_mentions(text))
    return next((f.value for f in m.facts if f.field == "term_months"), None)


@pytest.mark.parametrize(
    "aside",
    [
        # the provider's other customer, told by a role noun before the name, with its own deal's length
        "Harwick's other tenant in Leeds is Brigsteer Labs, which signed a one-year deal in the spring.",
        "Harwick's biggest client is Brigsteer Labs, which signed a one-year contract last summer.",
        # … or the name first, with its own deal's length after it
        "Brigsteer Labs, another Harwick customer, signed a one-year deal in the spring.",
        # … or in apposition after it
        "Harwick is not keeping the GPUs idle: its biggest customer, Brigsteer Labs, signed a one-year "
        "contract in March.",
    ],
)
def test_a_length_told_of_another_customer_stays_out_of_the_main_deal(aside):
    text = (
        "Harwick Cloud lands Ostle Robotics\n\n"
        "Harwick Cloud will supply Ostle Robotics with 2,048 H200 GPUs in Leeds for 30 months starting in "
        f"March, the companies said on Monday.\n\n{aside}"
    )
    assert _term(text, ("Harwick Cloud", "Ostle Robotics")) == 30


def test_a_length_told_in_a_later_sentence_of_the_main_deal_is_kept():
    # the near miss: a later sentence naming only a main party still tells the main deal's length
    text = (
        "Harwick Cloud lands Ostle Robotics\n\n"
        "Harwick Cloud will supply Ostle Robotics with 2,048 H200 GPUs in Leeds, the companies said on "
        "Monday. Harwick said the contract runs for 30 months."
    )
    assert _term(text, ("Harwick Cloud", "Ostle Robotics")) == 30


@pytest.mark.parametrize(
    "sentence",
    [
        "Corrow Data Halls, the operator known until January as Brisco Colocation, today announced a lease.",
        "Corrow Data Halls, the landlord called until last year Brisco Colocation, signed Ombrel AI.",
        "Corrow Data Halls, once known as Brisco Colocation, will host Ombrel AI.",
        "Corrow Data Halls, the Nevada operator that was known until 2025 as Brisco Colocation, will host Ombrel AI.",
    ],
)
def test_a_rename_told_by_until_or_once_links_the_earlier_name(sentence):
    links = rename_links([("Corrow Data Halls", "Ombrel AI", sentence)])
    assert current_name("Brisco Colocation", links) == "Corrow Data Halls"
    # … and an article's short form of the earlier name ("Brisco") reads under the current one
    assert current_name("Brisco", links) == "Corrow Data Halls"


@pytest.mark.parametrize(
    "sentence",
    [
        # the near misses: what a company was known for, or another company known as something
        "Corrow Data Halls, the operator known until January as the fastest builder in Reno, will host Ombrel AI.",
        "Corrow Data Halls, a buyer of the firm once known as Brisco Colocation, will host Ombrel AI.",
        "Corrow Data Halls, known for its work with Brisco Colocation, will host Ombrel AI.",
    ],
)
def test_a_phrase_that_renames_nothing_links_nothing(sentence):
    assert current_name(
        "Brisco Colocation", rename_links([("Corrow Data Halls", "Ombrel AI", sentence)])
    ) == ("Brisco Colocation")


@pytest.mark.usefixtures("prefect_harness")
def test_a_deal_told_only_under_the_earlier_name_joins_the_row_under_the_current_one(tmp_path):
    from flows.ingest import ingest

    renamed = tmp_path / "a_renamed.txt"
    renamed.write_text(
        "Corrow Data Halls signs 90 MW lease with Ombrel AI\n\n"
        "RENO, Nev., April 2, 2026 -- Corrow Data Halls, the operator known until January as Brisco "
        "Colocation, today announced a 12-year lease of 90 MW at its Dunmere campus in Reno, Nevada, to "
        "Ombrel AI. The lease is valued at about $1.8 billion.",
        encoding="utf-8",
    )
    old = tmp_path / "b_old.txt"
    old.write_text(
        "Brisco lands Ombrel AI for Reno hall\n\n"
        "Brisco Colocation -- it has a new name now, but the trade still calls it Brisco -- has leased "
        "90 megawatts in Reno to Ombrel AI for twelve years, at about $12 million a month.",
        encoding="utf-8",
    )
    db = tmp_path / "runs.duckdb"
    ingest([str(renamed), str(old)], db_path=str(db), quiet=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT provider, customer FROM deals ORDER BY ALL").fetchall()
    finally:
        con.close()
    assert rows == [("Corrow Data Halls", "Ombrel AI")]


@pytest.mark.parametrize(
    ("text", "pair", "kind"),
    [
        # servers built for a buyer and called an order: a hardware sale
        (
            "Hollin Systems' $400 million Garrow Cloud order\n\n"
            "Hollin Systems will build roughly 8,000 MI355X-based accelerators into servers for Garrow Cloud "
            "-- an order worth around $400 million, according to people familiar with it.",
            ("Hollin Systems", "Garrow Cloud"),
            "hardware",
        ),
        # the near miss: a hall built for a tenant's GPUs under a lease is a data-center deal
        (
            "Stanmore Data signs Garrow Cloud\n\n"
            "Stanmore Data will build a 40 MW data center for Garrow Cloud's servers and lease the building "
            "to Garrow for 15 years.",
            ("Stanmore Data", "Garrow Cloud"),
            "datacenter",
        ),
    ],
)
def test_servers_built_for_a_buyer_are_a_hardware_sale(text, pair, kind):
    types = _types(text)
    assert types.get(pair) == kind, types


def test_gpus_supplied_for_a_number_of_years_are_a_rental_with_its_end_date():
    # "for three years" is a term, and a sale has none: the deal is compute and keeps its end date
    text = (
        "Tarnby Compute to supply Ullock Robotics with H200 cluster\n\n"
        "Tarnby Compute will supply Ullock Robotics with 4,096 Nvidia H200 GPUs for three years under a "
        "contract worth up to $400 million, the companies said on Tuesday. The term ends in December 2029."
    )
    m = _mentions(text)[("Tarnby Compute", "Ullock Robotics")]
    assert m.deal_type == "compute"
    assert any(f.field == "end_date" and str(f.value) == "2029-12-31" for f in m.facts)


def test_gpus_sold_for_a_price_are_still_a_sale():
    # the near miss: a price and no term
    text = (
        "Tarnby Systems sells GPUs to Ullock Cloud\n\n"
        "Ullock Cloud has bought 4,096 Nvidia H200 GPUs from Tarnby Systems for $120 million, Tarnby said."
    )
    assert _types(text).get(("Tarnby Systems", "Ullock Cloud")) == "hardware"


@pytest.mark.parametrize(
    "title", ["chief data officer", "chief information security officer", "chief AI officer"]
)
def test_a_total_told_by_an_officer_of_a_party_is_the_main_deals(title):
    # any "chief … officer" before a name makes it a person, so the sentence continues the main deal
    text = (
        "Quernby Bank is renting GPUs\n\n"
        "Quernby Bank is paying Hallow Cloud $9 million a month for dedicated GPU capacity over three years. "
        f"The bank's {title}, Mora Venn, told us the total comes to roughly $320 million."
    )
    m = _mentions(text)[("Hallow Cloud", "Quernby Bank")]
    assert [f.value for f in m.facts if f.field == "total_value"] == [320_000_000]
    assert all("Mora Venn" not in pair for pair in _mentions(text) if pair)


def test_a_company_after_an_officers_employer_is_still_named():
    # the near miss: the title's employer is a company, the person comes after it
    text = (
        "Quernby Bank is renting GPUs\n\n"
        "Quernby Bank is paying Hallow Cloud $9 million a month for dedicated GPU capacity over three years, "
        "Hallow's chief data officer said."
    )
    assert ("Hallow Cloud", "Quernby Bank") in _mentions(text)


@pytest.mark.parametrize(
    ("sentence", "lockin"),
    [
        ("Either side may end it on 60 days' notice once an initial 18-month period has passed.", 18),
        ("The customer may cancel on 30 days' notice following a minimum 12-month term.", 12),
        ("Either side may end it on 60 days' notice after an initial 18-month period.", 18),
        # the near miss: a notice period alone sets no lock-in
        ("Either side may end it on 60 days' notice at any time.", None),
    ],
)
def test_a_lock_in_told_with_once_or_following_is_read(sentence, lockin):
    from extractors.sentences import split_sentences
    from extractors.termination import termination_facts

    facts = termination_facts(split_sentences(sentence)[0])
    assert next((f.value for f in facts if f.field == "termination_lockin_months"), None) == lockin


def test_a_tie_of_deal_types_goes_to_the_article_whose_main_deal_it_is():
    from reconciliation.reconcile import reconcile
    from tests.test_reconcile_table import deals_of, told

    rows = [
        told(f"m{i}", pub, provider="Hollinwood Cloud", customer="Pelsall Bank")
        for i, pub in enumerate(["A", "B"])
    ]
    rows[0].mention.deal_type, rows[0].mention.is_main = "compute", True
    rows[1].mention.deal_type, rows[1].mention.is_main = "cloud", False
    (deal,) = deals_of(reconcile(rows))
    assert deal["deal_type"] == "compute"
    # the near miss: two passing mentions against one main one still outvote it
    rows.append(told("m2", "C", provider="Hollinwood Cloud", customer="Pelsall Bank"))
    rows[2].mention.deal_type, rows[2].mention.is_main = "cloud", False
    (deal,) = deals_of(reconcile(rows))
    assert deal["deal_type"] == "cloud"


def test_gpus_supplied_under_a_term_told_in_a_list_are_a_rental():
    # the term is in a bullet of its own, not in the sentence that names the pair
    text = (
        "Harnock Compute to provide H200 cluster to Pellow Genomics\n\n"
        "Harnock Compute and Pellow Genomics today announced an agreement under which Harnock Compute will "
        "supply Pellow Genomics with a dedicated cluster of 512 Nvidia H200 GPUs in Leipzig.\n\n"
        "Under the agreement:\n- the service term is 30 months, beginning on 1 March 2027;\n"
        "- the customer pays a fixed fee of EUR 1.2 million per quarter."
    )
    assert _types(text).get(("Harnock Compute", "Pellow Genomics")) == "compute"


def test_the_moved_word_lists_live_only_in_the_vocabulary():
    """descriptors.py's nouns, non_parties' makers and deal_type's cloud and rental words are read from
    vocabulary.toml; an inline copy of one of these lists drifts from it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "extractors"
    copies = {
        "descriptors.py": ["hyperscaler|neocloud|maker|giant", "customers|clients|tenants|users|buyers"],
        "non_parties.py": ["maker|creator|publisher"],
        "deal_type.py": ["services?|contract|deal|agreement|commitment", "access to|rent"],
    }
    found = [(f, c) for f, cs in copies.items() for c in cs if c in (root / f).read_text(encoding="utf-8")]
    assert found == []
    from extractors.vocabulary import deal_type_words, word_alternation

    assert "tenants" in word_alternation("descriptors", "its_list_nouns").split("|")
    assert "publisher" in word_alternation("names", "maker_of_nouns").split("|")
    assert "platform" in deal_type_words()["cloud_platform_nouns"]
