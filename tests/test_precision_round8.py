"""Precision and fields, eighth round (issue 10), one mechanism per group; wordings written for this
test with invented companies, each with a near miss:

- an expansion and the agreement it adds to are two deals: a sentence whose subject is this deal
  ("The expansion comes on top of the … contract the two companies signed in March, which was valued
  at $X") and that names no company tells the earlier agreement, so its money, term and chips go to
  that agreement, never to the expansion; a sentence that only continues the expansion keeps its
  values, and one that tells no earlier agreement ("comes after the company raised …") makes none;
- "an expansion worth $X" states the expansion's own value (an expansion is a deal noun);
- through the real flow, the original, its expansion and a note on "the second deal" make two rows,
  each with its own total, chips and fee."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles


def _mentions(text: str) -> list:
    title = text.split("\n")[0]
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=title)])
    return result.mentions


def _values(m, field: str) -> list:
    return [f.value for f in m.facts if f.field == field]


def _main(mentions: list):
    (main,) = [m for m in mentions if m.is_main]
    return main


EXPANSION = (
    "Gelli Compute expands Brynmawr Search deal\n\n"
    "Gelli Compute said on Monday that Brynmawr Search will add 4,000 Nvidia B200 GPUs under an expansion "
    "worth $500 million over two years.\n\n"
    "The expansion comes on top of the four-year H100 contract the two companies signed in March, which was "
    "valued at $800 million."
)


def test_an_expansion_keeps_its_own_total_and_chips_and_the_earlier_contract_gets_its_own():
    mentions = _mentions(EXPANSION)
    main = _main(mentions)
    assert _values(main, "total_value") == [500_000_000]
    assert _values(main, "hardware") == ["Nvidia B200"]
    assert _values(main, "term_months") == [24]
    earlier = [
        m for m in mentions if not m.is_main and (m.provider, m.customer) == (main.provider, main.customer)
    ]
    assert earlier, "the earlier contract is told as a deal of its own"
    assert _values(earlier[0], "total_value") == [800_000_000]
    assert "Nvidia H100" in _values(earlier[0], "hardware")


def test_a_sentence_that_only_continues_the_expansion_keeps_its_values():
    text = (
        "Gelli Compute expands Brynmawr Search deal\n\n"
        "Gelli Compute said on Monday that Brynmawr Search will add 4,000 Nvidia B200 GPUs to its cluster.\n\n"
        "The expansion comes with a two-year term and is valued at $500 million."
    )
    main = _main(_mentions(text))
    assert _values(main, "total_value") == [500_000_000]
    assert _values(main, "term_months") == [24]


def test_a_sentence_that_tells_no_earlier_agreement_makes_no_earlier_deal():
    text = (
        "Gelli Compute expands Brynmawr Search deal\n\n"
        "Gelli Compute said on Monday that Brynmawr Search will add 4,000 Nvidia B200 GPUs under an expansion "
        "worth $500 million over two years.\n\n"
        "The expansion comes two weeks after the company raised $300 million from investors."
    )
    mentions = _mentions(text)
    assert _values(_main(mentions), "total_value") == [500_000_000]
    assert not [v for m in mentions if not m.is_main for v in _values(m, "total_value")]


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        # an expansion's own value
        (
            "Ystrad Cloud widens Penhow Labs pact\n\n"
            "Penhow Labs will rent 2,000 more GPUs from Ystrad Cloud under an expansion worth $90 million.",
            [90_000_000],
        ),
        # near miss: a company's worth is no deal's value
        (
            "Ystrad Cloud signs Penhow Labs\n\n"
            "Penhow Labs, a start-up worth $90 million, will rent 2,000 GPUs from Ystrad Cloud.",
            [],
        ),
    ],
)
def test_an_expansion_worth_states_the_deals_value(text, stated):
    main = _main(_mentions(text))
    assert _values(main, "total_value") == stated


ARTICLES = {
    "a_wire.txt": (
        "Brynmawr Search to rent GPUs from Gelli Compute\n\n"
        "NEW YORK, March 9, 2026 -- Brynmawr Search has signed on to rent H100 capacity from Gelli Compute for "
        "four years in a contract valued at $800 million, the companies said."
    ),
    "b_press.txt": (
        "Gelli Compute expands Brynmawr Search agreement\n\n"
        "NEW YORK, June 22, 2026 -- Gelli Compute today announced that Brynmawr Search will add 4,000 Nvidia "
        "B200 GPUs under an expansion worth $500 million over two years.\n\n"
        "The expansion comes on top of the four-year H100 contract the two companies signed in March, which was "
        "valued at $800 million."
    ),
    "c_analyst.txt": (
        "GELLI: the expansion adds $500 million of backlog\n\n"
        "LONDON, June 23, 2026 -- Gelli Compute's second deal with Brynmawr Search adds $500 million over 24 "
        "months by our reading: 4,000 B200s at roughly $21 million a month. We keep our rating."
    ),
}


def _undated() -> dict[str, str]:
    """The same story with no dates at all: every article is announced when it is read, so only the
    values tell the original from the expansion."""
    out = {}
    for name, text in ARTICLES.items():
        title, body = text.split("\n\n", 1)
        out[name] = title + "\n\n" + body.split(" -- ", 1)[-1]
    return out


@pytest.fixture(scope="module", params=["dated", "undated"])
def pair_rows(request, tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> list[tuple]:
    from flows.ingest import ingest

    folder = tmp_path_factory.mktemp("expansion")
    for name, text in (ARTICLES if request.param == "dated" else _undated()).items():
        (folder / name).write_text(text, encoding="utf-8")
    db = Path(folder) / "dw.duckdb"
    ingest([str(folder)], db_path=str(db), quiet=True)
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT total_value, hardware, monthly_fee FROM deals "
            "WHERE provider = 'Gelli Compute' AND customer = 'Brynmawr Search' ORDER BY total_value"
        ).fetchall()


def test_an_original_and_its_expansion_are_two_rows_each_with_its_own_values(pair_rows):
    assert len(pair_rows) == 2, pair_rows
    (expansion, original) = pair_rows
    assert expansion[0] == 500_000_000
    assert "B200" in str(expansion[1]) and "H100" not in str(expansion[1])
    assert expansion[2] == pytest.approx(21_000_000)
    assert original[0] == 800_000_000
    assert "H100" in str(original[1]) and "B200" not in str(original[1])
    assert original[2] is None


def _start(text: str) -> list:
    return _values(_main(_mentions(text)), "start_date")


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        # a translated wording: the day as a spelled ordinal, the cue joined by "with"
        (
            "The contract begins with the first of January 2027, as the companies communicated.",
            ["2027-01-01"],
        ),
        ("Service starts on the fifteenth of March 2027.", ["2027-03-15"]),
        ("The lease takes effect on the twenty-first of June 2027.", ["2027-06-21"]),
        ("Capacity is available from the 3rd of May 2027.", ["2027-05-03"]),
        # near misses: an ordinal that counts something, not a day of a month
        ("The first of three halls opens in 2027 and the deal starts later.", []),
        ("Racks ship in the second of two batches.", []),
    ],
)
def test_a_day_written_as_an_ordinal_word_dates_the_start(sentence, start):
    text = (
        "Trefor Cloud signs Llanrug AI\n\n"
        f"Llanrug AI will rent 1,024 GPUs from Trefor Cloud for two years. {sentence}"
    )
    assert [str(v)[:10] for v in _start(text)] == start


@pytest.mark.parametrize(
    ("sentence", "location"),
    [
        # power leased in a town no gazetteer lists: the site is there
        (
            "Rhosneigr Data has leased 20 MW in Kettleby to Tywyn AI, its second tenant this year.",
            ["Kettleby"],
        ),
        ("Rhosneigr Data will supply 12 megawatts near Dunholme to Tywyn AI.", ["Dunholme"]),
        # near misses: a phase or a month after the power is no town; nor is a company
        ("Rhosneigr Data has leased 20 MW in Phase Two to Tywyn AI.", []),
        ("Rhosneigr Data has leased 20 MW in March to Tywyn AI.", []),
    ],
)
def test_power_leased_in_an_unlisted_town_names_the_site(sentence, location):
    text = f"Rhosneigr Data leases power to Tywyn AI\n\n{sentence}"
    main = _main(_mentions(text))
    assert _values(main, "location") == location


@pytest.mark.parametrize(
    ("text", "term"),
    [
        # a company of no deal renting from the buyer: its term is its own deal's, not the sale's
        (
            "Caerau Systems ships racks to Nantlle Cloud\n\n"
            "Caerau Systems will ship around $300 million of MI355X racks to Nantlle Cloud. Nantlle, for its "
            "part, does not keep the machines to itself: Bethesda Analytics has rented a slice of the new "
            "cluster for two years, Nantlle says.",
            [],
        ),
        # near miss: an outsider who only says something leaves the deal's own term with the deal
        (
            "Caerau Cloud signs Nantlle Labs\n\n"
            "Nantlle Labs will rent 512 GPUs from Caerau Cloud. Bethesda Research, which advised Nantlle, "
            "said the rental runs for two years.",
            [24],
        ),
    ],
)
def test_a_term_told_of_an_outsiders_rental_is_not_the_main_deals(text, term):
    assert _values(_main(_mentions(text)), "term_months") == term


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a sale of racks to a company described as a rental business is still a sale
        (
            "Glanrhyd Systems wins $900 million rack order from Felin Cloud\n\n"
            "Glanrhyd Systems said on Monday it will deliver about $900 million of Nvidia GB300 racks to "
            "Felin Cloud, a GPU rental company based in Denver.",
            "hardware",
        ),
        # near miss: racks rented out by the month are a rental
        (
            "Glanrhyd Systems signs Felin Labs\n\n"
            "Glanrhyd Systems will rent GB300 racks to Felin Labs for $2 million a month.",
            "compute",
        ),
    ],
)
def test_a_rental_word_that_describes_the_buyer_does_not_make_a_sale_a_rental(text, kind):
    assert _main(_mentions(text)).deal_type == kind


@pytest.mark.parametrize(
    ("text", "pair", "kind"),
    [
        # megawatts before the lease that lets them
        (
            "Dyserth Data signs Prestatyn AI\n\n"
            "Dyserth Data has signed Prestatyn AI for 40MW at Rhyl, NE on a 120-month lease starting 3Q27.",
            ("Dyserth Data", "Prestatyn AI"),
            "datacenter",
        ),
        # megawatts signed in a building by a GPU cloud: space and power for its own GPUs
        (
            "Meliden Digital fills its Gronant building\n\n"
            "Meliden Digital leased the Gronant building to Talacre Labs. Meliden also signed 12 MW in the "
            "same building with Ffynnon Cloud earlier this year, the US GPU cloud's first European site.",
            ("Meliden Digital", "Ffynnon Cloud"),
            "datacenter",
        ),
        # a building sized in megawatts, taken by a tenant
        (
            "Trelawnyd Data Centers fills Gwaenysgor\n\n"
            "Trelawnyd Data Centers' Gwaenysgor campus now hosts Llanasa Search, which took the campus's "
            "first 30 MW building on a 15-year term.",
            ("Trelawnyd Data Centers", "Llanasa Search"),
            "datacenter",
        ),
        # near misses: GPU capacity sized in megawatts, rented or signed, is compute
        (
            "Dyserth Compute signs Prestatyn AI\n\n"
            "Prestatyn AI will rent 40 MW of GPU capacity from Dyserth Compute on a 36-month contract.",
            ("Dyserth Compute", "Prestatyn AI"),
            "compute",
        ),
        (
            "Dyserth Compute signs Prestatyn AI\n\n"
            "Dyserth Compute has let 2,048 H100 GPUs to Prestatyn AI for two years.",
            ("Dyserth Compute", "Prestatyn AI"),
            "compute",
        ),
    ],
)
def test_space_and_power_let_by_the_megawatt_or_the_building_is_a_datacenter_deal(text, pair, kind):
    mentions = {(m.provider, m.customer): m for m in _mentions(text)}
    assert mentions[pair].deal_type == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # an unknown "… Cloud" whose deal states the GPUs it rents, in a sentence after the one naming
        # both: what is rented is compute
        (
            "Trefnant Studios will pay Bodfari about $1.3 million a month for H200s\n\n"
            "Trefnant Studios is moving its AI work onto Bodfari AI Cloud. The studio will pay Bodfari about "
            "$1.3 million a month under a one-year agreement for 512 Nvidia H200 GPUs.",
            "compute",
        ),
        # near miss: the same shape with no GPUs, databases moved: what the provider is, a cloud
        (
            "Trefnant Bank signs with Bodfari Cloud\n\n"
            "Trefnant Bank will move its customer databases onto Bodfari Cloud under a three-year agreement "
            "worth $36 million. The bank will pay Bodfari about $1 million a month for storage.",
            "cloud",
        ),
    ],
)
def test_an_unknown_cloud_whose_deal_states_its_gpus_rents_compute(text, kind):
    assert _main(_mentions(text)).deal_type == kind


@pytest.mark.parametrize(
    ("sentence", "current"),
    [
        # an ended or hoped-for relation labelled on the provider is no current deal
        ("Gwent's former largest customer, Pontypool AI, moved its training elsewhere last year.", False),
        ("Gwent's one-time anchor tenant, Pontypool AI, left in 2025.", False),
        ("Gwent's prospective customer, Pontypool AI, is still testing rivals.", False),
        # near misses: a current label, and a former something that is now a customer
        ("Gwent's largest customer, Pontypool AI, renewed last year.", True),
        ("Gwent's newest client, Pontypool AI, a former bitcoin miner, signed last month.", True),
    ],
)
def test_a_former_or_prospective_customer_label_makes_no_deal(sentence, current):
    text = (
        "Gwent Compute signs Usk Labs\n\n"
        f"Usk Labs will rent 1,024 GPUs from Gwent Compute for two years. {sentence}"
    )
    pairs = {(m.provider, m.customer) for m in _mentions(text)}
    assert (("Gwent Compute", "Pontypool AI") in pairs) is current
