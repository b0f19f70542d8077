"""Bad input never escapes extract_articles: every article gets a result, with a reason when skipped."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.models import Article
from extractors.pipeline import MAX_ARTICLE_CHARS, extract_articles

_words = st.sampled_from(
    [
        "Pay",
        "will",
        "pay",
        "Acme",
        "Cloud",
        "$5",
        "billion",
        "GPUs",
        "from",
        "to",
        "deal",
        "the",
        ".",
        ",",
        "\n",
        "’s",
        "(NYSE: X)",
        "—",
        "it",
        "a",
        "month",
        "2027",
        "Inc.",
        "access",
        "capacity",
        "Ωmega",
        "数据",
    ]
)
_texts = st.one_of(
    st.text(max_size=400),
    st.lists(_words, max_size=80).map(" ".join),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_texts, min_size=1, max_size=4))
def test_no_exception_and_one_result_per_article(texts):
    arts = [Article(article_id=str(i), url="u", text=t) for i, t in enumerate(texts)]
    res = extract_articles(arts)
    assert [r.article_id for r in res] == [a.article_id for a in arts]
    for r in res:
        assert r.is_deal_relevant or r.reason
        for m in r.mentions:
            assert m.provider or m.customer


def test_two_megabyte_article_is_truncated_not_fatal():
    text = "Acme Cloud will pay Brixton Compute $5 million a month for GPU capacity. " * 30_000
    (r,) = extract_articles([Article(article_id="big", url="u", text=text)])
    assert r.reason and f"truncated to {MAX_ARTICLE_CHARS}" in r.reason


def test_non_english_and_non_string_text():
    arts = [
        Article(article_id="de", url="u", text="Die Firma zahlt viel Geld für Rechenleistung. Das ist gut."),
        Article(article_id="none", url="u", text=None),  # type: ignore[arg-type]
    ]
    res = extract_articles(arts)
    assert [r.is_deal_relevant for r in res] == [False, False]
    assert all(r.reason for r in res)


def test_missing_model_degrades_instead_of_raising(monkeypatch):
    import extractors.nlp as nlp

    monkeypatch.setenv(nlp.MODEL_ENV, "no_such_model_xyz")
    text = "GPU deal\n\nAnthropic will pay CoreWeave $10 million a month for GPU capacity."
    (r,) = extract_articles([Article(article_id="m", url="u", text=text)])
    assert (r.mentions[0].provider, r.mentions[0].customer) == ("CoreWeave", "Anthropic")
