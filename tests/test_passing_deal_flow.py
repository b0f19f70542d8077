"""Deals told in passing reach the `deals` view through the real flow (issue 10, recall, fifth round).

Each article below tells one main deal and, in passing, another in a sentence shape reporters use:
a relative clause, a pronoun subject, a list after "customers include", an appositive, "a customer
of", a noun-adjunct "an X customer", a passive, coordinated buyers, "which it rents from", a sentence
opening "Its … ran on X", "signed 8 MW … with X", "X's biggest customer is Y", "Y is one of X's customers", "X's data
center landlord, Y", "X's render jobs are hosted on Y", "X, Y's anchor tenant,", "X signed up for Y's
GPU service", "A and B are also Y customers", "X's cluster, built and run by Y", "X uses Y for inference". Written before the fix, with
invented companies; one article also names a backer and a founder, who must make no row."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

ARTICLES = {
    "a_wire.txt": (
        "Brackwater Data Centers leases 40 MW to Quintell AI\n\n"
        "DALLAS, May 4, 2026 -- Brackwater Data Centers has leased 40 MW at its Elmsworth campus to Quintell "
        "AI under a ten-year lease, the company said on Monday.\n\n"
        "The campus is not new to AI work. Brackwater already houses Tesselate Robotics, which leases 6 MW "
        "in the older hall."
    ),
    "b_blog.txt": (
        "Ravelin Cloud lands Osterby Search\n\n"
        "Osterby Search will pay Ravelin Cloud $20 million a month for two years of inference capacity, "
        "according to people familiar with the deal.\n\n"
        "Ravelin runs the cluster out of a Reno building that it leases from Hollins Yard Properties."
    ),
    "c_trade.txt": (
        "Garside GPU Cloud wins Amblecote Labs\n\n"
        "Garside GPU Cloud will supply 2,048 Nvidia H200 GPUs to Amblecote Labs for eighteen months, the "
        "companies said on Thursday.\n\n"
        "It is Garside's second win this quarter: in March it signed Wennick Games to a one-year rendering "
        "contract."
    ),
    "d_newsletter.txt": (
        "Harrowgate Cloud signs Dunstable Bank\n\n"
        "Dunstable Bank has agreed to spend $60 million over three years on Harrowgate Cloud's GPU "
        "capacity.\n\n"
        "Banks are a growing niche for the company. Harrowgate's customers also include Pemberly Freight "
        "and Voss Analytics."
    ),
    "e_analyst.txt": (
        "Corfe Compute and Ashwell Health: our view\n\n"
        "Corfe Compute will provide Ashwell Health with a dedicated cluster of 1,024 GPUs for three years "
        "under a contract worth $45 million.\n\n"
        "We like the mix. Corfe already trains fraud-detection models for Ledbury Freight, and a second "
        "hospital group is in talks."
    ),
    "f_local.txt": (
        "Farrow Cloud adds a studio in Leeds\n\n"
        "Farrow Cloud has signed a two-year contract to rent 512 GPUs to Oxenhope Studios, the Leeds "
        "animation house said on Friday.\n\n"
        "Kettlewell Games, a customer of Farrow Cloud since 2024, is said to be weighing a larger order."
    ),
    "g_wire.txt": (
        "Stourton Compute signs Arlecdon Health\n\n"
        "Stourton Compute will supply 4,096 GPUs to Arlecdon Health for four years, the companies said on "
        "Tuesday. Arlecdon Health is backed by Carrow Ventures and was founded by Maria Denholm.\n\n"
        "Pelham AI, which rents its training cluster from Stourton Compute, is said to be shopping for a "
        "second supplier."
    ),
    "h_feature.txt": (
        "Ashdown Compute lands Mirefield Robotics\n\n"
        "Mirefield Robotics will rent 1,500 GPUs from Ashdown Compute for two years starting in July 2026, "
        "the robotics company said.\n\n"
        "Ashdown is no stranger to biotech either: Tilbrook Bio's protein models are trained on GPUs rented "
        "from Ashdown Compute."
    ),
    "i_blog.txt": (
        "Halse Compute signs Fennimore AI\n\n"
        "Fennimore AI has agreed to pay Halse Compute $8 million a month for a year of GPU capacity.\n\n"
        "Fennimore joins a crowded roster: both Kirkham Labs and Yarrow Vision already rent GPUs from Halse."
    ),
    "j_trade.txt": (
        "Gorsey Cloud books Cranleigh Speech\n\n"
        "Gorsey Cloud will host 2,000 Nvidia B200 GPUs for Cranleigh Speech under a three-year contract "
        "worth $150 million, Gorsey said on Wednesday.\n\n"
        "Wrexley Insurance, already a Gorsey Cloud customer, moved its claims models to the platform last "
        "year."
    ),
    "k_wire.txt": (
        "Dalby Cloud signs Merrow AI\n\n"
        "Merrow AI will rent 3,000 GPUs from Dalby Cloud for three years under a contract valued at $210 "
        "million, the companies said.\n\n"
        "Dalby also counts Thurnby Logistics, which moved its routing models onto the platform in 2025, "
        "among its customers."
    ),
    "l_blog.txt": (
        "Keldholme Cloud lands Ruswarp Media\n\n"
        "Ruswarp Media will pay Keldholme Cloud $4 million a month for two years of GPU capacity, the "
        "companies said.\n\n"
        "Keldholme will serve Ruswarp from its Garrowby hall, which it rents from Skipwith Estates."
    ),
    "m_feature.txt": (
        "Thornaby Games picks Ellerby Cloud\n\n"
        "Thornaby Games is moving its AI work onto Ellerby Cloud under a two-year contract worth $30 "
        "million.\n\n"
        "Thornaby, which makes racing games, uses the GPUs for texture generation. Its older training jobs "
        "ran on Welburn Compute, which still hosts some of the studio's tools."
    ),
    "n_trade.txt": (
        "Sproxton Data Centers signs Hovingham AI\n\n"
        "Sproxton Data Centers has signed Hovingham AI to a 12-year lease for 60 MW at its campus near "
        "Columbus.\n\n"
        "The campus's other tenant is a familiar name: Sproxton also signed 8 MW in the first hall with "
        "Nunnington Cloud last year."
    ),
    "o_roundup.txt": (
        "Kilnsey Cloud signs Hubberholme AI\n\n"
        "Hubberholme AI will rent 2,048 GPUs from Kilnsey Cloud for two years, the companies said.\n\n"
        "Kilnsey's biggest customer is Arncliffe Genomics, which trains protein models there. Starbotton "
        "Freight is one of Kilnsey's oldest customers. Hubberholme's data center landlord, Litton Estates, "
        "also hosts part of the cluster. Halton Gill Media's render jobs are already hosted on Kilnsey "
        "Cloud."
    ),
    "q_analyst.txt": (
        "Wath Compute lands Grinton Labs\n\n"
        "Grinton Labs will pay Wath Compute $6 million a month for 1,024 GPUs over two years.\n\n"
        "Wath has a broad base. Reeth Motors, Wath's anchor tenant, signed in 2024. Marske Bio signed up "
        "for Wath's GPU service last year, and Feetham Analytics and Crakehall Genomics are also Wath "
        "Compute customers. Healaugh Media's render cluster, built and run by Wath Compute, went live in "
        "May, and Bellerby Games also uses Wath for inference."
    ),
}

#: (provider, customer) told in passing, each of which must be a `deals` row this way round
PASSING = [
    ("Brackwater Data Centers", "Tesselate Robotics"),
    ("Hollins Yard Properties", "Ravelin Cloud"),
    ("Garside GPU Cloud", "Wennick Games"),
    ("Harrowgate Cloud", "Pemberly Freight"),
    ("Harrowgate Cloud", "Voss Analytics"),
    ("Corfe Compute", "Ledbury Freight"),
    ("Farrow Cloud", "Kettlewell Games"),
    ("Stourton Compute", "Pelham AI"),
    ("Ashdown Compute", "Tilbrook Bio"),
    ("Halse Compute", "Kirkham Labs"),
    ("Halse Compute", "Yarrow Vision"),
    ("Gorsey Cloud", "Wrexley Insurance"),
    ("Dalby Cloud", "Thurnby Logistics"),
    ("Skipwith Estates", "Keldholme Cloud"),
    ("Welburn Compute", "Thornaby Games"),
    ("Sproxton Data Centers", "Nunnington Cloud"),
    ("Kilnsey Cloud", "Arncliffe Genomics"),
    ("Kilnsey Cloud", "Starbotton Freight"),
    ("Litton Estates", "Hubberholme AI"),
    ("Kilnsey Cloud", "Halton Gill Media"),
    ("Wath Compute", "Reeth Motors"),
    ("Wath Compute", "Marske Bio"),
    ("Wath Compute", "Feetham Analytics"),
    ("Wath Compute", "Crakehall Genomics"),
    ("Wath Compute", "Healaugh Media"),
    ("Wath Compute", "Bellerby Games"),
]


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> set[tuple[str, str]]:
    from flows.ingest import ingest

    folder = tmp_path_factory.mktemp("passing")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = Path(folder) / "dw.duckdb"
    ingest([str(folder)], db_path=str(db), quiet=True)
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute("SELECT provider, customer FROM deals").fetchall())


@pytest.mark.parametrize(("provider", "customer"), PASSING)
def test_a_deal_told_in_passing_is_a_deals_row_the_right_way_round(rows, provider, customer):
    assert (provider, customer) in rows
    assert (customer, provider) not in rows


def test_the_main_deals_stay_and_no_backer_founder_or_stray_pair_makes_a_row(rows):
    names = {n for pair in rows for n in pair}
    assert not names & {"Carrow Ventures", "Maria Denholm", "Reno", "Leeds", "Garrowby"}
    assert {("Brackwater Data Centers", "Quintell AI"), ("Stourton Compute", "Arlecdon Health")} <= rows
    told = set(PASSING) | {
        ("Brackwater Data Centers", "Quintell AI"),
        ("Ravelin Cloud", "Osterby Search"),
        ("Garside GPU Cloud", "Amblecote Labs"),
        ("Harrowgate Cloud", "Dunstable Bank"),
        ("Corfe Compute", "Ashwell Health"),
        ("Farrow Cloud", "Oxenhope Studios"),
        ("Stourton Compute", "Arlecdon Health"),
        ("Ashdown Compute", "Mirefield Robotics"),
        ("Halse Compute", "Fennimore AI"),
        ("Gorsey Cloud", "Cranleigh Speech"),
        ("Dalby Cloud", "Merrow AI"),
        ("Keldholme Cloud", "Ruswarp Media"),
        ("Ellerby Cloud", "Thornaby Games"),
        ("Sproxton Data Centers", "Hovingham AI"),
        ("Kilnsey Cloud", "Hubberholme AI"),
        ("Wath Compute", "Grinton Labs"),
    }
    assert rows - told == set()


_LEAD = (
    "Orrin Cloud signs Dovecote AI\n\n"
    "Orrin Cloud will supply 4,096 GPUs to Dovecote AI for three years, the companies said on Tuesday.\n\n"
)


@pytest.mark.parametrize(
    "aside",
    [
        "Orrin's prospective customers include Pemberly Freight, people familiar with the talks said.",
        "Pemberly Freight, a potential customer of Orrin Cloud, declined to comment.",
        "A slide deck listed Pemberly Freight as a prospective customer of Orrin Cloud.",
        "Pemberly Freight has been an Orrin Cloud customer since 2024, when it rented 512 GPUs.",
        "Dovecote's office landlord, Skipwith Estates, declined to comment.",
        "Dovecote's new data center, built by Skipwith Estates, opens in May.",
    ],
)
def test_a_prospect_an_earlier_deal_or_an_office_landlord_makes_no_passing_pair(aside):
    from extractors.models import Article
    from extractors.pipeline import extract_articles

    text = _LEAD + aside
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    pairs = {(m.provider, m.customer) for m in result.mentions if not m.is_main}
    assert not pairs & {("Orrin Cloud", "Pemberly Freight"), ("Skipwith Estates", "Dovecote AI")}


def test_a_further_deal_told_with_also_stays_in_passing_and_takes_no_headline_value():
    from extractors.models import Article
    from extractors.pipeline import extract_articles

    text = (
        "Garside's Amblecote deal could reach $400 million\n\n"
        "The Garside GPU Cloud contract with Amblecote Labs is worth up to $400 million, a person close "
        "to the lab said.\n\n"
        "Garside has been busy: it also signed Wennick Games to a smaller B200 deal in October."
    )
    (result,) = extract_articles([Article(article_id="t", url="u", text=text, title=text.split("\n")[0])])
    main, *passing = result.mentions
    assert (main.provider, main.customer, main.is_main) == ("Garside GPU Cloud", "Amblecote Labs", True)
    (games,) = [m for m in passing if m.customer == "Wennick Games"]
    assert not {f.field for f in games.facts} & {"total_value", "monthly_fee", "term_months"}
