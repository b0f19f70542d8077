"""Exact and near-duplicate articles: syndicated wire copies count once as a source.

Exact: a hash of the body with case, whitespace and punctuation folded. Near: MinHash LSH
over 5-word shingles of the body (datasketch's affine32 MinHash and MinHashLSH bands, computed
with numpy: extractors.dedupe_keys, extractors.dedupe_index). The headline is left out of both because a
republished wire story usually gets a new headline, and two outlets' different stories about
one deal often share the headline's facts but not their sentences.

A copy is near when its estimated Jaccard similarity reaches ``JACCARD_MIN`` or when one body
is mostly contained in the other (``CONTAINMENT_MIN``): outlets often run only the first half
of a wire story, which halves Jaccard but keeps containment near 1. Containment is estimated
from the MinHash Jaccard and the two shingle-set sizes, so nothing but 128 integers and a size
is kept per article.
"""

from __future__ import annotations

import numpy as np

from extractors.dedupe_index import BandIndex, lsh_params
from extractors.dedupe_keys import (  # noqa: F401 - body_of, text_fingerprint: this module's API too
    MIN_WORDS,
    NUM_PERM,
    SEED,
    SHINGLE_WORDS,
    DedupeKeys,
    body_of,
    normalize,
    signature_bytes,
    signature_values,
    text_fingerprint,
)
from extractors.dedupe_keys import fingerprint_words as _fingerprint_words
from extractors.dedupe_keys import shingle_hashes as _shingle_hashes

#: Estimated Jaccard similarity of body shingles at or above which an article is a copy.
#: Measured (MinHash estimates; tests/test_dedupe_threshold.py keeps the gate): the 5 syndicated
#: copies in fixtures/corpus, fixtures/site and tests/data/html 0.79-0.88 (containment
#: 0.97-1.00); 50 same-deal pairs from different outlets incl. the seeds at most 0.016
#: (containment <= 0.055); 3,185 unrelated pairs at most 0.039 (containment <= 0.097).
#: Synthetic copies: +2 boilerplate paragraphs 0.53-0.99, 3 % of words edited 0.55-1.00,
#: only the first half kept 0.27-0.81 (found by containment; 41 of 43).
DEFAULT_THRESHOLD = 0.5
#: Share of the shorter body's shingles found in the longer one that makes it a copy.
CONTAINMENT_MIN = 0.8
#: Candidates are looked up in the LSH at this Jaccard (a truncated copy has low Jaccard but
#: must still be found to have its containment checked).
LSH_THRESHOLD = 0.2


class MinHash:
    """A body's MinHash values where a ``datasketch.MinHash`` stood (only its ``hashvalues`` were
    read): the flow's process no longer imports datasketch and scipy for it (~66 MB RSS)."""

    __slots__ = ("hashvalues",)

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = hashvalues


def shingles(words: list[str], k: int = SHINGLE_WORDS) -> set[bytes]:
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def minhash_of(text: str) -> tuple[MinHash, int] | None:
    """MinHash of a body's shingles and the number of shingles, or None when too short."""
    return _minhash_words(normalize(text))


def _minhash_words(words: list[str]) -> tuple[MinHash, int] | None:
    if len(words) < MIN_WORDS:
        return None
    grams = _shingle_hashes(words)
    return MinHash(signature_values(grams)), len(grams)


def signature_to_bytes(signature: tuple[MinHash, int]) -> bytes:
    """Compact form (4-byte shingle count + 128 uint64) for storing next to an article, so a run
    can index the database's articles without re-hashing their text."""
    return signature_bytes(signature[0].hashvalues, signature[1])


def signature_from_bytes(data: bytes) -> tuple[MinHash, int] | None:
    """Inverse of :func:`signature_to_bytes`; None for bytes of the wrong length."""
    if len(data) != 4 + 8 * NUM_PERM:
        return None
    values = np.frombuffer(data[4:], dtype="<u8").astype(np.uint64)
    return MinHash(values), int.from_bytes(data[:4], "little")


def estimate(a: tuple[MinHash, int], b: tuple[MinHash, int]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger), estimated from MinHashes."""
    return _estimate_values(a[0].hashvalues, a[1], b[0].hashvalues, b[1])


def _estimate_values(a: np.ndarray, size_a: int, b: np.ndarray, size_b: int) -> tuple[float, float]:
    j = float(np.mean(a == b))
    inter = j * (size_a + size_b) / (1.0 + j)
    return j, min(1.0, inter / max(1, min(size_a, size_b)))


def jaccard(a: str, b: str) -> float:
    """Exact shingle Jaccard similarity of two bodies (for measuring; the index estimates it)."""
    sa, sb = shingles(normalize(a)), shingles(normalize(b))
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


class NearDuplicateIndex:
    """Bodies seen so far; ``query`` names the earliest one a new body is a near-copy of.

    Pass BODIES (``body_of(article.text)``), not headline + body. Candidates are those of a
    ``MinHashLSH`` at ``min(threshold, LSH_THRESHOLD)`` (its bands and rows: lsh_params), found in a
    :class:`~extractors.dedupe_index.BandIndex` (~1 KB per body instead of ~10 KB).
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, containment: float = CONTAINMENT_MIN) -> None:
        self.threshold = threshold
        self.containment = containment
        self._bands = BandIndex(NUM_PERM, *lsh_params(min(threshold, LSH_THRESHOLD), NUM_PERM))
        self._row: dict[str, int] = {}
        self._id_of: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._row

    def add(self, article_id: str, text: str) -> None:
        """Index a body under ``article_id``; short bodies and repeated ids are ignored."""
        self.add_signature(article_id, minhash_of(text))

    def add_signature(self, article_id: str, signature: tuple[MinHash, int] | None) -> None:
        """Index a precomputed :func:`minhash_of` result (None, and values over 32 bits, ignored)."""
        if signature is None or article_id in self._row or not BandIndex.valid(signature[0].hashvalues):
            return
        row = self._bands.add(signature[0].hashvalues, signature[1])
        self._row[article_id] = row
        self._id_of[row] = article_id

    def remove(self, article_id: str) -> None:
        row = self._row.pop(article_id, None)
        if row is not None:
            self._bands.kill(row)
            del self._id_of[row]

    def similar(self, text: str) -> list[tuple[str, float, float]]:
        """Indexed near-copies of ``text`` as (id, Jaccard, containment), most similar first."""
        return self.similar_signature(minhash_of(text))

    def similar_signature(self, signature: tuple[MinHash, int] | None) -> list[tuple[str, float, float]]:
        if signature is None or not BandIndex.valid(signature[0].hashvalues):
            return []
        values = np.asarray(signature[0].hashvalues, dtype=np.uint32)
        found = []
        for row in self._bands.candidates(values).tolist():
            stored, size = self._bands.signature(row)
            j, c = _estimate_values(stored, size, values, signature[1])
            if j >= self.threshold or c >= self.containment:
                found.append((row, j, c))
        found.sort(key=lambda t: (-t[1], t[0]))  # rows only grow: a lower row was indexed earlier
        return [(self._id_of[row], j, c) for row, j, c in found]

    def query(self, text: str, exclude: str | None = None) -> str | None:
        """Id of the EARLIEST indexed near-duplicate of ``text`` (not ``exclude``), or None."""
        return self.query_signature(minhash_of(text), exclude)

    def query_signature(
        self, signature: tuple[MinHash, int] | None, exclude: str | None = None
    ) -> str | None:
        ids = [k for k, _, _ in self.similar_signature(signature) if k != exclude]
        return min(ids, key=self._row.__getitem__) if ids else None


class DuplicateFinder:
    """Originals seen so far (exact keys and the near-copy index), kept for a whole run so each
    batch is checked against everything before it without re-reading and re-indexing the
    database's articles per batch (that made the dedupe stage grow with N²)."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._exact: dict[str, str] = {}
        self._fingerprint_of: dict[str, str] = {}
        self._index = NearDuplicateIndex(threshold)
        self._seen: set[str] = set()

    def __len__(self) -> int:
        return len(self._seen)

    def add_original(self, article_id: str, text: str | DedupeKeys) -> None:
        """An article already stored as an original (oldest first)."""
        fingerprint, signature = _keys_of(text)
        if fingerprint is not None:
            self._exact.setdefault(fingerprint, article_id)
            self._fingerprint_of[article_id] = fingerprint
        self._index.add_signature(article_id, signature)
        self._seen.add(article_id)

    def forget(self, article_id: str) -> None:
        """Take a stored article out, so that a new version of it is judged afresh."""
        if article_id not in self._seen:
            return
        self._seen.discard(article_id)
        fingerprint = self._fingerprint_of.pop(article_id, None)
        if fingerprint is not None and self._exact.get(fingerprint) == article_id:
            del self._exact[fingerprint]
        self._index.remove(article_id)

    def check(self, articles: list[tuple[str, str | DedupeKeys]]) -> dict[str, str]:
        """Map each duplicate's id → its original's; the originals among ``articles`` (oldest
        first) are remembered for later calls. An id seen before is not its own duplicate."""
        result: dict[str, str] = {}
        for article_id, text in articles:
            if article_id in self._seen:
                continue
            self._seen.add(article_id)
            fingerprint, signature = _keys_of(text)
            original = self._exact.get(fingerprint) if fingerprint is not None else None
            if original is None:
                original = self._index.query_signature(signature, exclude=article_id)
            if original is not None:
                result[article_id] = original
                continue
            if fingerprint is not None:
                self._exact[fingerprint] = article_id
                self._fingerprint_of[article_id] = fingerprint
            self._index.add_signature(article_id, signature)
        return result


def _keys_of(text: str | DedupeKeys) -> tuple[str | None, tuple[MinHash, int] | None]:
    if isinstance(text, DedupeKeys):
        return text.fingerprint, signature_from_bytes(text.signature) if text.signature else None
    words = normalize(body_of(text or ""))
    fingerprint = _fingerprint_words(words) if len(words) >= MIN_WORDS else None
    return fingerprint, _minhash_words(words)


def find_duplicates(
    articles: list[tuple[str, str | DedupeKeys]],
    known: list[tuple[str, str]] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    known_keys: list[tuple[str, DedupeKeys]] | None = None,
) -> dict[str, str]:
    """Map each duplicate's article_id → the earlier original's article_id.

    ``articles`` are ``(article_id, Article.text or its DedupeKeys)`` in the order they count as "earlier"
    (oldest first); ``known`` are articles already stored, which stay originals. Exact copies
    (same normalised body) are found first, then near-copies. Duplicates are not indexed, so
    every copy points at the original, never at another copy. An id seen twice is not its own
    duplicate. ``known_keys`` are stored articles given by their :class:`DedupeKeys`, so a run
    does not re-hash the text of every article in the database.
    """
    finder = DuplicateFinder(threshold)
    for article_id, text in [*(known_keys or []), *(known or [])]:
        finder.add_original(article_id, text)
    return finder.check(articles)
