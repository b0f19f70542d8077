"""Reconciliation on hand-built mentions: one deal per agreement, conflicts explained, ids stable."""

from __future__ import annotations

from datetime import date

from reconciliation.reconcile import PreviousState, reconcile
from tests.reconcile_story import core_facts, day, fact, money, record, story


def only_deal(result):
    assert len(result.deals) == 1, [d["deal_id"] for d in result.deals]
    return result.deals[0]


def test_five_articles_make_one_deal_with_resolved_values():
    deal = only_deal(reconcile(story()))
    assert deal["provider"] == "Orbital Forge" and deal["customer"] == "Lumen Lattice AI"
    assert deal["monthly_fee"] == 150e6
    assert deal["total_value"] == 6.3e9
    assert deal["currency"] == "USD"
    assert deal["start_date"] == date(2026, 7, 1) and deal["start_precision"] == "day"
    assert deal["end_date"] == date(2029, 12, 31)
    assert deal["term_months"] == 42 and deal["term_source"] == "derived"
    assert deal["hardware"] == ["Nvidia GB300"]
    assert deal["termination_notice_days"] == 90
    assert deal["termination_lockin_months"] == 3
    assert deal["source_count"] == 5 and deal["article_count"] == 5
    assert deal["announced_on"] == date(2026, 3, 10)


def test_rounded_headline_is_a_minor_conflict_and_termination_terms_are_not():
    result = reconcile(story())
    assert [c["field"] for c in result.conflicts] == ["total_value"]
    c = result.conflicts[0]
    assert c["severity"] == "minor"
    assert "$6B" in c["explanation"] and "$6.3B" in c["explanation"] and "Pinewood Post" in c["explanation"]
    displays = {v["display"]: v["article_ids"] for v in c["values"]}
    assert displays == {"$6.3B": ["a1", "a2", "a3", "a4"], "$6B": ["a5"]}
    assert result.deals[0]["conflict_count"] == 1


def test_wrong_total_is_a_conflict_explained_by_the_term_it_implies():
    result = reconcile(story(variant_total=5.4e9))
    (c,) = result.conflicts
    assert c["severity"] == "conflict"
    assert "$150M/month × 42 months (Jul 2026 – Dec 2029) = $6.3B" in c["explanation"]
    assert "the $5.4B figure (Pinewood Post) matches 36 months" in c["explanation"]
    assert result.deals[0]["total_value"] == 6.3e9


def test_evidence_marks_which_facts_support_the_resolved_value():
    result = reconcile(story())
    totals = {(e["article_id"], e["used"]) for e in result.evidence if e["field"] == "total_value"}
    assert ("a5", False) in totals and ("a1", True) in totals
    ev = next(e for e in result.evidence if e["article_id"] == "a2" and e["field"] == "monthly_fee")
    assert (
        ev["url"].endswith("/a2") and ev["publisher"] == "Circuit Ledger" and ev["value"] == "$150M a month"
    )


def test_syndicated_copies_count_once():
    copies = [record(f"s{i}", core_facts(), f"Partner {i}", source_key="a1") for i in range(3)]
    deal = only_deal(reconcile(story() + copies))
    assert deal["article_count"] == 8
    assert deal["source_count"] == 5


def test_one_article_stating_two_totals_is_not_two_sources_disagreeing():
    rec = record(
        "x1", [money("total_value", 6.3e9, "$6.3B"), money("total_value", 4.1e9, "$4.1B")], "Harbor Wire"
    )
    other = record("x2", [money("total_value", 6.3e9, "$6.3B")], "Quarry Daily")
    result = reconcile([rec, other])
    assert all(c["severity"] == "minor" for c in result.conflicts)


def test_rerun_keeps_deal_ids_and_acknowledgement():
    first = reconcile(story())
    cid = first.conflicts[0]["conflict_id"]
    prev = PreviousState(first.assignments, {cid: ("acknowledged", first.conflicts[0]["values_hash"])})
    second = reconcile(story(), prev)
    assert second.assignments == first.assignments
    assert second.conflicts[0]["conflict_id"] == cid
    assert second.conflicts[0]["status"] == "acknowledged"


def test_acknowledgement_reopens_when_the_values_change():
    first = reconcile(story())
    c = first.conflicts[0]
    prev = PreviousState(first.assignments, {c["conflict_id"]: ("acknowledged", c["values_hash"])})
    changed = reconcile(story(variant_total=5.4e9), prev)
    assert changed.conflicts[0]["conflict_id"] == c["conflict_id"]
    assert changed.conflicts[0]["status"] == "open"


def test_new_earlier_article_does_not_renumber_the_deal():
    first = reconcile(story())
    deal_id = first.deals[0]["deal_id"]
    early = record("a0", core_facts(), "Early Bird", published="2026-03-01")
    second = reconcile([early] + story(), PreviousState(first.assignments, {}))
    assert only_deal(second)["deal_id"] == deal_id
    assert second.assignments["a0#0"] == deal_id


def test_expansion_months_later_is_a_separate_related_deal():
    expansion = record(
        "e1",
        [
            money(
                "total_value",
                2.1e9,
                "$2.1 billion",
                sentence="Lumen Lattice will expand its deal with Orbital Forge.",
            ),
            day("start_date", "2027-10-01", "October 2027", "month"),
            fact("hardware", "Nvidia Vera Rubin", "Vera Rubin systems"),
        ],
        "Harbor Wire",
        published="2026-11-20",
    )
    result = reconcile(story() + [expansion])
    assert len(result.deals) == 2
    by_id = {d["deal_id"]: d for d in result.deals}
    new = by_id[result.assignments["e1#0"]]
    old = by_id[result.assignments["a1#0"]]
    assert new["related_deal_id"] == old["deal_id"] and old["related_deal_id"] is None
    assert new["total_value"] == 2.1e9 and old["total_value"] == 6.3e9
    assert not any(c["deal_id"] == old["deal_id"] and c["severity"] == "conflict" for c in result.conflicts)


def test_recap_months_later_with_the_same_figures_stays_in_the_deal():
    recap = record("r1", core_facts(), "Quarry Daily", published="2026-09-01")
    result = reconcile(story() + [recap])
    assert len(result.deals) == 1


def test_deal_in_passing_joins_its_own_deal_not_the_articles_main_one():
    other = "Cobalt Reach"
    passing = record(
        "a3",
        [money("total_value", 30e9, "$30 billion", qualifier="about")],
        "Quarry Daily",
        customer=other,
        is_main=False,
        index=1,
    )
    own = record(
        "b1",
        [money("total_value", 30e9, "$30 billion")],
        "Signal Ridge",
        customer=other,
        published="2025-12-01",
    )
    result = reconcile(story() + [passing, own])
    assert result.assignments["a3#1"] == result.assignments["b1#0"] != result.assignments["a3#0"]
    cobalt = next(d for d in result.deals if d["customer"] == other)
    assert cobalt["total_value"] == 30e9 and cobalt["source_count"] == 2


def test_mention_missing_a_party_joins_the_unique_deal_it_fits():
    partial = record(
        "p1", [money("monthly_fee", 150e6, "$150 million a month")], "Pinewood Post", customer=None
    )
    result = reconcile(story() + [partial])
    assert result.assignments["p1#0"] == result.assignments["a1#0"]
    assert only_deal(result)["article_count"] == 6


def expansion_record(article_id="e1", published="2026-11-20", index=0):
    return record(
        article_id,
        [
            money(
                "total_value",
                2.1e9,
                "$2.1 billion",
                sentence="Lumen Lattice adds capacity in an expanded deal.",
            ),
            day("start_date", "2027-10-01", "October 2027", "month"),
        ],
        "Harbor Wire",
        published=published,
        index=index,
    )


def test_article_telling_the_expansion_and_the_original_in_passing_feeds_both_deals():
    recap = record("e1", core_facts(), "Harbor Wire", published="2026-11-20", is_main=False, index=1)
    result = reconcile(story() + [expansion_record(), recap])
    assert len(result.deals) == 2
    assert result.assignments["e1#1"] == result.assignments["a1#0"] != result.assignments["e1#0"]


def test_rerun_after_an_expansion_keeps_both_ids_and_the_relation():
    first = reconcile(story() + [expansion_record()])
    again = reconcile(story() + [expansion_record()], PreviousState(first.assignments, {}))
    assert again.assignments == first.assignments
    rel = {d["deal_id"]: d["related_deal_id"] for d in again.deals}
    assert rel == {d["deal_id"]: d["related_deal_id"] for d in first.deals}


def test_partial_mention_that_fits_two_deals_joins_neither():
    partial = record("p1", [], "Pinewood Post", customer=None)
    result = reconcile(story() + [expansion_record(), partial])
    assert result.assignments["p1#0"] not in {result.assignments["a1#0"], result.assignments["e1#0"]}
    assert len(result.deals) == 3


def test_bad_input_never_raises():
    weird = record("w1", [], "Odd Outlet", provider=None, customer=None)
    weird.published_at = None
    weird.fetched_at = None
    junk_facts = [
        fact("total_value", "lots", "lots"),
        fact("start_date", "someday", "someday", precision="fortnight", interval=[1, 2]),
        fact("hardware", None, ""),
        fact("term_months", float("nan"), "nan"),
        fact("monthly_fee", -5, "-5", period="eon", stated_amount="x"),
    ]
    junk = record("w2", junk_facts, "Odd Outlet")
    result = reconcile([None, weird, junk, "not a record", *story()])  # type: ignore[list-item]
    assert "w1#0" not in result.assignments  # names neither party
    assert result.assignments["w2#0"] in {d["deal_id"] for d in result.deals}
    assert reconcile([]).deals == [] and reconcile(None).deals == []  # type: ignore[arg-type]


def test_reconciling_thousands_of_mentions_is_fast():
    import time

    records = []
    for d in range(400):
        for k in range(5):
            records.append(
                record(
                    f"m{d}_{k}", core_facts(6e9 if k == 0 else 6.3e9), f"Outlet {k}", customer=f"Buyer {d}"
                )
            )
    start = time.process_time()
    result = reconcile(records)
    elapsed = time.process_time() - start
    assert len(result.deals) == 400 and len(result.conflicts) == 400
    assert elapsed < 3.0, f"{len(records)} mentions took {elapsed:.2f}s CPU"


def test_an_outlet_rounding_its_own_figure_in_the_headline_is_a_minor_conflict():
    """Readers of that headline were told $6B: analysts see it, as minor (issues 2 and 5)."""
    own = record(
        "h1", [money("total_value", 6e9, "$6B"), money("total_value", 6.3e9, "$6.3B")], "Harbor Wire"
    )
    copy = record("h2", [money("total_value", 6e9, "$6B")], "Partner Site", source_key="h1")
    other = record("h3", [money("total_value", 6.3e9, "$6.3 billion")], "Quarry Daily")
    result = reconcile([own, copy, other])
    assert [(c["field"], c["severity"]) for c in result.conflicts] == [("total_value", "minor")]
    assert "Harbor Wire" in result.conflicts[0]["explanation"]
    assert result.deals[0]["total_value"] == 6.3e9


def test_last_runs_assignments_do_not_decide_todays_deals():
    # Was: "last run's deal is never split". That made the table depend on the order articles
    # arrived in (issue 10, part 4); deals are now a function of the mentions alone.
    fresh = reconcile(story() + [expansion_record()])
    assert len(fresh.deals) == 2
    merged = {m: "d_kept" for m in fresh.assignments}  # an earlier run had them as one deal
    again = reconcile(story() + [expansion_record()], PreviousState(merged, {}))
    assert again.assignments == fresh.assignments
    assert [d["deal_id"] for d in again.deals] == [d["deal_id"] for d in fresh.deals]


def test_mention_whose_parties_changed_on_reprocessing_leaves_its_old_deal():
    first = reconcile(story())
    moved = story()
    moved[4].mention.customer = "Cobalt Reach"
    again = reconcile(moved, PreviousState(first.assignments, {}))
    assert again.assignments["a1#0"] == first.assignments["a1#0"]
    assert again.assignments["a5#0"] != first.assignments["a5#0"]


def test_a_tie_between_single_sources_goes_to_the_first_report_and_is_flagged():
    late = record(
        "n1", [fact("termination_notice_days", 60, "60 days")], "Quarry Daily", published="2026-03-12"
    )
    early = record(
        "n2", [fact("termination_notice_days", 90, "90 days")], "Harbor Wire", published="2026-03-10"
    )
    result = reconcile([late, early])
    assert result.deals[0]["termination_notice_days"] == 90
    (c,) = result.conflicts
    assert c["severity"] == "conflict" and "Quarry Daily says 60 days" in c["explanation"]


def test_hedged_wordings_of_the_same_total_agree_keep_their_hedge_and_the_rounded_one_is_still_minor():
    records = story()
    hedges = {"a2": ("roughly", "about"), "a3": ("up to", "up to"), "a4": ("approximately", "about")}
    for rec in records:
        if rec.mention.article_id in hedges:
            word, qualifier = hedges[rec.mention.article_id]
            rec.mention.facts = [f for f in rec.mention.facts if f.field != "total_value"]
            rec.mention.facts.append(money("total_value", 6.3e9, f"{word} $6.3 billion", qualifier=qualifier))
    result = reconcile(records)
    deal = only_deal(result)
    # two outlets say "roughly/approximately $6.3B", one "up to": the most widely stated hedge stays
    assert deal["total_value"] == 6.3e9 and deal["total_value_qualifier"] == "about"
    assert [(c["field"], c["severity"]) for c in result.conflicts] == [("total_value", "minor")]


def test_short_and_full_forms_of_a_party_name_are_one_deal():
    short = record(
        "f1", [money("monthly_fee", 150e6, "$150M a month")], "Pinewood Post", customer="Lumen Lattice"
    )
    result = reconcile(story() + [short])
    assert result.assignments["f1#0"] == result.assignments["a1#0"]
    assert only_deal(result)["customer"] == "Lumen Lattice AI"  # the most common spelling
    other = record("f2", [], "Pinewood Post", customer="Lumen Harbor")
    assert reconcile(story() + [other]).assignments["f2#0"] != result.assignments["a1#0"]


def test_the_same_mentions_in_any_order_give_the_same_deals_and_ids():
    records = story() + [expansion_record()]
    forward = reconcile(records)
    backward = reconcile(list(reversed(records)))
    assert forward.assignments == backward.assignments
    assert sorted(map(str, forward.deals)) == sorted(map(str, backward.deals))
    assert sorted(c["conflict_id"] for c in forward.conflicts) == sorted(
        c["conflict_id"] for c in backward.conflicts
    )


def test_an_old_deal_known_without_figures_is_not_swallowed_by_a_later_expansion():
    sparse = record("o1", [], "Quarry Daily", published="2026-03-10")
    expansions = [expansion_record(f"e{k}") for k in range(1, 4)]
    result = reconcile([sparse, *expansions])
    assert result.assignments["o1#0"] != result.assignments["e1#0"]
    assert result.assignments["e1#0"] == result.assignments["e3#0"]


def test_malformed_facts_are_skipped_without_touching_the_callers_records():
    rec = record("z1", core_facts(), "Harbor Wire")
    rec.mention.facts.append("not a fact")  # type: ignore[arg-type]
    result = reconcile([rec])
    assert only_deal(result)["total_value"] == 6.3e9
    assert rec.mention.facts[-1] == "not a fact"


def test_a_mention_naming_neither_party_makes_no_deal():
    nameless = record(
        "n1", [money("total_value", 2e9, "$2B")], "Somewhere Daily", provider=None, customer=None
    )
    result = reconcile([*story(), nameless])
    assert len(result.deals) == 1
    assert "n1#0" not in result.assignments


def test_a_bound_naming_another_figure_is_a_minor_conflict_and_the_firm_figure_is_shown():
    firm = record("b1", [money("total_value", 8.6e8, "$860 million")], "Harbor Wire")
    bound = record(
        "b2", [money("total_value", 9.0e8, "up to $900 million", qualifier="up to")], "Quarry Daily"
    )
    result = reconcile([firm, bound])
    deal = only_deal(result)
    assert deal["total_value"] == 8.6e8 and deal["total_value_qualifier"] is None
    (c,) = result.conflicts
    assert (c["field"], c["severity"]) == ("total_value", "minor")
    assert "Quarry Daily says up to $900M" in c["explanation"]


def test_a_bound_on_the_same_figure_is_no_conflict():
    firm = record("b1", [money("total_value", 9.0e8, "$900 million")], "Harbor Wire")
    bound = record(
        "b2", [money("total_value", 9.0e8, "more than $900 million", qualifier="more than")], "Quarry Daily"
    )
    assert reconcile([firm, bound]).conflicts == []


def test_an_about_figure_that_holds_the_exact_one_keeps_its_hedge_and_a_bound_of_another_figure_does_not():
    firm = record("q1", [money("total_value", 2.4e8, "$240 million")], "Harbor Wire")
    about = record(
        "q2", [money("total_value", 2.5e8, "about $250 million", qualifier="about")], "Quarry Daily"
    )
    deal = only_deal(reconcile([firm, about]))
    assert (deal["total_value"], deal["total_value_qualifier"]) == (2.4e8, "about")
    bound = record(
        "q3", [money("total_value", 9.0e8, "up to $900 million", qualifier="up to")], "Quarry Daily"
    )
    firm2 = record("q4", [money("total_value", 8.6e8, "$860 million")], "Harbor Wire")
    assert only_deal(reconcile([firm2, bound]))["total_value_qualifier"] is None


def test_a_flat_total_stated_by_every_outlet_has_no_qualifier():
    records = [
        record(a, [money("total_value", 2.4e8, "$240 million")], p)
        for a, p in (("f1", "Harbor Wire"), ("f2", "Quarry Daily"))
    ]
    assert only_deal(reconcile(records))["total_value_qualifier"] is None
