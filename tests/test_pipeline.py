"""extract_articles end to end: non-deals turned away with a reason, deals split into mentions,
values attached to the deal their clause is about."""

from datetime import UTC, datetime

from extractors.models import Article
from extractors.pipeline import EXTRACTOR_VERSION, extract_articles


def _article(aid: str, text: str) -> Article:
    return Article(
        article_id=aid,
        url=f"https://example.test/{aid}",
        text=text,
        published_at=datetime(2026, 3, 2, tzinfo=UTC),
    )


DEAL = (
    "Ravenna AI to pay Corvid Cloud $2.4 billion for GPU capacity\n\n"
    "Ravenna AI will pay Corvid Cloud $50 million a month for access to 16,000 GPUs starting "
    "January 2027, the companies said on Monday. Ravenna raised $300 million last year at a "
    "valuation of $3 billion. Corvid already has similar contracts with Lumen Harbor ($900 million) "
    "and Tessaly Labs.\n\n"
    "Separately, Lumen Harbor has agreed to pay Corvid about $900 million by mid-2028, while "
    "Tessaly Labs has agreed to pay $400 million over the same period."
)


def test_results_keep_order_and_ids():
    arts = [_article("a", "Nothing to see\n\nThe bakery opened."), _article("b", DEAL)]
    assert [r.article_id for r in extract_articles(arts)] == ["a", "b"]
    assert EXTRACTOR_VERSION


def test_main_deal_and_deals_in_passing_are_separate_mentions():
    (r,) = extract_articles([_article("d", DEAL)])
    assert r.is_deal_relevant
    pairs = [(m.provider, m.customer, m.is_main, m.mention_index) for m in r.mentions]
    assert pairs[0] == ("Corvid Cloud", "Ravenna AI", True, 0)
    assert ("Corvid Cloud", "Lumen Harbor", False) in [p[:3] for p in pairs[1:]]
    assert ("Corvid Cloud", "Tessaly Labs", False) in [p[:3] for p in pairs[1:]]
    assert [p[3] for p in pairs] == list(range(len(pairs)))


def test_values_of_other_deals_do_not_leak_into_the_main_deal():
    (r,) = extract_articles([_article("d", DEAL)])
    main = r.mentions[0]
    totals = [f.value for f in main.facts if f.field == "total_value"]
    assert 900_000_000 not in totals and 400_000_000 not in totals
    assert 300_000_000 not in totals and 3_000_000_000 not in totals  # funding, valuation
    by_customer = {m.customer: m for m in r.mentions}
    tess = {f.field: f for f in by_customer["Tessaly Labs"].facts}
    assert tess["total_value"].value == 400_000_000
    # "over the same period" inherits the end date stated for the other deal in the sentence
    assert tess["end_date"].value == "2028-06-30"


def test_every_fact_points_at_its_evidence():
    (r,) = extract_articles([_article("d", DEAL)])
    for m in r.mentions:
        for f in m.facts:
            assert f.sentence in DEAL
            assert 0 <= f.start_char < f.end_char <= len(DEAL)


def test_non_deal_articles_get_reasons():
    arts = [
        _article(
            "f",
            "Ravenna AI raises $300 million\n\nRavenna AI raised $300 million in a Series B "
            "round led by Osgood Partners, valuing it at $3 billion.",
        ),
        _article(
            "acq",
            "Corvid Cloud to acquire Pelham Data\n\nCorvid Cloud agreed to acquire data-center "
            "operator Pelham Data for $1.2 billion in cash.",
        ),
        _article("e", ""),
    ]
    res = extract_articles(arts)
    assert [r.is_deal_relevant for r in res] == [False, False, False]
    assert res[0].reason == "not a deal: funding"
    assert res[1].reason.startswith("not a deal: acquisition")
    assert res[2].reason == "empty text"
    assert all(not r.mentions for r in res)


def test_only_candidate_sentences_are_parsed():
    filler = "The weather in the region stayed mild all week. " * 30
    stats: dict[str, float] = {}
    extract_articles([_article("d", DEAL + "\n\n" + filler)], stats=stats)
    assert 0 < stats["parsed_sentences"] < stats["sentences"] / 3
    assert stats["articles"] == stats["gated"] == 1


def test_values_of_an_earlier_contract_between_the_same_parties_are_kept_apart():
    text = (
        "Ravenna AI expands deal with Corvid Cloud\n\n"
        "Corvid Cloud will provide Ravenna AI with more GPU capacity under a new three-year, $1.4 billion agreement. "
        "The agreement builds on the two-year, $600 million contract the companies signed in February."
    )
    (r,) = extract_articles([_article("x", text)])
    main, *others = r.mentions
    assert [f.value for f in main.facts if f.field == "total_value"] == [1_400_000_000]
    earlier = [m for m in others if (m.provider, m.customer) == ("Corvid Cloud", "Ravenna AI")]
    assert earlier and [f.value for f in earlier[0].facts if f.field == "total_value"] == [600_000_000]


def test_a_lone_payment_phrase_is_not_a_deal():
    text = (
        "Corvid Cloud sells bonds\n\nCorvid Cloud sold $5 billion of notes on Monday, money it plans to use "
        "to pay for new data centers in Ohio."
    )
    (r,) = extract_articles([_article("b", text)])
    assert not r.is_deal_relevant and not r.mentions


def test_unnamed_customer_with_named_provider_is_kept():
    text = "GPU rental\n\nAn unnamed AI startup will pay Corvid Cloud $20 million a month for access to its GPUs."
    (r,) = extract_articles([_article("u", text)])
    assert r.is_deal_relevant
    assert (r.mentions[0].provider, r.mentions[0].customer) == ("Corvid Cloud", None)


def test_customers_listed_in_passing_get_their_own_mentions_and_values():
    text = (
        "Farrowby Compute adds Ysolde AI\n\n"
        "Ysolde AI agreed to pay Farrowby Compute $90 million a month for access to 35,000 GPUs.\n\n"
        "Farrowby already counts Brackwell Labs and Ennisford Robotics among its customers; Brackwell pays "
        "about $40 million a month under a deal signed in 2025."
    )
    (r,) = extract_articles([_article("p", text)])
    by_customer = {m.customer: m for m in r.mentions}
    assert by_customer["Ysolde AI"].is_main
    assert not by_customer["Brackwell Labs"].is_main and not by_customer["Ennisford Robotics"].is_main
    fees = {c: [f.value for f in m.facts if f.field == "monthly_fee"] for c, m in by_customer.items()}
    assert fees["Ysolde AI"] == [90_000_000] and fees["Brackwell Labs"] == [40_000_000]


def test_a_batch_reads_each_article_as_it_reads_it_alone(monkeypatch):
    """Sentences repeated across the batch are parsed once and the NER runs in batches of its own
    size: neither may change what any article yields."""
    import extractors.pipeline as pipeline

    other = DEAL.replace("Ravenna AI", "Quillmark Labs").replace("Ravenna", "Quillmark")
    arts = [_article("a", DEAL), _article("b", other), _article("c", DEAL + "\n\nThe bakery opened.")]
    alone = [repr(extract_articles([a])) for a in arts]
    monkeypatch.setattr(pipeline, "NER_BATCH_SIZE", 3)
    stats: dict[str, float] = {}
    together = extract_articles(arts, stats=stats)
    assert [repr([r]) for r in together] == alone
    assert together[1].mentions[0].customer == "Quillmark Labs"
    assert stats["parsed_sentences"] > 3
