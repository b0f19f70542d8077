"""The part of the database a change reaches (reconciliation/scope.py), case by case: reconciling
only that part, with last run's other deals kept, gives what a full reconcile gives.

Each case is last run's mentions and this run's new or changed ones (a changed mention keeps its
id); the harness does what storage/reconcile_db.py does with them, without the database.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciliation.candidates import backer_keys
from reconciliation.compat import ClaimCache
from reconciliation.content_order import record_order
from reconciliation.deal_row import restate
from reconciliation.direction import Directions
from reconciliation.grouping import MONEY_FIELDS, MentionRecord, generic_tokens, party_key
from reconciliation.reconcile import Context, PreviousState, reconcile
from reconciliation.scope import Light, Reacher, make_context, reach
from tests.reconcile_story import CUSTOMER, PROVIDER, core_facts, fact, money, record, story


def _light(r: MentionRecord) -> Light:
    m, claims = r.mention, ClaimCache()
    money = frozenset((f.field, claims(f.field, f).key) for f in m.facts if f.field in MONEY_FIELDS)
    return Light(m.mention_id, m.article_id, m.provider, m.customer, money)


def _names(records: list[MentionRecord]) -> list[str | None]:
    return [n for r in records for n in (r.mention.provider, r.mention.customer)]


def _canon(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def incremental(old: list[MentionRecord], new: list[MentionRecord]) -> tuple[dict, int]:
    """This run's tables from last run's result and the part of the mentions the change reaches;
    and how many mentions that part holds."""
    before = reconcile(old)
    by_id = {r.mention.mention_id: r for r in old}
    now = {**by_id, **{r.mention.mention_id: r for r in new}}
    everything = list(now.values())
    generic = generic_tokens(_names(everything))
    assert generic == generic_tokens(_names(old))  # else the database would reconcile in full
    changed = [_light(r) for r in new]
    changed += [_light(by_id[r.mention.mention_id]) for r in new if r.mention.mention_id in by_id]
    backers = _backers(everything)
    found = reach([_light(r) for r in everything], changed, generic, backers ^ _backers(old))
    ids = found.scope
    # in content order, as storage/reconcile_db.py passes them
    voters = [
        (r.source_key, r.mention)
        for r in sorted(everything, key=record_order)
        if r.mention.mention_id in found.context
    ]
    mains = [r.mention for r in everything if r.mention.is_main]
    articles = {r.mention.article_id for r in everything if r.mention.mention_id in ids}
    spans_of = [m for m in mains if m.article_id in articles]
    context = make_context(voters, mains, spans_of, found.companies, frozenset(backers))
    part = reconcile(
        [r for r in everything if r.mention.mention_id in ids],
        PreviousState(inputs=before.inputs),
        generic,
        context,
    )
    replaced = {before.assignments[m] for m in ids if m in before.assignments}
    stands = {d for d in {*before.assignments.values()} if d not in replaced} | part.kept
    # a restated deal's stored row with its direction vote as it reads now (storage/reconcile_db.py)
    restated = [
        restate(r, r["provider"], r["customer"], part.directions) if r["deal_id"] in part.restated else r
        for r in before.deals
    ]
    tables = {
        kind: _canon([r for r in rows if r["deal_id"] in stands] + getattr(part, kind))
        for kind, rows in (
            ("deals", restated),
            ("conflicts", before.conflicts),
            ("evidence", before.evidence),
        )
    }
    return tables, len(ids)


def _backers(records: list[MentionRecord]) -> set[str]:
    return backer_keys(f for r in records for f in r.mention.facts)


def _full(records: list[MentionRecord]) -> dict:
    whole = reconcile(records)
    return {kind: _canon(getattr(whole, kind)) for kind in ("deals", "conflicts", "evidence")}


def _other_deal(article: str, provider: str, customer: str, publisher: str = "Signal Ridge") -> MentionRecord:
    return record(
        article, [money("total_value", 2e9, "$2 billion")], publisher, provider=provider, customer=customer
    )


#: Deals of other companies that no case touches: they must stand, and stay out of the part.
BYSTANDERS = [
    _other_deal("z1", "Tallow Grid", "Marrow Labs"),
    _other_deal("z2", "Fennick Cloud", "Osprey Bio"),
]


def _respelled() -> list[MentionRecord]:
    """Both names spelled otherwise ("Orbital Forge Cloud", "Lumen Lattice"): the same deal."""
    return [record("r1", core_facts(), "Harbor Wire", provider=PROVIDER + " Cloud", customer="Lumen Lattice")]


def _reversed() -> list[MentionRecord]:
    """Two outlets state the pair the other way round: the direction vote moves."""
    return [
        record(f"v{i}", core_facts(), f"Outlet {i}", provider=CUSTOMER, customer=PROVIDER, source_key=f"v{i}")
        for i in range(6)
    ]


def _lean() -> list[MentionRecord]:
    """A new pair of one of the companies: its role elsewhere is part of every vote it is in."""
    return [
        _other_deal("l1", "Quarry Metal", PROVIDER),
        _other_deal("l2", "Quarry Metal", PROVIDER, "Other Wire"),
    ]


def _partial() -> list[MentionRecord]:
    """Only one party named: it joins the one deal it fits."""
    return [
        record("p1", [money("monthly_fee", 150e6, "$150 million a month")], "Pinewood Post", customer=None)
    ]


def _main_changed() -> list[MentionRecord]:
    """An article re-read: its main deal's values moved; its passing deal's mention is unchanged
    but the values the main deal owns are not the passing deal's any more."""
    main = story()[0]
    return [replace(main, mention=replace(main.mention, facts=core_facts(5e9, "$5 billion")))]


def _with_passing() -> list[MentionRecord]:
    first = story()[0]
    passing = record(
        first.mention.article_id,
        [money("total_value", 6.3e9, "$6.3 billion")],
        first.publisher,
        provider="Tallow Grid",
        customer="Marrow Labs",
        is_main=False,
        index=1,
    )
    return [*story(), passing, *BYSTANDERS]


def _bank_deal() -> list[MentionRecord]:
    """A bank its own article names the buyer in a role frame: a customer of compute."""
    bank = "Harlow Bank"
    facts = [money("total_value", 4e8, "$400 million"), fact("customer", bank, bank, confidence=0.9)]
    facts.append(fact("provider", "Quenby Compute", "Quenby Compute", confidence=0.9))
    return [record("k1", facts, "Ledger Post", provider="Quenby Compute", customer=bank)]


def _bank_backs() -> list[MentionRecord]:
    """An article on other companies names the bank as a backer: it is not a buyer anywhere now."""
    facts = [money("total_value", 2e9, "$2 billion"), fact("related_party", "Harlow Bank", role="backer")]
    return [record("k2", facts, "Other Wire", provider="Pellam Cloud", customer="Osric Labs")]


CASES = {
    "respelled names": (lambda: [*story(), *BYSTANDERS], _respelled),
    "direction vote moves": (lambda: [*story(), *BYSTANDERS], _reversed),
    "a company's role elsewhere": (lambda: [*story(), *BYSTANDERS], _lean),
    "one party named": (lambda: [*story(), *BYSTANDERS], _partial),
    "an article's main deal changes": (_with_passing, _main_changed),
    "a party named a backer elsewhere": (lambda: [*story(), *_bank_deal()], _bank_backs),
    "an unrelated deal": (lambda: [*story(), BYSTANDERS[0]], lambda: [BYSTANDERS[1]]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_reconciling_the_part_a_change_reaches_gives_the_full_tables(case: str) -> None:
    old_of, new_of = CASES[case]
    old, new = old_of(), new_of()
    tables, size = incremental(old, new)
    everything = list({r.mention.mention_id: r for r in [*old, *new]}.values())
    assert tables == _full(everything)
    assert size < len(everything)  # the bystanders stand: it is not a full reconcile in disguise


#: A small world where every link matters: respellings, shared parties, one-party mentions,
#: passing deals in one article, both directions, repeated money figures, months apart.
NAMES = [
    "Orbital Forge",
    "Orbital Forge Cloud",
    "Lumen Lattice",
    "Lumen Lattice AI",
    "Cobalt Reach",
    "Tallow Grid",
]
TOTALS = [(2e9, "$2 billion"), (6.3e9, "$6.3 billion"), (5e9, "$5 billion")]
DATES = ["2026-03-10", "2026-03-20", "2026-09-01"]

mention_st = st.tuples(
    st.sampled_from([*NAMES, None]),
    st.sampled_from(NAMES),
    st.sampled_from(TOTALS),
    st.sampled_from([0.5, 0.7, 0.9]),
    st.booleans(),
)
article_st = st.tuples(st.sampled_from(DATES), st.lists(mention_st, min_size=1, max_size=3))


def _world(articles: list) -> list[MentionRecord]:
    out = []
    for k, (published, mentions) in enumerate(articles):
        for i, (provider, customer, (total, shown), confidence, flip) in enumerate(mentions):
            if flip and provider:
                provider, customer = customer, provider
            facts = [money("total_value", total, shown)]
            facts += [
                fact(role, name, name, confidence=confidence)
                for role, name in (("provider", provider), ("customer", customer))
                if name
            ]
            out.append(
                record(
                    f"w{k}", facts, f"Outlet {k % 4}", published, provider, customer, is_main=i == 0, index=i
                )
            )
    return out


@settings(max_examples=100, deadline=None)
@given(st.lists(article_st, min_size=2, max_size=14), st.data())
def test_any_world_split_anywhere_gives_the_full_tables(articles: list, data: st.DataObject) -> None:
    records = _world(articles)
    ids = sorted({r.mention.article_id for r in records})
    new_articles = set(data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)))
    old = [r for r in records if r.mention.article_id not in new_articles]
    new = [r for r in records if r.mention.article_id in new_articles]
    tables, _ = incremental(old, new)
    assert tables == _full(old + new)


def test_a_short_name_known_through_its_longer_form_elsewhere_gives_the_full_tables() -> None:
    """The world the property test found before incr3: "Orbital Forge" is known because an old
    article names "Orbital Forge Cloud"; splitting off that article as new must not change how the
    short name is judged (it did: the incremental run judged it unknown)."""
    two_billion = (2e9, "$2 billion")
    articles = [
        (
            "2026-03-10",
            [
                ("Lumen Lattice", "Lumen Lattice", two_billion, 0.5, False),
                ("Orbital Forge", "Orbital Forge", two_billion, 0.5, False),
                ("Orbital Forge", "Orbital Forge", two_billion, 0.5, False),
            ],
        ),
        (
            "2026-03-10",
            [
                ("Orbital Forge Cloud", "Orbital Forge Cloud", two_billion, 0.5, False),
                ("Orbital Forge", "Orbital Forge", two_billion, 0.5, False),
            ],
        ),
        (
            "2026-03-10",
            [
                ("Lumen Lattice", "Lumen Lattice", two_billion, 0.5, False),
                ("Orbital Forge", "Lumen Lattice", two_billion, 0.7, False),
            ],
        ),
    ]
    records = _world(articles)
    old = [r for r in records if r.mention.article_id != "w1"]
    new = [r for r in records if r.mention.article_id == "w1"]
    tables, _ = incremental(old, new)
    assert tables == _full(old + new)


def _nudged(directions: Directions) -> Directions:
    """The same votes with every prior moved in a digit no row shows (as a company's new mention
    elsewhere moves it)."""
    pairs = {}
    for key, vote in directions.pairs.items():
        shown = round(vote.prior, 2)
        step = 0.001 if vote.prior > 0 else -0.001 if vote.prior < 0 else 0.0
        pairs[key] = replace(vote, prior=shown + step)
    return Directions(dict(directions.flipped), pairs)


def test_a_prior_that_moves_unseen_keeps_the_deal_and_its_rows_are_the_rebuilt_ones() -> None:
    records = [*story(), *_lean(), *BYSTANDERS]
    voters = [(r.source_key, r.mention) for r in sorted(records, key=record_order)]
    mains = [r.mention for r in records if r.mention.is_main]
    context = make_context(voters, mains, mains, {k for r in records for k in _keys(r)})
    first = reconcile(records, None, None, context)
    nudged = Context(_nudged(context.directions), context.land)
    assert any(
        a.prior != b.prior
        for a, b in zip(context.directions.pairs.values(), nudged.directions.pairs.values(), strict=True)
    )
    rebuilt = reconcile(records, None, None, nudged)
    kept = reconcile(records, PreviousState(inputs=first.inputs), None, nudged)
    # what the build reads of the votes did not move: every deal keeps its rows, and they are
    # exactly what building it again under the moved priors gives
    assert kept.kept == set(first.inputs) and not kept.deals
    for kind in ("deals", "conflicts", "evidence"):
        assert _canon(getattr(rebuilt, kind)) == _canon(getattr(first, kind))
    # a prior that moves where a row shows it rebuilds the deals of its pair
    shown = Directions(
        context.directions.flipped,
        {k: replace(v, prior=v.prior + 0.5) for k, v in context.directions.pairs.items()},
    )
    moved = reconcile(records, PreviousState(inputs=first.inputs), None, Context(shown, context.land))
    assert moved.deals and {d["deal_id"] for d in moved.deals} <= set(first.inputs)


def _keys(r: MentionRecord) -> set[str]:
    return {k for k in (party_key(r.mention.provider), party_key(r.mention.customer)) if k}


def test_a_reach_grown_with_more_changes_is_a_fresh_reach_of_them() -> None:
    """The plan grows a reach as replaced deals add their mentions (storage/reconcile_plan.py): what
    it finds, walking only beyond what it found before, is what a graph built for the whole list of
    changes finds. A new mention linked to an old deal only through a name spelled alike
    reaches it; a gone mention (its old version among the changes) is never in the part, the other
    mention of its pair is; deals of other companies stand until a change reaches them."""
    fee = frozenset({("total_value", "2e9")})
    lights = [
        Light("m1", "a1", "Acme Forge", "Beta Labs", fee),
        Light("m2", "a2", "Acme Forge", "Beta Labs"),
        Light("g2", "a6", "Quarry Metal", "Osprey Bio"),
        Light("b1", "a7", "Tallow Grid", "Marrow Labs", fee),
        Light("b2", "a8", "Fennick Cloud", None),
        Light("n1", "a9", "Acme Forge Systems", "Beta Labs"),  # new: "Acme Forge" spelled alike
    ]
    gone = Light("g1", "a5", "Quarry Metal", "Osprey Bio")  # as it was; no longer stored
    first = [lights[-1], gone]
    more = [*first, lights[3]]  # a replaced deal's mention, added by the plan's second round
    generic = generic_tokens(n for m in lights for n in (m.provider, m.customer))
    reacher = Reacher(lights, generic)
    once = reacher.reach(first)
    again = reacher.grow(more[len(first) :])
    fresh = reach(lights, more, generic)
    assert (again.scope, again.context, again.companies) == (fresh.scope, fresh.context, fresh.companies)
    assert {"n1", "m1", "m2", "g2"} <= once.scope
    assert not {"b1", "b2"} & once.scope
    assert "g1" not in again.scope | again.context
    assert "b1" in again.scope and "b2" not in again.scope
