"""Exact and near-duplicate detection: wire copies are found, independent stories are not."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.dedupe import NearDuplicateIndex, body_of, find_duplicates, text_fingerprint
from extractors.dedupe_keys import DedupeKeys, keys_and_fingerprint
from extractors.parse import parse_document

PAGES = Path(__file__).parent / "data" / "html"
CORPUS = Path(__file__).parent.parent / "fixtures" / "corpus"


def page_text(name: str) -> str:
    return parse_document((PAGES / name).read_bytes(), url=f"https://pages.example/{name}").text


def test_fingerprint_folds_case_space_and_punctuation() -> None:
    a = "Lindqvist Grid signed a deal.  It is worth\n5.4 billion euros!"
    b = "lindqvist grid signed a deal it is worth 5 4 billion euros"
    assert text_fingerprint(a) == text_fingerprint(b)
    assert text_fingerprint(a) != text_fingerprint(a.replace("5.4", "6.4"))


def test_body_of_skips_the_headline() -> None:
    assert body_of("Headline\n\nBody line one\nBody line two") == "Body line one\nBody line two"
    assert body_of("No headline here\nsecond line") == "No headline here\nsecond line"


def test_syndicated_html_copy_is_found_and_same_deal_story_is_not() -> None:
    original, copy, other = (
        page_text(n) for n in ("wire_original.html", "wire_copy.html", "same_deal_other_outlet.html")
    )
    dups = find_duplicates([("orig", original), ("other", other), ("copy", copy)])
    assert dups == {"copy": "orig"}


def test_exact_copy_with_a_new_headline_is_a_duplicate() -> None:
    original = page_text("opengraph.html")
    retitled = "A completely different headline\n\n" + body_of(original).upper()
    assert find_duplicates([("a", original), ("b", retitled)]) == {"b": "a"}


def test_known_articles_stay_originals() -> None:
    original = page_text("wire_original.html")
    copy = page_text("wire_copy.html")
    assert find_duplicates([("new-copy", copy)], known=[("stored", original)]) == {"new-copy": "stored"}
    # re-running over an article already stored does not mark it a duplicate of itself
    assert find_duplicates([("stored", original)], known=[("stored", original)]) == {}


def test_copies_point_at_the_first_original_not_at_each_other() -> None:
    body = body_of(page_text("jsonld_newsarticle.html"))
    first = "Headline one\n\n" + body
    second = "Headline two\n\n" + body + "\nA closing line that the second outlet added itself."
    third = "Headline three\n\n" + body
    assert find_duplicates([("a", first), ("b", second), ("c", third)]) == {"b": "a", "c": "a"}


def test_truncated_copy_is_found_by_containment() -> None:
    paragraphs = body_of(page_text("wire_original.html")).split("\n")
    first_half = "Short version\n\n" + "\n".join(paragraphs[: len(paragraphs) // 2])
    index = NearDuplicateIndex()
    index.add("full", "\n".join(paragraphs))
    assert index.query(body_of(first_half)) == "full"


def test_distinct_articles_and_empty_bodies_are_not_duplicates() -> None:
    names = ["jsonld_newsarticle.html", "opengraph.html", "time_byline.html", "blog_layout.html",
             "latin1_meta_charset.html", "bom_utf8.html"]  # fmt: skip
    texts = [(n, page_text(n)) for n in names]
    empties = [("e1", "Headline only"), ("e2", "Another headline only"), ("e3", "")]
    assert find_duplicates(texts + empties) == {}


def test_index_query_and_exclude() -> None:
    index = NearDuplicateIndex()
    body = body_of(page_text("opengraph.html"))
    index.add("x", body)
    index.add("x", "ignored second add under the same id")
    assert len(index) == 1 and "x" in index
    assert index.query(body) == "x"
    assert index.query(body, exclude="x") is None
    assert index.query("tiny") is None


def test_signatures_round_trip_through_bytes() -> None:
    from extractors.dedupe import minhash_of, signature_from_bytes, signature_to_bytes

    body = body_of(page_text("wire_original.html"))
    sig = minhash_of(body)
    data = signature_to_bytes(sig)
    assert len(data) == 4 + 8 * 128
    back = signature_from_bytes(data)
    index = NearDuplicateIndex()
    index.add_signature("stored", back)
    assert index.query(body_of(page_text("wire_copy.html"))) == "stored"
    assert signature_from_bytes(b"short") is None


def test_a_runs_finder_remembers_earlier_batches_and_rejudges_new_versions() -> None:
    from extractors.dedupe import DuplicateFinder

    original, copy, other = (
        page_text(n) for n in ("wire_original.html", "wire_copy.html", "same_deal_other_outlet.html")
    )
    finder = DuplicateFinder()
    finder.add_original("stored-other", other)
    assert finder.check([("orig", original)]) == {}  # batch 1
    assert finder.check([("copy", copy)]) == {"copy": "orig"}  # batch 2 sees batch 1's original
    # a stored article fetched again with the copy's text is a copy now, not an original
    finder.forget("stored-other")
    assert finder.check([("stored-other", copy)]) == {"stored-other": "orig"}
    # and an id the finder already judged is never its own duplicate
    assert finder.check([("orig", original)]) == {}


def test_keys_and_bands_without_datasketch_match_datasketch_bit_for_bit() -> None:
    # Neither the workers nor the flow's process import datasketch (with scipy, ~66 MB): the
    # MinHash values and the LSH bands are computed with numpy, and must be datasketch's exactly,
    # or stored signatures and candidates would change.
    from datasketch import MinHash, MinHashLSH

    from extractors.dedupe import _minhash_words, normalize, signature_to_bytes
    from extractors.dedupe_index import lsh_params
    from extractors.dedupe_keys import NUM_PERM, SEED, DedupeKeys, body_of, permutations, shingle_hashes

    reference_perms = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
    assert (permutations() == reference_perms).all()
    texts = [
        "Headline\n\n" + " ".join(f"word{i % 97} token{i % 13}" for i in range(n)) for n in (6, 7, 40, 900)
    ]
    texts += [page_text(p.name) for p in sorted(PAGES.glob("*.html"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for text in texts:
        words = normalize(body_of(text))
        ours = _minhash_words(words)
        keys = DedupeKeys.of(text)
        assert keys.signature == (signature_to_bytes(ours) if ours else None)
        assert (keys.fingerprint is None) == (ours is None)
        if ours is None:
            continue
        theirs = MinHash(
            num_perm=NUM_PERM,
            seed=SEED,
            permutations=reference_perms,
            scheme="affine32",
            hashfunc=lambda x: x,
        )
        theirs.update_batch(shingle_hashes(words).tolist())
        assert (ours[0].hashvalues == theirs.hashvalues).all()
    for threshold in (0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 0.95):
        for num_perm in (64, 128, 256):
            lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
            assert lsh_params(threshold, num_perm) == (lsh.b, lsh.r), (threshold, num_perm)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab_ \n.ÉéﬁⅣ\u0301\u0327Ⅸß-")), max_size=40),
    st.sampled_from(["", "\n", "\n\n", "\n\n\n", " \n\n "]),
    st.text(alphabet=st.sampled_from(list("ab_ \n.ÉéﬁⅣ\u0301\u0327ß-")), max_size=120),
)
def test_keys_of_a_text_normalised_once_equal_the_keys_computed_apart(head, sep, rest) -> None:
    """The worker normalises an article once for both keys: the same fingerprint and MinHash as
    normalising the text and its body apart (combining marks after the blank line included)."""
    text = head + sep + rest + " word" * 14
    for with_keys in (True, False):
        keys, fingerprint = keys_and_fingerprint(text, with_keys)
        assert fingerprint == text_fingerprint(text)
        assert keys == (DedupeKeys.of(text) if with_keys else None)
