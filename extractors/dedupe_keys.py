"""An article's dedupe keys — exact fingerprint and MinHash signature — with numpy alone.

Kept apart from :mod:`extractors.dedupe` (the writer's LSH index): the keys are computed on the
workers beside the parse. Neither imports datasketch (and through it scipy, ~50-66 MB): it is a
test dependency only, the reference the numpy code is compared with. The signature is datasketch's MinHash of scheme "affine32"
(MurmurHash3 finalizer, then ``a * h + b mod 2^32`` per permutation, drawn from
``RandomState(seed)``), bit for bit: tests/test_dedupe.py compares the two.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
#: Bodies with fewer normalised words are too short to call copies of anything.
MIN_WORDS = 12
SEED = 1

_WORD = re.compile(r"\w+")
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """The (a, b) rows of the affine permutations, drawn as datasketch draws them (a odd)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


_A, _B = permutations()


def normalize(text: str) -> list[str]:
    """Words of ``text`` with case, accents-as-composed, punctuation and whitespace folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # the maximal runs of word characters are the non-empty pieces between non-word runs
    words = _WORD.findall(text)
    return [w for w in words if w != "_"] if "_" in words else words


def body_of(text: str) -> str:
    """The body of an ``Article.text``: everything after the headline's blank line (the whole
    text when there is no blank line, i.e. no headline)."""
    head, sep, rest = text.partition("\n\n")
    return rest if sep and rest.strip() else text


def text_fingerprint(text: str) -> str:
    """sha1 hex of the normalised words: equal for texts differing only in case/spacing/punctuation."""
    return fingerprint_words(normalize(text))


def fingerprint_words(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def shingle_hashes(words: list[str], k: int = SHINGLE_WORDS) -> np.ndarray:
    """32-bit hashes of the k-word shingles, computed with numpy (sha1 per shingle in Python
    was 70 % of the run time). crc32 per distinct word, then a polynomial over the window;
    stable across processes, unlike ``hash()``."""
    # crc32 once per distinct word, then a C-level lookup per word (a generator calling
    # dict.setdefault per word was ~40 % of this function)
    distinct = list(set(words))
    ids = dict(zip(distinct, map(zlib.crc32, map(str.encode, distinct)), strict=True))  # utf-8
    arr = np.fromiter(map(ids.__getitem__, words), np.uint64, len(words))
    if len(arr) <= k:
        k = len(arr)
    n = len(arr) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * np.uint64(1_000_003) + arr[j : j + n]
    return _sorted_distinct(h & np.uint64(0xFFFFFFFF))


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a 1-d array: a sort and a neighbour comparison, ~7x faster on
    an article's few hundred shingles than numpy's general routine."""
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def signature_values(grams: np.ndarray) -> np.ndarray:
    """The MinHash values (uint32, one per permutation) of a non-empty set of 32-bit hashes."""
    s1, m1, s2, m2, s3 = _FMIX32
    hv = grams.astype(np.uint32).reshape(-1, 1)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    return (hv * _A + _B).min(axis=0)


def signature_bytes(values: np.ndarray, size: int) -> bytes:
    """Compact form (4-byte shingle count + the values as uint64) for storing beside an article."""
    return min(size, 0xFFFFFFFF).to_bytes(4, "little") + np.asarray(values, dtype="<u8").tobytes()


@dataclass(frozen=True)
class DedupeKeys:
    """What duplicate detection needs of one article, small enough to store beside it."""

    fingerprint: str | None  # exact-copy key of the normalised body; None when too short
    signature: bytes | None  # signature bytes of the body's MinHash; None when too short

    @classmethod
    def of(cls, text: str) -> DedupeKeys:
        return cls.of_words(normalize(body_of(text or "")))

    @classmethod
    def of_words(cls, words: list[str]) -> DedupeKeys:
        """The keys of a body's normalised words (``normalize(body_of(text))``)."""
        if len(words) < MIN_WORDS:
            return cls(None, None)
        grams = shingle_hashes(words)
        return cls(fingerprint_words(words), signature_bytes(signature_values(grams), len(grams)))


def keys_and_fingerprint(text: str, with_keys: bool) -> tuple[DedupeKeys | None, str]:
    """``(DedupeKeys.of(text) if with_keys else None, text_fingerprint(text))`` with the text
    normalised once: the body follows the headline's blank line, and a newline neither composes
    under NFKC nor joins words, so the text's words are the headline's words then the body's."""
    head, sep, rest = (text or "").partition("\n\n")
    if not (sep and rest.strip()):  # no headline: the body is the whole text
        words = normalize(text or "")
        return (DedupeKeys.of_words(words) if with_keys else None), fingerprint_words(words)
    body = normalize(rest)
    keys = DedupeKeys.of_words(body) if with_keys else None
    return keys, fingerprint_words(normalize(head) + body)
