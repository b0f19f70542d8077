"""Properties of the compatibility rules: reflexive, symmetric, and a refinement is never a conflict."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reconciliation.compat import COMPATIBLE, CONFLICT, SAME, compare, precision_interval
from tests.reconcile_story import fact

QUALIFIERS = [None, "about", "nearly", "up to", "more than", "at least", "roughly"]
PRECISIONS = ["day", "month", "quarter", "half", "year"]

# figures as outlets write them: 1-3 significant digits times a power of ten
figures = st.builds(lambda m, e: m * 10.0**e, st.integers(1, 999), st.integers(3, 9))


@st.composite
def money_facts(draw, field="total_value"):
    amount = draw(figures)
    attrs = {"currency": draw(st.sampled_from(["USD", None]))}
    q = draw(st.sampled_from(QUALIFIERS))
    if q:
        attrs["qualifier"] = q
    if draw(st.booleans()) and not q:
        attrs["low"], attrs["high"] = amount, amount * draw(st.sampled_from([1.2, 1.5, 2.0]))
    return fact(field, amount, "x", **attrs)


@st.composite
def date_facts(draw, field="end_date"):
    d = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
    p = draw(st.sampled_from(PRECISIONS))
    return fact(field, d.isoformat(), "x", precision=p)


names = st.lists(
    st.sampled_from(["Tulsa", "Oklahoma", "North", "Campus", "Reno", "Nevada"]), min_size=1, max_size=3
)
any_fact = st.one_of(
    money_facts().map(lambda f: ("total_value", f)),
    date_facts().map(lambda f: ("end_date", f)),
    st.integers(0, 2000).map(lambda n: ("termination_notice_days", fact("termination_notice_days", n, "x"))),
    names.map(lambda ws: ("location", fact("location", " ".join(ws), "x"))),
    st.sampled_from(["either", "provider", "customer"]).map(
        lambda v: ("termination_by", fact("termination_by", v, "x"))
    ),
)


@given(any_fact)
def test_reflexive(pair):
    field, f = pair
    assert compare(field, f, f).relation == SAME


@settings(max_examples=300)
@given(money_facts(), money_facts())
def test_money_symmetric(a, b):
    assert compare("total_value", a, b) == compare("total_value", b, a)


@settings(max_examples=300)
@given(date_facts(), date_facts())
def test_dates_symmetric(a, b):
    assert compare("end_date", a, b) == compare("end_date", b, a)


@given(names, names)
def test_names_symmetric(a, b):
    x, y = fact("location", " ".join(a), "x"), fact("location", " ".join(b), "x")
    assert compare("location", x, y) == compare("location", y, x)


@given(figures, st.sampled_from(QUALIFIERS[1:]), st.floats(0.0, 1.0))
def test_a_figure_inside_a_qualified_one_is_never_a_conflict(amount, qualifier, t):
    loose = fact("total_value", amount, "x", qualifier=qualifier, currency="USD")
    lo, hi = {
        "up to": (amount * 0.05, amount),
        "more than": (amount, amount * 20),
        "at least": (amount, amount * 20),
        "nearly": (amount * 0.91, amount),
    }.get(qualifier, (amount * 0.91, amount * 1.09))
    inside = fact("total_value", round(lo + t * (hi - lo)), "x", currency="USD")
    assert compare("total_value", loose, inside).relation != CONFLICT


@given(figures, st.sampled_from([1, 2]))
def test_a_rounded_figure_is_never_a_conflict(amount, digits):
    exp = len(str(int(amount))) - digits
    rounded = round(amount / 10**exp) * 10**exp
    if rounded == 0:
        return
    precise, coarse = fact("total_value", amount, "x"), fact("total_value", float(rounded), "x")
    assert compare("total_value", precise, coarse).relation != CONFLICT


@given(figures, st.floats(0.0, 1.0))
def test_a_figure_inside_a_range_refines_it(low, t):
    high = low * 1.5
    rng = fact("total_value", low, "x", low=low, high=high)
    assert (
        compare("total_value", rng, fact("total_value", low + t * (high - low), "x")).relation == COMPATIBLE
    )


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.sampled_from(PRECISIONS[1:]))
def test_a_day_within_a_coarser_date_refines_it(d, precision):
    first, last = precision_interval(d, precision)
    coarse_value = last if precision == "year" else first  # either convention must work
    coarse = fact("end_date", coarse_value.isoformat(), "x", precision=precision)
    for day in (first, d, last):
        exact = fact("end_date", day.isoformat(), "x", precision="day")
        assert compare("end_date", coarse, exact).relation in (SAME, COMPATIBLE)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 1)))
def test_month_is_refined_by_any_day_in_it(d):
    month = fact("start_date", d.replace(day=1).isoformat(), "x", precision="month")
    last = d.replace(day=calendar.monthrange(d.year, d.month)[1])
    assert compare("start_date", month, fact("start_date", last.isoformat(), "x")).relation == COMPATIBLE
    after = fact("start_date", (last + timedelta(days=40)).isoformat(), "x")
    assert compare("start_date", month, after).relation == CONFLICT


@given(names, names)
def test_more_words_of_a_place_refine_it(a, extra):
    short, long = fact("location", " ".join(a), "x"), fact("location", " ".join(a + extra), "x")
    assert compare("location", short, long).relation != CONFLICT
