"""Which deals a run must build again: a fingerprint of everything a deal's rows are made from.

A deal's row, conflicts and evidence are a pure function of its group (id, related id, member
mentions in their voted direction, with their facts and sources), its pair's direction vote, what
the landscape says about its parties (known companies, chains, values the article's main deal
owns) and the reconciliation code itself. A run fingerprints each deal's inputs and builds only
the deals whose fingerprint is new; every other deal keeps its stored rows, which a full build
would make identical. New or changed mentions touch their group, a merge or split changes the
group's members, a direction vote that moves changes what its deals show of it (``PairVote.as_built``) or the flipped mentions, and a
changed rule changes the code hash: each changes the fingerprint, so nothing stale is kept.

The fingerprint has two parts: everything above but the priors of the deal's pairs as their
direction texts print them, and those priors. A deal whose first part is as stored but whose
priors moved is *restated*: its row differs from the stored one only in its direction text
(``deal_row.direction_detail``), which is written again without building the deal (at 10,000
articles, 36 of the 50 deals 100 new articles touched: a new article of a company moves the prior
of each of its pairs).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from extractors.version import extractor_version
from reconciliation.candidates import Landscape
from reconciliation.candidates import _known as known
from reconciliation.direction import Directions
from reconciliation.grouping import Episode, MentionRecord, party_key

PACKAGE = Path(__file__).parent
#: How conflict values are encoded (storage.encoding.json_value) is part of a conflict row too.
ENCODING = PACKAGE.parent / "storage" / "encoding.py"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the reconciliation code and its data, and of the extractors (company kinds and
    the gazetteers the judgement reads): a new release rebuilds every deal."""
    h = hashlib.blake2b(digest_size=16)
    files = [p for p in PACKAGE.iterdir() if p.suffix in (".py", ".toml")]
    for path in sorted(files) + [ENCODING]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(extractor_version().encode())
    return h.hexdigest()


#: Between the fingerprint's two parts (see the module docstring).
SEPARATOR = ":"


def deal_inputs(ep: Episode, records: list[MentionRecord], directions: Directions, land: Landscape) -> str:
    """The fingerprint of one deal's inputs, in two parts (see the module docstring)."""
    h = hashlib.blake2b(digest_size=20)
    priors = hashlib.blake2b(digest_size=8)

    def put(value: object) -> None:
        h.update(repr(value).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")

    put((code_version(), ep.deal_id, ep.related_deal_id, ep.key))
    providers: set[str | None] = {None}
    customers: set[str | None] = {None}
    for i in ep.members:
        rec = records[i]
        m = rec.mention
        # the record as stored (its digest), or every field of it, its mention and its facts; and
        # the direction it is read in
        put(rec.digest or rec)
        put((m.provider, m.customer))
        put(directions.flipped.get(m.mention_id))
        if not m.is_main:
            put([land.owned_by_main(m.article_id, f) for f in m.facts])
        providers.add(m.provider)
        customers.add(m.customer)
    names = sorted(n for n in providers | customers if n)
    # as the judgement reads each name (reconciliation/candidates.py): known, or the short form of
    # a known name; named as a backer anywhere
    put([(n, party_key(n) in land.known, known(n, land), party_key(n) in land.backers) for n in names])
    for p in sorted(providers, key=str):
        for c in sorted(customers, key=str):
            vote = directions.pair_of(p, c)
            put((p, c, vote and vote.as_built(), land.via(p, c) if p and c else None))
            priors.update(f"{vote and vote.prior_text()}\x1f".encode())
    return h.hexdigest() + SEPARATOR + priors.hexdigest()


def unchanged(deal_id: str | None, inputs: str, previous: dict[str, str]) -> bool:
    """The deal was built last time from exactly these inputs, so its stored rows stand."""
    return bool(deal_id) and previous.get(deal_id or "") == inputs


def restated(deal_id: str | None, inputs: str, previous: dict[str, str]) -> bool:
    """The deal was built last time from these inputs but for its pairs' priors: its stored rows
    stand, all but its direction text (see the module docstring)."""
    stored = previous.get(deal_id or "")
    return bool(deal_id and stored) and stored.partition(SEPARATOR)[0] == inputs.partition(SEPARATOR)[0]
