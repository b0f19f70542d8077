"""No exception escapes extract_values, whatever the text; every fact's span lies in the sentence."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.models import ArticleContext, Sentence
from extractors.values import extract_values

# Text made of the pieces the rules look for, so that hypothesis reaches deep into them.
PIECES = st.sampled_from(
    [
        "$",
        "€",
        "US$",
        "1.5",
        "110,000",
        "3-4",
        "billion",
        "bn",
        "M",
        "a year",
        "per month",
        "monthly",
        "worth",
        "up to",
        "between",
        "and",
        "raised",
        "valuation",
        "July 1",
        "2026",
        "mid-",
        "Q1",
        "through",
        "starting",
        "announced",
        "Monday",
        "five-year",
        "months",
        "notice",
        "after the first",
        "either party",
        "terminate",
        "if",
        "not delivered",
        "GB300",
        "TPUs",
        "GW",
        "MW",
        "in",
        "Abilene,",
        "Texas",
        "campus",
        "The",
        "Saltmarsh",
        "'",
        "’s",
        ",",
        ".",
        " ",
        "-",
        "(",
        ")",
        "\n",
        "\x00",
        "é",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES, max_size=60).map(" ".join),
    st.lists(PIECES, max_size=60).map("".join),
)
CTXS = st.one_of(
    st.just(ArticleContext()),
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
    ).map(lambda d: ArticleContext(published_at=d)),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, start=st.integers(min_value=0, max_value=10**6), ctx=CTXS)
def test_no_exception_and_spans_inside_sentence(text, start, ctx):
    facts = extract_values(Sentence(text, start), ctx)
    for f in facts:
        assert start <= f.start_char <= f.end_char <= start + len(text)
        assert f.display == text[f.start_char - start : f.end_char - start]
        assert 0.0 <= f.confidence <= 1.0


def test_bad_inputs_give_empty_lists():
    assert extract_values(Sentence("", 0), ArticleContext()) == []
    assert extract_values(None, None) == []  # type: ignore[arg-type]
    assert extract_values(Sentence(None, 0), ArticleContext()) == []  # type: ignore[arg-type]


def test_huge_sentence_is_fast_and_safe():
    text = ("The lab will pay $150 million per month through 2029 for 110,000 GB300 GPUs. " * 30000)[
        :2_000_000
    ]
    t0 = time.perf_counter()
    facts = extract_values(Sentence(text, 0), ArticleContext())
    assert time.perf_counter() - t0 < 2.0
    assert any(f.field == "monthly_fee" for f in facts)


def test_entry_point_drops_other_systems_hardware_and_keeps_the_deals():
    text = "The original cluster houses H100s, while the new hall gives Pell 20,000 GB300 GPUs."
    facts = extract_values(Sentence(text, 0), ArticleContext())
    assert sorted(f.value for f in facts if f.field == "hardware") == ["Nvidia GB300"]
    assert [f.value for f in facts if f.field == "accelerator_count"] == [20000]
