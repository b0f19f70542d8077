"""Termination notice, lock-in, who may terminate, conditions and prepayment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.models import ArticleContext, Sentence
from extractors.termination import termination_facts

CTX = ArticleContext(published_at=datetime(2026, 5, 20, tzinfo=UTC))


def _by_field(text: str):
    out: dict = {}
    for f in termination_facts(Sentence(text, 0), CTX):
        out.setdefault(f.field, f)
    return out


@pytest.mark.parametrize(
    "text,days",
    [
        ("Either party may terminate the agreement with 90 days' notice.", 90),
        ("Both sides can cancel the contract by giving three months' notice.", 90),
        ("The deal includes a 60-day mutual cancellation clause.", 60),
        ("The customer can exit on 30 days notice.", 30),
        ("The contract may be terminated with a notice period of 120 days.", 120),
        ("The lease can be ended with six weeks' written notice.", 42),
        ("Termination requires 180 days of prior notice.", 180),
    ],
)
def test_notice_days(text, days):
    assert _by_field(text)["termination_notice_days"].value == days


@pytest.mark.parametrize(
    "text,months",
    [
        ("Either side can exit with notice after an initial three-month period.", 3),
        ("The buyer may cancel after the first six months.", 6),
        ("Halvorsen can walk away after the first year.", 12),
        ("There is a minimum lock-in period of 36 months before termination.", 36),
        ("The contract cannot be terminated during the first 12 months.", 12),
    ],
)
def test_lockin_months(text, months):
    assert _by_field(text)["termination_lockin_months"].value == months


def test_lockin_given_as_a_date():
    got = _by_field("The customer can exit after December 31, 2026 with 30 days' notice.")
    assert "termination_lockin_months" not in got
    assert got["termination_lockin_until"].value == "2026-12-31"
    assert got["termination_lockin_until"].attrs["precision"] == "day"


@pytest.mark.parametrize(
    "text,role",
    [
        ("Either party may terminate the agreement with 90 days' notice.", "either"),
        ("Both companies have the right to cancel by giving notice.", "either"),
        ("The contract carries a 90-day mutual cancellation clause.", "either"),
        ("The customer can exit the deal with 30 days' notice.", "customer"),
        ("Only the provider may terminate early.", "provider"),
        ("The tenant may cancel the lease after two years.", "customer"),
    ],
)
def test_who_may_terminate(text, role):
    f = _by_field(text)["termination_by"]
    assert f.value == role and f.attrs["role"] == role


def test_named_party_is_left_for_the_pipeline():
    f = _by_field("Quillmark may terminate the lease with 60 days' notice.")["termination_by"]
    assert f.attrs == {"party_text": "Quillmark", "role": None}


def test_condition():
    f = _by_field("Orrin may cancel the order if the GPUs are not delivered by September 30.")[
        "termination_condition"
    ]
    assert f.value == "if the GPUs are not delivered by September 30"


@pytest.mark.parametrize(
    "text",
    [
        "Deliveries will take 90 days.",
        "The startup was founded 90 days ago.",
        "Payment is due within 30 days of the invoice.",
    ],
)
def test_not_about_termination(text):
    assert _by_field(text) == {}


def test_prepayment_amount_and_flag():
    f = _by_field("The lab prepaid $500 million of the contract.")["prepayment"]
    assert f.value == 500e6 and f.attrs["currency"] == "USD"
    f = _by_field("The customer made an upfront payment to secure capacity.")["prepayment"]
    assert f.value is None and f.attrs == {"prepaid": True}


def test_lockin_once_first_years_are_over():
    text = "- Exit: Pell can terminate with 180 days' notice once the first three years are over."
    got = _by_field(text)
    assert got["termination_lockin_months"].value == 36
    assert got["termination_notice_days"].value == 180
    assert got["termination_by"].attrs == {"party_text": "Pell", "role": None}


def test_lockin_after_n_months_and_end_date_is_not_a_lockin():
    text = "The contract, which runs until March 2031, can be cancelled on 120 days' notice after 24 months."
    got = _by_field(text)
    assert got["termination_lockin_months"].value == 24
    assert got["termination_notice_days"].value == 120


def test_negated_termination_is_not_a_condition():
    text = "The total is $6 billion if it runs until 2029 and is not terminated earlier."
    assert "termination_condition" not in _by_field(text)


@pytest.mark.parametrize(
    "text,months",
    [
        ("The contract has a 12-month lock-up, after which either side can exit with notice.", 12),
        ("Neither party may terminate during the first year.", 12),
        ("The agreement is non-cancellable for the first 24 months.", 24),
        ("Termination rights kick in after 18 months.", 18),
    ],
)
def test_more_lockin_phrasings(text, months):
    assert _by_field(text)["termination_lockin_months"].value == months


def test_condition_keeps_the_year_of_its_date():
    text = "The customer may terminate if capacity is not delivered by March 31, 2027, the filing says."
    assert _by_field(text)["termination_condition"].value == "if capacity is not delivered by March 31, 2027"


def test_deposit_on_signing_is_a_prepayment():
    assert _by_field("The lab paid a $250 million deposit on signing.")["prepayment"].value == 250e6
