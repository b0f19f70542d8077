"""The table-level scorer on hand-made `deals` rows: each kind of wrong row is told apart."""

from __future__ import annotations

from datetime import date

from extractors.table_eval import (
    FRAGMENT,
    REVERSED,
    RIGHT,
    WRONG_PAIR,
    contradictions,
    gold_set_from_labels,
    score_table,
)

ALIASES = {"aws": "Amazon Web Services"}


def _label(aid: str, *deals: dict, is_deal: bool = True, syndicated_of: str | None = None) -> dict:
    return {"article_id": aid, "is_deal": is_deal, "syndicated_of": syndicated_of, "deals": list(deals)}


def _deal(key: str, provider: str, customer: str, main: bool = True, **facts) -> dict:
    return {
        "deal_key": key,
        "is_main": main,
        "provider": provider,
        "customer": customer,
        "deal_type": "compute",
        "facts": facts,
    }


GOLD = gold_set_from_labels(
    "hand",
    [
        _label(
            "a1",
            _deal(
                "halo--quill", "Halo Compute", "Quill AI", total_value=2.7e9, currency="USD", term_months=36
            ),
            _deal("halo--brisk", "Halo Compute", "Brisk Labs", main=False, total_value=4e8, currency="USD"),
        ),
        _label(
            "a2", _deal("halo--quill", "Halo Compute Inc.", "Quill AI", total_value=3.0e9, currency="USD")
        ),
        _label("a3", _deal("aws--ember", "Amazon Web Services", "Ember", currency="USD", monthly_fee=1e6)),
        _label("n1", is_deal=False),
        _label("n2", is_deal=False),
    ],
    ALIASES,
)


def _row(deal_id: str, provider: str | None, customer: str | None, **values) -> dict:
    return {"deal_id": deal_id, "provider": provider, "customer": customer, "deal_type": "compute", **values}


def test_a_perfect_table_is_all_right_and_finds_every_deal_main_and_passing() -> None:
    rows = [
        _row("d1", "Halo Compute", "Quill AI", total_value=2.7e9, currency="USD", term_months=36),
        _row("d2", "Halo Compute", "Brisk Labs", total_value=4e8, currency="USD"),
        _row("d3", "AWS", "Ember", currency="USD", monthly_fee=1e6),
    ]
    score = score_table(GOLD, rows, {"d1": {"a1", "a2"}, "d2": {"a1"}, "d3": {"a3"}})
    assert [r.verdict for r in score.rows] == [RIGHT, RIGHT, RIGHT]
    assert (score.deals_found, score.deals_total, score.main_found, score.deals_main) == (3, 3, 2, 2)
    assert score.field_right == score.field_support
    assert score.missed == []


def test_reversed_wrong_pair_and_fragment_are_counted_apart() -> None:
    rows = [
        _row("d1", "Quill AI", "Halo Compute"),  # reversed
        _row("d2", "Halo Compute", "Quill AI"),  # right (shares most articles)
        _row("d3", "Halo", "Quill AI"),  # a name cut short: no labeled pair
        _row("d4", "Halo Compute", "Quill AI"),  # second row of the same deal
        _row("d5", "Dana Whitcombe", "Quill AI"),  # a person as provider
    ]
    evidence = {"d1": {"a2"}, "d2": {"a1", "a2"}, "d3": {"a1"}, "d4": {"a2"}, "d5": {"a1"}}
    score = score_table(GOLD, rows, evidence)
    assert [r.verdict for r in score.rows] == [REVERSED, RIGHT, WRONG_PAIR, FRAGMENT, WRONG_PAIR]
    assert score.rows[0].deal_key == score.rows[3].deal_key == "halo--quill"
    assert score.deals_found == 1
    assert set(score.missed) == {"halo--brisk", "aws--ember"}


def test_the_right_row_is_the_one_sharing_most_articles_with_the_deal_whatever_the_order() -> None:
    rows = [_row("d9", "Halo Compute", "Quill AI"), _row("d1", "Halo Compute", "Quill AI")]
    score = score_table(GOLD, rows, {"d9": {"a1", "a2"}, "d1": {"a2"}})
    assert [r.verdict for r in score.rows] == [RIGHT, FRAGMENT]
    flipped = score_table(GOLD, rows[::-1], {"d9": {"a1", "a2"}, "d1": {"a2"}})
    assert [r.verdict for r in flipped.rows] == [FRAGMENT, RIGHT]


def test_a_field_is_right_when_it_agrees_with_any_article_and_wrong_or_missing_otherwise() -> None:
    rounded = score_table(GOLD, [_row("d1", "Halo Compute", "Quill AI", total_value=3.0e9)], {"d1": {"a1"}})
    assert rounded.fields["total_value"].right == 1
    other = score_table(GOLD, [_row("d1", "Halo Compute", "Quill AI", total_value=4e8)], {"d1": {"a1"}})
    assert other.fields["total_value"].wrong == 1  # the passing deal's value on the main deal
    empty = score_table(GOLD, [_row("d1", "Halo Compute", "Quill AI")], {"d1": {"a1"}})
    assert empty.fields["term_months"].missing == 1


def test_labeled_disagreements_count_as_flagged_only_with_a_conflict_on_that_field() -> None:
    rows = [_row("d1", "Halo Compute", "Quill AI", total_value=2.7e9)]
    unflagged = score_table(GOLD, rows, {"d1": {"a1", "a2"}})
    assert (unflagged.disagreements, unflagged.disagreements_flagged) == (1, 0)
    flagged = score_table(GOLD, rows, {"d1": {"a1", "a2"}}, [("d1", "total_value")])
    assert (flagged.disagreements_flagged, flagged.conflicts) == (1, 1)


def test_each_field_miss_and_unflagged_disagreement_is_listed_so_its_cause_can_be_traced() -> None:
    rows = [_row("d1", "Halo Compute", "Quill AI", total_value=4e8)]
    lines = score_table(GOLD, rows, {"d1": {"a1", "a2"}}).mismatches
    assert any(line.startswith("halo--quill total_value: 400000000.0") for line in lines)
    assert any("term_months: missing, stated ['36']" in line for line in lines)
    assert any("total_value: disagreement" in line and "not flagged" in line for line in lines)
    flagged = score_table(GOLD, rows, {"d1": {"a1", "a2"}}, [("d1", "total_value")]).mismatches
    assert not any("not flagged" in line for line in flagged)


def test_rows_from_negative_articles_only_are_counted() -> None:
    rows = [_row("d1", "Lattice Bay", "Series"), _row("d2", "Halo Compute", "Quill AI")]
    score = score_table(GOLD, rows, {"d1": {"n1"}, "d2": {"a1", "n2"}})
    assert [r.from_negatives for r in score.rows] == [True, False]
    assert (score.negatives_in_rows, score.negatives) == (2, 2)


def test_self_contradicting_rows() -> None:
    assert contradictions({"start_date": date(2027, 1, 1), "end_date": date(2026, 6, 30)})
    lease = {"start_date": date(2025, 10, 1), "end_date": date(2026, 6, 30), "term_months": 180}
    assert "months from end" in contradictions(lease)[0]
    fee = {"monthly_fee": 75e6, "term_months": 36, "total_value": 1.8e9}
    assert "x the total" in contradictions(fee)[0]


def test_consistent_rows_and_qualified_totals_are_not_contradictions() -> None:
    exact = {"start_date": "2026-10-01", "end_date": "2029-09-30", "term_months": 36}
    assert contradictions(exact) == []
    rounded = {"monthly_fee": 75e6, "term_months": 36, "total_value": 3e9, "total_value_qualifier": "about"}
    assert contradictions(rounded) == []
    options = {"monthly_fee": 50e6, "term_months": 36, "total_value": 2.7e9, "total_value_qualifier": "up to"}
    assert contradictions(options) == []
    assert contradictions({**options, "total_value_qualifier": None})


def test_a_tie_in_shared_articles_goes_to_the_better_sourced_row_in_any_order() -> None:
    rows = [
        _row("d1", "Halo Compute", "Quill AI", source_count=1),
        _row("d2", "Halo Compute", "Quill AI", source_count=2),
    ]
    evidence = {"d1": {"a1"}, "d2": {"a2"}}
    for ordered in (rows, rows[::-1]):
        verdicts = {r.deal_id: r.verdict for r in score_table(GOLD, ordered, evidence).rows}
        assert verdicts == {"d1": FRAGMENT, "d2": RIGHT}


def test_two_deals_of_one_pair_told_by_the_same_articles_go_to_the_rows_carrying_their_values() -> None:
    gold = gold_set_from_labels(
        "pair",
        [
            _label(
                "b1",
                _deal(
                    "bram--lant-2026", "Bram Compute", "Lant Speech", accelerator_count=2048, term_months=24
                ),
                _deal("bram--lant-2025", "Bram Compute", "Lant Speech", main=False, accelerator_count=1024),
            )
        ],
        {},
    )
    rows = [
        _row("d1", "Bram Compute", "Lant Speech", accelerator_count=2048, term_months=24),
        _row("d2", "Bram Compute", "Lant Speech", accelerator_count=1024),
    ]
    score = score_table(gold, rows, {"d1": {"b1"}, "d2": {"b1"}})
    assert {v.deal_id: v.deal_key for v in score.rows} == {"d1": "bram--lant-2026", "d2": "bram--lant-2025"}
    assert score.field_right == score.field_support
