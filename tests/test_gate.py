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
