"""Rule-based sentence splitting keeps article offsets and knows common abbreviations."""

from extractors.sentences import MAX_SENTENCE_CHARS, split_sentences


def test_offsets_index_into_the_text_and_title_is_marked():
    text = "Headline about a deal\n\nFirst sentence here. Second one follows! A third?\nNew line."
    ss = split_sentences(text)
    assert [s.text for s in ss] == [
        "Headline about a deal",
        "First sentence here.",
        "Second one follows!",
        "A third?",
        "New line.",
    ]
    assert all(text[s.start : s.end] == s.text for s in ss)
    assert [s.is_title for s in ss] == [True, False, False, False, False]


def test_abbreviations_and_decimals_do_not_split():
    ss = split_sentences("x\nBrenner Corp. and the U.S. Navy paid $6.3 billion. Then it ended.")
    assert [s.text for s in ss[1:]] == [
        "Brenner Corp. and the U.S. Navy paid $6.3 billion.",
        "Then it ended.",
    ]


def test_runaway_line_is_cut():
    ss = split_sentences("a" * (MAX_SENTENCE_CHARS * 3 + 5))
    assert len(ss) == 4 and all(len(s.text) <= MAX_SENTENCE_CHARS for s in ss)


def test_empty_and_symbol_only_text():
    assert split_sentences("") == []
    assert split_sentences("\n\n--- ***\n") == []


def test_a_long_sentence_before_a_boundary_is_cut_and_the_next_one_kept_whole():
    text = "Intro line.\n" + "b" * (MAX_SENTENCE_CHARS + 10) + ". Acme signed the lease.  \n  Next line here."
    ss = split_sentences(text)
    assert [len(s.text) for s in ss[1:3]] == [MAX_SENTENCE_CHARS, 11]
    assert [s.text for s in ss[3:]] == ["Acme signed the lease.", "Next line here."]
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in ss)
    assert [s.is_title for s in ss] == [True, False, False, False, False]
