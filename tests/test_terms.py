"""Term lengths in months, and the durations that are not the deal's term."""

from __future__ import annotations

import pytest

from extractors.models import ArticleContext, Sentence
from extractors.terms import term_facts


def _terms(text: str):
    return [(f.value, f.attrs["qualifier"]) for f in term_facts(Sentence(text, 0), ArticleContext())]


@pytest.mark.parametrize(
    "text,months,qualifier",
    [
        ("Orrin Labs signed a five-year deal with the cloud.", 60, None),
        ("It is a 32-month contract for reserved GPUs.", 32, None),
        ("The capacity is reserved for seven years.", 84, None),
        ("The lease will run for about three years.", 36, "about"),
        ("The two firms struck a 10-year, $4 billion lease.", 120, None),
        ("A two-and-a-half-year compute agreement was inked.", 30, None),
        ("The deal has a term of 15 years.", 180, None),
        ("They agreed a decade-long power purchase agreement.", 120, None),
        ("The 18-month reservation covers two halls.", 18, None),
        ("The four-year cloud services contract starts in spring.", 48, None),
        ("The hosting agreement spans 24 months.", 24, None),
    ],
)
def test_term_lengths(text, months, qualifier):
    assert _terms(text) == [(months, qualifier)]


@pytest.mark.parametrize(
    "text",
    [
        "It is a multi-year agreement.",
        "Either side may exit after an initial three-month period.",
        "Either side may exit after the first six months.",
        "Termination requires three months' notice.",
        "The startup was founded two years ago.",
        "The seven-year-old company signed the lease.",
        "Over the past three years the firm tripled its sales.",
        "Shares hit a two-year high on the news.",
        "Construction will finish within 18 months.",
        "Deliveries will take 90 days.",
    ],
)
def test_durations_that_are_not_the_term(text):
    assert _terms(text) == []


def test_span_is_the_duration_words():
    text = "Velda agreed to a five-year contract."
    (f,) = term_facts(Sentence(text, 40), ArticleContext())
    assert f.display == "five-year"
    assert f.start_char == 40 + text.index("five")


@pytest.mark.parametrize(
    "text,months",
    [
        ("Seven-year commitment starts in spring.", 84),
        ("Pell signed a three-year, $1.4 billion agreement with the cloud.", 36),
        ("- Length: seven years, starting in Q1 2027.", 84),
        ("The deal adds about $14 billion of backlog across four years.", 48),
        ("It commits to annual cloud spending of $2 billion for seven years.", 84),
    ],
)
def test_more_term_phrasings(text, months):
    assert [f.value for f in term_facts(Sentence(text, 0), ArticleContext())] == [months]


@pytest.mark.parametrize(
    "text",
    [
        "The operator has been the quiet leader of Nordic hosting for two years.",
        "A telecom group said it would spend 800 million euros on edge sites over five years.",
    ],
)
def test_history_and_spending_plans_are_not_terms(text):
    assert [f for f in term_facts(Sentence(text, 0), ArticleContext()) if f.confidence >= 0.5] == []


def test_over_a_term_is_not_a_qualifier():
    text = "The lab will pay $1.2 billion annually over a five-year term."
    assert _terms(text) == [(60, None)]
