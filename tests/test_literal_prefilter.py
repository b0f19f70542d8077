"""The rule prefilters skip work only where a pattern cannot match: the claims, dates, places and
known names a user sees are those of trying every pattern everywhere."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.companies import gazetteer_pattern
from extractors.date_expressions import _DATE
from extractors.literal_prefilter import (
    LiteralIndex,
    first_char_guard,
    folded,
    names_alternation,
    required_literals,
)
from extractors.places import _CITY_REGION
from extractors.role_claims import _role_index, find_role_claims, role_patterns

#: Masked sentences as extractors.descriptors writes them, with the characters re's IGNORECASE
#: folds onto ASCII letters (Kelvin sign, long s, dotless and dotted I) written into the verbs.
SENTENCES = [
    "⟦c0⟧ will pay ⟦c1⟧ $2 billion for access to its GPUs.",
    "⟦c0⟧ signed a five-year lease with ⟦c1⟧ for 200 MW of capacity.",
    "⟦c0⟧ will supply ⟦c1⟧ with 10,000 accelerators.",
    "⟦c0⟧ will PAY ⟦c1⟧ for compute, it said.",
    "⟦c0⟧ has paıd ⟦c1⟧ for compute.",  # dotless i: re.IGNORECASE reads "paid"
    "⟦c0⟧ agreed to rent GPU capacity from ⟦c1⟧ in Texas.",
    "⟦c0⟧ ſigned a deal with ⟦c1⟧ to buy chips from ⟦c2⟧.",
    "⟦c0⟧ is a customer of ⟦c1⟧ and ⟦d0⟧ hosts its cluster.",
    "The cloud provider ⟦c0⟧ granted ⟦c1⟧ acceſs to a supercomputer.",
    "⟦c0⟧ won a contract from ⟦c1⟧ worth $1.2 billion.",
]


def _tried_everywhere(text: str) -> set[int]:
    return {i for i, row in enumerate(role_patterns()) if row["regex"].search(text)}


def test_every_role_pattern_that_matches_is_tried() -> None:
    matched = 0
    for text in SENTENCES:
        hits = _tried_everywhere(text)
        matched += len(hits)
        assert hits <= _role_index().candidates(text), text
    assert matched >= 8  # the sentences exercise the patterns, not only the filter


def test_claims_from_a_sentence_name_the_parties() -> None:
    table = {"c0": ("Acme Cloud", 0, 10), "c1": ("Globex AI", 20, 29)}
    claims = find_role_claims("⟦c0⟧ will supply ⟦c1⟧ with 10,000 accelerators.", table, 0)
    assert ("Acme Cloud", "Globex AI") in [(c.provider, c.customer) for c in claims]


def test_a_sentence_without_the_words_skips_most_patterns() -> None:
    assert len(_role_index().candidates("⟦c0⟧ and ⟦c1⟧ met in Oslo.")) < len(role_patterns()) / 4


def test_required_text_is_read_from_the_pattern() -> None:
    clauses = required_literals(re.compile(r"\bpa(?:y|ys|id|ying)\s+(?:to\s+)?x", re.I))
    assert frozenset({"pay", "paid"}) in clauses
    assert required_literals(re.compile(r"\w+|x")) == ()  # nothing is required


def test_case_folding_keeps_what_ignorecase_matches() -> None:
    assert folded("Kİſı") == "kisi"  # Kelvin sign, dotted I, long s, dotless i
    assert folded("a\U0001f600") is None  # beyond the BMP: not filtered


_ALPHABET = st.sampled_from(list("pPaAyYiIdDsStT ⟦⟧c0-,.KıİſK\u212a") + ["pay", "paid", "to ", "access"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=12).map("".join))
def test_the_index_never_drops_a_pattern_that_matches(text: str) -> None:
    patterns = [
        re.compile(r"⟦(?P<A>c\d)⟧\s*\bpa(?:y|ys|id|ying)\s+(?:to\s+)?⟦(?P<B>c\d)⟧", re.I),
        re.compile(r"acce(?:ss|ſs)\s+to|\bit\b", re.I),
        re.compile(r"(?:(?<=a)|s)ta", re.I),
        re.compile(r"PAID", 0),
    ]
    index = LiteralIndex((p, None) for p in patterns)
    assert {i for i, p in enumerate(patterns) if p.search(text)} <= index.candidates(text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Jan 2026-01-05 Q3 next month Monday, Texas Austin AEÀ.-'1")),
        max_size=40,
    )
)
def test_guarded_patterns_find_the_same_matches(text: str) -> None:
    for pattern in (_DATE, _CITY_REGION):
        plain = re.compile(pattern.pattern.split("])", 1)[1], pattern.flags)
        assert [m.groupdict() | {"_": m.span()} for m in pattern.finditer(text)] == [
            m.groupdict() | {"_": m.span()} for m in plain.finditer(text)
        ]


def test_first_char_guard_only_where_the_first_character_is_known() -> None:
    assert first_char_guard(r"(?<!\w)(?:ab|c\d)") == r"(?=[ac])(?<!\w)(?:ab|c\d)"
    assert first_char_guard(r"[^a]b") == r"[^a]b"
    assert first_char_guard(r"x*") == r"x*"
    assert first_char_guard(r"(?i:ab)") == r"(?i:ab)"


@settings(max_examples=100, deadline=None)
@given(
    st.sets(st.text(alphabet="AaBb-. 1", min_size=1, max_size=5), min_size=1, max_size=6),
    st.text(alphabet="AaBb-. 1x", max_size=30),
)
def test_names_pattern_matches_as_a_plain_alternation(names: set[str], text: str) -> None:
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    plain = re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w-])")
    assert [m.span() for m in re.compile(names_alternation(names)).finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


def test_the_gazetteer_pattern_still_finds_known_names() -> None:
    text = "Shares of Nvidia rose after the deal."
    assert [m.group() for m in gazetteer_pattern().finditer(text)] == ["Nvidia"]


def _candidates_by_each_string(index: LiteralIndex, text: str) -> set[int]:
    """What the index answered before its one-pass scan: a test of ``s in text`` per string."""
    low = folded(text)
    needs = index._needs  # noqa: SLF001 - the reference reads the same clauses
    if low is None:
        return set(range(len(needs)))
    return {i for i, clauses in enumerate(needs) if all(any(s in low for s in c) for c in clauses)}


_ROLE_WORDS = st.sampled_from(sorted({s for needs in _role_index()._needs for c in needs for s in c}))  # noqa: SLF001


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ROLE_WORDS, _ALPHABET), max_size=10).map("".join))
def test_the_one_pass_scan_finds_every_string_a_test_per_string_finds(text: str) -> None:
    """Strings that overlap or start one another ("agree", "agreed", "agreement") are all found."""
    assert _role_index().candidates(text) == _candidates_by_each_string(_role_index(), text)
    assert _role_index().candidates(text.upper()) == _candidates_by_each_string(_role_index(), text.upper())
