"""Grouped alternations match exactly what the flat ones match (the gate's cues and names rely on it)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.alternation import grouped_alternation, literal_alternation
from extractors.gate import _CUES

WORDS = st.lists(st.text(alphabet="abc -'", min_size=0, max_size=5), min_size=1, max_size=12)
TEXTS = st.text(alphabet="abcABC -'\n", max_size=60)


def _matches(pattern: str, text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in re.finditer(pattern, text)]


@settings(max_examples=300, deadline=None)
@given(WORDS, TEXTS)
def test_literal_names_match_what_the_flat_alternation_matches(names: list[str], text: str) -> None:
    flat = r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])"
    grouped = r"(?<![\w-])(?:" + literal_alternation(names) + r")(?![\w-])"
    assert _matches(grouped, text) == _matches(flat, text)


FRAGMENTS = st.lists(
    st.sampled_from(
        ["deals?", "data", "da(?:y|ys)", r"\d+ ?mw", "ab|ac", "a(b)c", "a?b", "b", "", "[ab]c", "ba"]
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(FRAGMENTS, st.text(alphabet="abcdeylmsw 12", max_size=40))
def test_regex_fragments_match_what_the_flat_alternation_matches(fragments: list[str], text: str) -> None:
    flat = "(?:" + "|".join(fragments) + ")(?![a-z])"
    assert _matches("(?:" + grouped_alternation(fragments) + ")(?![a-z])", text) == _matches(flat, text)


def test_a_fragment_that_is_itself_an_alternation_is_left_whole() -> None:
    # "ab|ac" starts with "a", but writing "a(?:b|ac)" would change what it matches
    assert re.fullmatch(grouped_alternation(["ab|ac", "ad"]), "ac")
    assert not re.fullmatch(grouped_alternation(["ab|ac", "ad"]), "aac")


def test_the_cue_files_patterns_compile_grouped() -> None:
    import tomllib

    data = tomllib.loads(_CUES.read_text(encoding="utf-8"))
    words = data["transaction"]
    grouped = grouped_alternation(words)
    assert len(grouped) < len("|".join(words)) and re.compile(grouped)
