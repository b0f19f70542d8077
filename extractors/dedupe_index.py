"""A compact LSH band index: the same candidates as datasketch's ``MinHashLSH``, in numpy arrays.

``MinHashLSH`` keeps, per article and band, a one-element Python set in a dict keyed by the
band's bytes (~10 KB per article with its ``MinHash``; ~95 MB at 10,000 stored articles, loaded
at the start of every run). Here the signatures are rows of one uint32 matrix and each band's
keys (the band's values packed into one uint64, so equal keys <=> equal band values, exactly as
``MinHashLSH`` buckets them) are a sorted array searched with ``searchsorted``; new rows wait in
a short unsorted tail that is scanned and merged into the sorted part when it grows.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Rows added since the last sort that are scanned linearly; beyond this the bands are re-sorted.
_TAIL_MAX = 512
_MAX32 = 0xFFFFFFFF


#: Points of the grid the band/row error integrals are taken on (Simpson's rule; odd).
_GRID = 4001


@lru_cache(maxsize=8)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) that ``datasketch.MinHashLSH(threshold, num_perm)`` chooses: the pair with
    the least equally weighted false positive and false negative probability. Computed here with
    numpy so the flow's process need not import datasketch and scipy (~66 MB RSS) for two
    integers; tests compare it with datasketch's choice.

    Per row count r the powers ``(1 - s**r) ** b`` of every band count b come from one cumulative
    product and the integrals from one matrix product (a loop over every (b, r) pair cost ~0.15
    CPU-s of each run's flow process, the index being built once a run)."""
    best, choice = float("inf"), (0, 0)
    error = np.full((num_perm + 1, num_perm + 1), np.inf)  # [b, r]
    for r in range(1, num_perm + 1):
        bands = num_perm // r
        fp = _integrals(1 - np.linspace(0.0, threshold, _GRID) ** r, bands, threshold, negate=True)
        fn = _integrals(1 - np.linspace(threshold, 1.0, _GRID) ** r, bands, 1.0 - threshold, negate=False)
        error[1 : bands + 1, r] = 0.5 * fp + 0.5 * fn
    for b in range(1, num_perm + 1):  # datasketch's order of (b, r): the first least error wins
        for r in range(1, num_perm // b + 1):
            if error[b, r] < best:
                best, choice = float(error[b, r]), (b, r)
    return choice


def _integrals(base: np.ndarray, bands: int, width: float, *, negate: bool) -> np.ndarray:
    """Composite Simpson integrals over a grid of ``width`` of ``base ** b`` (``1 - base ** b`` when
    ``negate``) for b = 1 .. ``bands``."""
    powers = np.cumprod(np.broadcast_to(base, (bands, len(base))), axis=0)  # row b-1: base ** b
    weights = np.full(len(base), 2.0)
    weights[1:-1:2] = 4.0
    weights[0] = weights[-1] = 1.0
    weights *= width / (len(base) - 1) / 3
    return (1 - powers if negate else powers) @ weights


class BandIndex:
    """Signatures (uint32 values + shingle count) by row, findable by any band they share."""

    def __init__(self, num_perm: int, bands: int, rows: int) -> None:
        if rows > 2 or bands * rows > num_perm:
            raise ValueError(f"bands of {rows} rows cannot be packed into one uint64 key")
        self.num_perm, self.bands, self.rows = num_perm, bands, rows
        self._sig = np.zeros((16, num_perm), dtype=np.uint32)
        self._size = np.zeros(16, dtype=np.int64)
        self._alive = np.zeros(16, dtype=bool)
        self._n = 0  # rows used (dead ones included)
        self._sorted_n = 0  # rows [0, _sorted_n) are in the sorted band arrays
        self._keys: list[np.ndarray] = [np.empty(0, np.uint64)] * bands
        self._rows_of: list[np.ndarray] = [np.empty(0, np.int32)] * bands
        # band keys of the tail's rows [_sorted_n, _keyed_n), packed once each at the first query
        # after they were added (a query used to pack the whole tail again; loading stored rows
        # packs none until the sort)
        self._tail_keys = np.empty((_TAIL_MAX + 1, bands), dtype=np.uint64)
        self._keyed_n = 0

    @staticmethod
    def valid(values: np.ndarray) -> bool:
        """Whether ``values`` fit the uint32 rows (every affine32 MinHash does)."""
        return bool(values.size) and int(values.max()) <= _MAX32

    def add(self, values: np.ndarray, size: int) -> int:
        """Store a signature; returns its row (rows only grow, so a row number is an age)."""
        if self._n == len(self._sig):
            self._grow()
        row = self._n
        self._sig[row] = values
        self._size[row] = size
        self._alive[row] = True
        self._n += 1
        if self._n - self._sorted_n > _TAIL_MAX:
            self._sort()
        return row

    def kill(self, row: int) -> None:
        self._alive[row] = False

    def signature(self, row: int) -> tuple[np.ndarray, int]:
        return self._sig[row], int(self._size[row])

    def candidates(self, values: np.ndarray) -> np.ndarray:
        """Live rows sharing at least one band with ``values`` (ascending)."""
        q = self._band_keys(np.asarray(values, dtype=np.uint32).reshape(1, -1))[0]
        found = []
        for band, keys in enumerate(self._keys):  # the method, once per band where nothing matches:
            key = q[band]  # np.searchsorted's wrapper, twice per band, was ~60 % of a query's CPU
            lo = keys.searchsorted(key, "left")
            if lo < len(keys) and keys[lo] == key:
                found.append(self._rows_of[band][lo : keys.searchsorted(key, "right")])
        if self._n > self._sorted_n:
            if self._keyed_n < self._n:
                new = self._band_keys(self._sig[self._keyed_n : self._n])
                self._tail_keys[self._keyed_n - self._sorted_n : self._n - self._sorted_n] = new
                self._keyed_n = self._n
            tail = self._tail_keys[: self._n - self._sorted_n]
            found.append(np.flatnonzero((tail == q).any(axis=1)) + self._sorted_n)
        if not found:
            return np.empty(0, np.int64)
        rows = np.unique(np.concatenate(found).astype(np.int64))
        return rows[self._alive[rows]]

    def _band_keys(self, sig: np.ndarray) -> np.ndarray:
        """(n, bands) uint64 keys: a band's values packed, equal iff the band's values are equal."""
        cols = sig[:, : self.bands * self.rows].astype(np.uint64).reshape(len(sig), self.bands, self.rows)
        if self.rows == 1:
            return cols[:, :, 0]
        return (cols[:, :, 0] << np.uint64(32)) | cols[:, :, 1]

    def _sort(self) -> None:
        """Merge the tail's keys into each band's sorted arrays (O(n) per band, not a re-sort)."""
        tail = self._band_keys(self._sig[self._sorted_n : self._n])
        for band in range(self.bands):
            order = np.argsort(tail[:, band], kind="stable")
            keys = tail[order, band]
            at = np.searchsorted(self._keys[band], keys, "right")
            self._keys[band] = np.insert(self._keys[band], at, keys)
            rows = (order + self._sorted_n).astype(np.int32)
            self._rows_of[band] = np.insert(self._rows_of[band], at, rows)
        self._sorted_n = self._keyed_n = self._n

    def _grow(self) -> None:
        cap = 2 * len(self._sig)
        self._sig = np.resize(self._sig, (cap, self.num_perm))
        self._size = np.resize(self._size, cap)
        alive = np.zeros(cap, dtype=bool)
        alive[: self._n] = self._alive[: self._n]
        self._alive = alive
