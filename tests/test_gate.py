"""The cheap gate: deal articles pass, other business news is turned away with a reason."""

from extractors.gate import gate_article, is_candidate_sentence, is_deal_sentence
from extractors.sentences import split_sentences


def _gate(text: str):
    return gate_article(split_sentences(text))


def test_rental_deal_passes():
    ok, reason = _gate(
        "Tarnwick AI to rent GPUs from Oxbow Cloud\n\n"
        "Tarnwick AI will pay Oxbow Cloud $40 million a month for access to 20,000 GPUs."
    )
    assert ok and reason is None


def test_funding_round_is_rejected_as_funding():
    ok, reason = _gate(
        "Tarnwick AI raises $500 million\n\n"
        "Tarnwick AI raised $500 million in a Series C round led by Fenwood Ventures, at a valuation "
        "of $6 billion. The startup plans to hire more researchers."
    )
    assert not ok and reason == "not a deal: funding"


def test_earnings_story_is_rejected():
    ok, reason = _gate(
        "Oxbow Cloud revenue climbs\n\nOxbow Cloud reported quarterly revenue of $900 million, "
        "and its profit beat forecasts."
    )
    assert not ok and reason == "not a deal: earnings"


def test_unrelated_text_has_no_deal_language():
    ok, reason = _gate("Weather today\n\nIt will rain in the afternoon and clear up by evening.")
    assert not ok and reason == "no deal language"


def test_acquisition_sentence_is_not_a_deal_sentence():
    assert not is_deal_sentence(
        "Oxbow Cloud agreed to acquire data-center operator Pinecrest for $2 billion."
    )
    assert is_deal_sentence("Pinecrest will lease 200 megawatts of data-center capacity to Tarnwick AI.")


def test_candidate_sentence_needs_a_name_and_a_cue():
    lead = "Headline\nFirst line.\nSecond line.\n"
    s = split_sentences(
        lead
        + "The weather was mild.\nThe deal was signed in 2027.\nTarnwick AI will pay Oxbow Cloud $5 million."
    )
    assert [is_candidate_sentence(x) for x in s[3:]] == [False, False, True]


def test_lead_sentences_with_a_name_are_always_parsed():
    s = split_sentences("Tarnwick AI hires a chief\nThe weather was mild.")
    assert [is_candidate_sentence(x) for x in s] == [True, False]


def test_empty_article():
    assert gate_article([]) == (False, "no sentences")


def test_selling_power_under_a_ppa_is_never_a_compute_deal_even_with_a_sale_cue() -> None:
    from extractors.gate import not_compute_sentence

    for text in (
        "Brightfield will sell the output to Corvane GPU Cloud under a 20-year power purchase agreement.",
        "Under the PPA, Halden Solar sells 400,000 megawatt-hours a year to the data-center operator.",
    ):
        assert not_compute_sentence(text) == "power_purchase", text
    assert (
        not_compute_sentence("Corvane GPU Cloud will pay Brightfield $40 million a month for GPU capacity.")
        is None
    )


def test_weak_cues_count_only_next_to_an_amount():
    # "customers", "a year", "host" are everywhere in business news
    assert not is_deal_sentence(
        "Customers running clusters of accelerator chips need faster networking, she said."
    )
    assert not is_deal_sentence(
        "The news came a year after Pinecrest Data Centers said volumes would stay flat."
    )
    assert is_deal_sentence(
        "Tarnwick AI became a customer of Oxbow Cloud's GPU service in a $300 million arrangement."
    )
    assert is_deal_sentence("Pinecrest will host 4,000 accelerators for Tarnwick AI at its Ohio campus.")


def test_a_campus_with_no_tenant_is_not_a_deal():
    for text in (
        "Pinecrest would not name any tenants for the 300 MW data center campus.",
        "The developer has yet to sign a customer for the campus, a spokesperson said.",
        "Pinecrest is building the 200-megawatt data center without an anchor tenant.",
    ):
        assert not is_deal_sentence(text), text
    ok, _ = _gate(
        "County approves Pinecrest data center\n\nCommissioners approved a 300 MW data center campus "
        "proposed by Pinecrest. Pinecrest would not name any tenants for the campus."
    )
    assert not ok


def test_a_power_purchase_agreement_is_not_a_compute_deal():
    assert not is_deal_sentence(
        "Brightwater Solar will sell the output to Oxbow Cloud's data centers under a 15-year power purchase agreement."
    )


def test_list_items_spread_over_lines_pass_but_prose_leads_need_a_deal_sentence():
    bullets = (
        "The Tarnwick-Oxbow deal\n\n- Provider: Oxbow Cloud\n- Customer: Tarnwick AI\n- Hardware: 8,000 GPUs\n"
        "- Term: three years"
    )
    assert _gate(bullets)[0]
    prose = (
        "Freight rates climb as Harrow Lines adds capacity\n\nHarrow Lines added capacity on its Pacific routes "
        "this quarter, the company said. Rates for containers rose for a third week. Analysts expect new "
        "agreements on port fees later this year."
    )
    assert not _gate(prose)[0]


def test_cue_file_entries_must_be_lower_case(tmp_path, monkeypatch):
    import pytest

    from extractors import gate

    text = gate._CUES.read_text(encoding="utf-8").replace('"deals?",', '"Deals?",', 1)
    bad = tmp_path / "deal_cues.toml"
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setattr(gate, "_CUES", bad)
    gate.cues.cache_clear()
    try:
        with pytest.raises(ValueError, match="lower case"):
            gate.cues()
    finally:
        gate.cues.cache_clear()


def test_cues_match_whatever_the_case_of_the_text():
    assert is_deal_sentence("TARNWICK AI WILL RENT 2,000 GPUS FROM OXBOW CLOUD")
    assert is_deal_sentence("Tarnwick AI Signs Lease For Data Center Capacity With Oxbow Cloud")


def test_a_signed_lease_stays_a_deal_beside_revenue_or_building_words():
    assert is_deal_sentence(
        "Pinecrest signed two ten-year leases with Tarnwick AI for 90 MW at its Ohio campus, "
        "with contract revenue of $2 billion."
    )
    assert is_deal_sentence(
        "Tarnwick AI will take the second building at Pinecrest's Ohio campus under a 12-year lease worth $4 billion."
    )
    # an investor story that mentions signed contracts is still an investor story
    assert not is_deal_sentence(
        "Investors asked whether labs such as Tarnwick AI, which has signed compute contracts with Oxbow Cloud, "
        "can pay for them."
    )


def test_delivering_or_deploying_a_counted_order_is_a_deal_sentence():
    # supply verbs other than rent/sell, with the amount an order states
    assert is_deal_sentence("Brackwater Cloud will deliver 60,000 GPUs to Tolland Labs at the new site.")
    assert is_deal_sentence("Harwick Cloud will deploy 30,000 Orbis Instinct X90 Series GPUs next year.")
    assert is_deal_sentence("Harwick books 30K X90s for its first public supercluster")
    # the same verbs without an amount are everyday words
    assert not is_deal_sentence("Brackwater Cloud delivered strong results in its cloud unit.")
    assert not is_deal_sentence("Harwick will deploy its new cloud software next year.")


def test_buying_a_campus_is_not_a_compute_deal_but_buying_capacity_in_one_is():
    from extractors.gate import not_compute_sentence

    assert not_compute_sentence(
        "Vennor bought the 400-megawatt Halden data center campus from Trask Power"
    ) == ("acquisition")
    assert (
        not_compute_sentence("Vennor will buy 300 MW of capacity at the Halden campus from Trask Cloud")
        is None
    )


def test_choosing_shipping_or_hosting_a_counted_order_passes_the_gate():
    for text in [
        "Brannoch AI picks Kessock Cloud\n\nBrannoch AI has chosen Kessock Cloud to run its next training "
        "cluster of 16,000 GPUs, the companies said.",
        "Kessock Cloud will host Brannoch AI\n\nKessock Cloud will host 20,000 of Brannoch AI's GPUs at its "
        "Dallas facility starting next year.",
        "Kessock ships GPUs\n\nKessock will ship 50,000 accelerators to Brannoch AI through 2027.",
    ]:
        assert _gate(text) == (True, None), text
    # the same verbs with no order stay out
    ok, _ = _gate("Brannoch AI picks a new CFO\n\nBrannoch AI has chosen Jane Roe to run its finance team.")
    assert not ok


def test_ordinary_verbs_alone_do_not_make_a_sentence_worth_parsing():
    from extractors.models import Sentence

    assert not is_candidate_sentence(Sentence("Brannoch AI picked Jane Roe to lead its sales team.", 0, 9))
    assert is_candidate_sentence(Sentence("Brannoch AI picked Kessock Cloud for 16,000 GPUs.", 0, 9))
