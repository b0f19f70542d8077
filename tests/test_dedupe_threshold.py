"""The near-duplicate threshold, measured on the project's corpus and checked on the seeds.

Syndicated copies marked in fixtures/corpus (``syndicated_of``) must be found; articles about
the same deal from different outlets (same ``deal_key``) and the five seed outlets must not be.
This is the gate that fails if a change to shingling or the threshold breaks that separation.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from extractors.dedupe import body_of, estimate, find_duplicates, minhash_of

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"


def load_corpus() -> tuple[dict[str, str], dict[str, dict]]:
    texts, gold = {}, {}
    for txt in sorted(CORPUS.glob("*.txt")):
        label = txt.with_suffix(".json")
        if label.exists():
            texts[txt.stem] = txt.read_text(encoding="utf-8")
            gold[txt.stem] = json.loads(label.read_text(encoding="utf-8"))
    return texts, gold


def test_corpus_syndicated_copies_found_and_nothing_else() -> None:
    texts, gold = load_corpus()
    expected = {k: g["syndicated_of"] for k, g in gold.items() if g.get("syndicated_of")}
    if not expected:
        pytest.skip("fixtures/corpus has no syndicated copies yet")
    found = find_duplicates(list(texts.items()))  # corpus numbering is publication order
    assert found == expected


def test_same_deal_different_outlets_are_far_below_threshold() -> None:
    texts, gold = load_corpus()
    hashes = {k: minhash_of(body_of(t)) for k, t in texts.items()}
    keys = {k: {d["deal_key"] for d in g.get("deals", [])} for k, g in gold.items()}
    same_deal = []
    for a, b in itertools.combinations(texts, 2):
        synd = gold[a].get("syndicated_of") == b or gold[b].get("syndicated_of") == a
        if synd or not (keys[a] & keys[b]) or hashes[a] is None or hashes[b] is None:
            continue
        same_deal.append(estimate(hashes[a], hashes[b]))
    if not same_deal:
        pytest.skip("fixtures/corpus has no same-deal pairs yet")
    print(f"same-deal pairs: {len(same_deal)}, max Jaccard {max(j for j, _ in same_deal):.3f}, "
          f"max containment {max(c for _, c in same_deal):.3f}")  # fmt: skip
    assert max(j for j, _ in same_deal) < 0.2
    assert max(c for _, c in same_deal) < 0.4


def test_five_seed_outlets_are_not_duplicates_of_each_other(seeds_dir: Path) -> None:
    seeds = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]
    assert len(seeds) >= 2
    assert find_duplicates(seeds) == {}
