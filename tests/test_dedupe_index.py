"""The compact duplicate index finds exactly what datasketch's MinHashLSH index found.

The reference below is the index as it was before issue 13 (a ``MinHashLSH`` plus a dict of
MinHash objects), kept here only to compare against: same candidates, same (Jaccard,
containment) estimates, same order, same chosen original, on the corpus and on generated
near-copies of it (enough bodies to cross the sorted/unsorted boundary of the band arrays).
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from extractors import dedupe_index
from extractors.dedupe import (
    CONTAINMENT_MIN,
    DEFAULT_THRESHOLD,
    LSH_THRESHOLD,
    NUM_PERM,
    DuplicateFinder,
    NearDuplicateIndex,
    body_of,
    estimate,
    minhash_of,
)
from extractors.dedupe_keys import DedupeKeys

ROOT = Path(__file__).resolve().parent.parent


def _datasketch(values) -> MinHash:
    """The datasketch MinHash of a signature's values (the product keeps only the values)."""
    return MinHash(seed=1, hashvalues=np.asarray(values.hashvalues, dtype=np.uint64), scheme="affine32")


class _ReferenceIndex:
    """The pre-issue-13 NearDuplicateIndex (no removals), for comparison only."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=min(DEFAULT_THRESHOLD, LSH_THRESHOLD), num_perm=NUM_PERM)
        self._hashes: dict[str, tuple[MinHash, int]] = {}
        self._order: dict[str, int] = {}

    def add_signature(self, article_id: str, signature: tuple[MinHash, int] | None) -> None:
        if signature is None or article_id in self._hashes:
            return
        self._lsh.insert(article_id, _datasketch(signature[0]))
        self._hashes[article_id] = signature
        self._order[article_id] = len(self._order)

    def similar_signature(self, signature: tuple[MinHash, int] | None) -> list[tuple[str, float, float]]:
        if signature is None:
            return []
        found = []
        for key in self._lsh.query(_datasketch(signature[0])):
            j, c = estimate(self._hashes[key], signature)
            if j >= DEFAULT_THRESHOLD or c >= CONTAINMENT_MIN:
                found.append((key, j, c))
        return sorted(found, key=lambda t: (-t[1], self._order[t[0]]))

    def query_signature(self, signature: tuple[MinHash, int] | None) -> str | None:
        ids = [k for k, _, _ in self.similar_signature(signature)]
        return min(ids, key=self._order.__getitem__) if ids else None


def _bodies() -> list[tuple[str, str]]:
    """Corpus bodies, 600 unrelated bodies (a corpus body's words shuffled), then generated
    near-copies of the corpus bodies: truncated, edited, padded."""
    paths = sorted((ROOT / "fixtures" / "corpus").glob("*.txt"))
    real = [(p.stem, body_of(p.read_text(encoding="utf-8"))) for p in paths]
    rng = random.Random(13)
    shuffled = []
    for i in range(600):
        words = real[i % len(real)][1].split()
        rng.shuffle(words)
        shuffled.append((f"shuffled{i}", " ".join(words)))
    generated = []
    for i, (name, body) in enumerate(real * 3):
        words = body.split()
        kind = i % 3
        if kind == 0:
            words = words[: max(1, len(words) // 2)]
        elif kind == 1:
            words = [w if rng.random() > 0.03 else "edited" for w in words]
        else:
            words = words + ["Subscribe", "to", "our", "newsletter", "for", "more"] * 5
        generated.append((f"{name}-v{i}", " ".join(words)))
    return real + shuffled + generated


@pytest.mark.parametrize("tail", [512, 40])
def test_compact_index_gives_the_reference_candidates_order_and_originals(tail, monkeypatch) -> None:
    monkeypatch.setattr(dedupe_index, "_TAIL_MAX", tail)  # 40: many merges of the unsorted tail
    bodies = _bodies()
    assert len(bodies) > 700  # crosses the band arrays' 512-row unsorted tail at least once
    new, old = NearDuplicateIndex(), _ReferenceIndex()
    matches = 0
    for article_id, body in bodies:
        sig = minhash_of(body)
        assert new.similar_signature(sig) == old.similar_signature(sig), article_id
        original = new.query_signature(sig)
        assert original == old.query_signature(sig), article_id
        matches += original is not None
        if original is None:  # originals only, as the run's finder indexes them
            new.add_signature(article_id, sig)
            old.add_signature(article_id, sig)
    assert matches > 100  # the generated copies are found, so the comparison covers decisions


def test_with_copies_indexed_too_ties_are_ordered_as_in_the_reference() -> None:
    bodies = _bodies()[:60] + [(f"{name}-again", body) for name, body in _bodies()[:60]]
    new, old = NearDuplicateIndex(), _ReferenceIndex()
    sigs = [(article_id, minhash_of(body)) for article_id, body in bodies]
    for article_id, sig in sigs:  # every body indexed, so equal copies tie on Jaccard
        new.add_signature(article_id, sig)
        old.add_signature(article_id, sig)
    ties = 0
    for article_id, sig in sigs:
        found = new.similar_signature(sig)
        assert found == old.similar_signature(sig), article_id
        assert new.query_signature(sig) == old.query_signature(sig), article_id
        ties += len(found) > 1 and found[0][1] == found[1][1]
    assert ties >= 60


def test_a_removed_body_is_no_longer_found_and_comes_back_as_the_newest() -> None:
    text = " ".join(f"word{i}" for i in range(60))
    index = NearDuplicateIndex()
    index.add("first", text)
    index.add("second", text + " tail words here for a change")
    assert index.query(text) == "first"
    index.remove("first")
    assert "first" not in index and index.query(text) == "second"
    index.add("first", text)
    assert index.query(text) == "second"  # re-indexed after "second": no longer the earliest


def test_stored_articles_cost_under_3_kb_each_in_the_run_index() -> None:
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(5000)]
    keys = [DedupeKeys.of("Head\n\n" + " ".join(rng.choice(vocab) for _ in range(200))) for _ in range(2000)]
    tracemalloc.start()
    try:
        finder = DuplicateFinder()
        before = tracemalloc.get_traced_memory()[0]
        for i, k in enumerate(keys):
            finder.add_original(f"a{i}", k)
        per_article = (tracemalloc.get_traced_memory()[0] - before) / len(keys)
    finally:
        tracemalloc.stop()
    assert len(finder) == 2000
    assert per_article < 3000, per_article  # the MinHashLSH index held ~9.4 KB per article
