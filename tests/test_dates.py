"""Date extraction: start/end/announced roles, intervals and precision, relative dates, and the
numbers and durations that are not dates. Sentences are written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.dates import date_facts, find_dates
from extractors.models import ArticleContext, Sentence

# Published on Wednesday 2026-05-20.
CTX = ArticleContext(published_at=datetime(2026, 5, 20, 14, 30, tzinfo=UTC))


def _by_field(text: str, ctx: ArticleContext = CTX) -> dict[str, tuple[str, str]]:
    return {f.field: (f.value, f.attrs["precision"]) for f in date_facts(Sentence(text, 0), ctx)}


CASES = [
    (
        "Payments begin July 1, 2027 and run through 2030.",
        {"start_date": ("2027-07-01", "day"), "end_date": ("2030-12-31", "year")},
    ),
    (
        "The lease runs from October 2026 through June 2029.",
        {"start_date": ("2026-10-01", "month"), "end_date": ("2029-06-30", "month")},
    ),
    ("Service starts in Q1 2027.", {"start_date": ("2027-01-01", "quarter")}),
    ("Capacity is due to kick off in early 2027.", {"start_date": ("2027-01-01", "half")}),
    ("The arrangement lasts until mid-2030.", {"end_date": ("2030-06-30", "half")}),
    ("The rental starts mid-2027.", {"start_date": ("2027-07-01", "half")}),
    ("The contract is running to May 2029.", {"end_date": ("2029-05-31", "month")}),
    ("The reservation expires in 2031.", {"end_date": ("2031-12-31", "year")}),
    ("Fees are payable through the end of 2028.", {"end_date": ("2028-12-31", "year")}),
    ("Deliveries begin in the second half of 2026.", {"start_date": ("2026-07-01", "half")}),
    ("The term continues until late 2029.", {"end_date": ("2029-12-31", "half")}),
    ("Usage starting from 2027 is billed monthly.", {"start_date": ("2027-01-01", "year")}),
    ("Billing commences in the fourth quarter of 2026.", {"start_date": ("2026-10-01", "quarter")}),
    ("The deal takes effect 2026-09-15.", {"start_date": ("2026-09-15", "day")}),
    (
        "The cluster lease runs from 3 August 2026 to 2 August 2028.",
        {"start_date": ("2026-08-03", "day"), "end_date": ("2028-08-02", "day")},
    ),
    ("Access begins in 1Q27.", {"start_date": ("2027-01-01", "quarter")}),
    ("Payments continue until the end of next year.", {"end_date": ("2027-12-31", "year")}),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_start_and_end_dates(text, expected):
    assert _by_field(text) == expected


RELATIVE = [
    # yearless day after publication → this year; before it → next year (a term starts ahead)
    ("The contract starts July 1.", {"start_date": ("2026-07-01", "day")}),
    ("Service starts January 15.", {"start_date": ("2027-01-15", "day")}),
    ("Billing commencing next month.", {"start_date": ("2026-06-01", "month")}),
    ("Access begins Monday.", {"start_date": ("2026-05-25", "day")}),
    # announcements are in the past: the most recent such day
    ("The companies announced the agreement on Monday.", {"announced_on": ("2026-05-18", "day")}),
    ("Orlen Data said Tuesday that it signed the lease.", {"announced_on": ("2026-05-19", "day")}),
    ("The pact was signed on March 3.", {"announced_on": ("2026-03-03", "day")}),
    ("The deal, announced today, covers two sites.", {"announced_on": ("2026-05-20", "day")}),
]


@pytest.mark.parametrize("text,expected", RELATIVE)
def test_relative_dates_resolve_against_publication(text, expected):
    assert _by_field(text) == expected


def test_relative_dates_without_publication_date_are_skipped():
    assert _by_field("Access begins Monday.", ArticleContext()) == {}
    assert _by_field("The lease runs through 2029.", ArticleContext()) == {"end_date": ("2029-12-31", "year")}


def test_press_release_dateline_is_announcement():
    text = "AUSTIN, Texas, May 18, 2026 /PRNewswire/ -- Kestrel Grid today announced a capacity agreement."
    facts = [f for f in date_facts(Sentence(text, 0), CTX) if f.field == "announced_on"]
    best = max(facts, key=lambda f: f.confidence)
    assert (best.value, best.extractor) == ("2026-05-18", "dates.announced.dateline")


NOT_DATES = [
    "Shares rose 6.3 percent over 90 days.",
    "The agreement has a five-year term.",
    "Either side can exit with 90 days' notice.",
    "The startup was founded in 2019 and raised $2 billion.",
    "The chips deliver 1.8 times the throughput.",
    "It may take years to recoup the cost.",
    "The campus draws 2029 megawatts of power.",
    "It can be cancelled if the GPUs are not delivered by September 30, 2026.",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_deal_dates(text):
    assert _by_field(text) == {}


def test_interval_and_offsets():
    text = "The lease runs until mid-2030."
    (f,) = date_facts(Sentence(text, 500), CTX)
    assert f.value == "2030-06-30"
    assert f.attrs["interval"] == ["2030-01-01", "2030-12-31"]
    assert f.display == "mid-2030"
    assert f.start_char == 500 + text.index("mid")
    assert f.end_char == f.start_char + len("mid-2030")


def test_find_dates_does_not_take_numbers_for_dates():
    assert find_dates("It paid $6.3 billion for 110,000 GPUs and 1.2 GW.") == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Capacity arrives in 2027.", {"start_date": ("2027-01-01", "year")}),
        (
            "The first halls are handed over in the first half of the year 2027.",
            {"start_date": ("2027-01-01", "half")},
        ),
        ("- Start: Q3 2027", {"start_date": ("2027-07-01", "quarter")}),
        ("The accord is valid until the end of June 2029.", {"end_date": ("2029-06-30", "month")}),
        (
            "The value is 2 billion euros, as the two firms on Thursday informed.",
            {"announced_on": ("2026-05-14", "day")},
        ),
        ("Shares rose after the announcement on Thursday.", {"announced_on": ("2026-05-14", "day")}),
        ("The new lease adds to the contract from February.", {}),
        ("The lab closed a funding round earlier this year.", {}),
    ],
)
def test_more_phrasings(text, expected):
    assert _by_field(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Capacity is reserved between 2027 and 2031.",
            {"start_date": ("2027-01-01", "year"), "end_date": ("2031-12-31", "year")},
        ),
        ("The pact runs through fiscal 2030.", {"end_date": ("2030-12-31", "year")}),
        ("Payments run until year-end.", {"end_date": ("2026-12-31", "year")}),
        # a quarter with no year after a role word: the next such quarter (published in Q2 2026)
        ("Hosting starts in the first quarter.", {"start_date": ("2027-01-01", "quarter")}),
        ("Hosting starts in the third quarter.", {"start_date": ("2026-07-01", "quarter")}),
        ("Orca reported fourth-quarter revenue of $2 billion.", {}),
    ],
)
def test_ranges_fiscal_yearend_and_yearless_quarters(text, expected):
    assert _by_field(text) == expected


def test_all_caps_headline_dates():
    assert _by_field("PELL LANDS ORCA; $40M A MONTH THROUGH MAY 2029") == {
        "end_date": ("2029-05-31", "month")
    }
    assert _by_field("ORCA SIGNS DEAL STARTING SEPTEMBER 2026") == {"start_date": ("2026-09-01", "month")}
