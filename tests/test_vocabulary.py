"""One vocabulary: extraction, reconciliation and evaluation read the same words and factors.

A qualifier or a unit factor copied into two modules drifts ("almost" meant "nearly" to the
evaluator and "approximately" to reconciliation; a month was 30.4375 days to one, 30.4167 to the
other). These tests pin that every reader goes through ``extractors.vocabulary``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors import amounts, companies, evaluate, money, vocabulary
from extractors.models import ArticleContext, Sentence
from reconciliation import compat
from tests.reconcile_story import money as money_fact

ROOT = Path(__file__).resolve().parents[1]
#: Modules that still hold a copy, each with the reason. Empty it, never grow it.
KNOWN_COPIES: set[str] = set()


def test_almost_means_nearly_to_extraction_reconciliation_and_evaluation() -> None:
    (fact,) = money.money_facts(Sentence("The contract is worth almost $5 billion.", 0), ArticleContext())
    assert fact.attrs["qualifier"] == "nearly"
    as_written = money_fact("total_value", 5e9, "almost $5B", qualifier="almost")
    normalised = money_fact("total_value", 5e9, "nearly $5B", qualifier="nearly")
    assert compat.compare("total_value", as_written, normalised).relation == compat.SAME
    assert evaluate.values_equal("total_value_qualifier", "nearly", "almost", None, {})
    assert not evaluate.values_equal("total_value_qualifier", "about", "almost", None, {})


def test_every_canonical_qualifier_has_a_meaning_for_reconciliation() -> None:
    canonical = {q for q in vocabulary.qualifiers().values() if q}
    assert canonical == set(vocabulary.qualifier_meanings())
    assert set(vocabulary.qualifier_meanings().values()) <= {"upper", "lower", "approx", "below"}
    assert amounts._QUALS is vocabulary.qualifiers(), "amounts.py must read the shared mapping, not a copy"


@pytest.mark.parametrize("period", ["day", "week", "quarter", "year"])
def test_one_per_month_factor_for_extraction_and_reconciliation(period: str) -> None:
    text = f"The tenant pays $1 million a {period} for the capacity."
    (fact,) = money.money_facts(Sentence(text, 0), ArticleContext())
    assert fact.value == pytest.approx(1e6 * vocabulary.per_month()[period])
    stated = money_fact("monthly_fee", fact.value, text, period=period, stated_amount=1e6)
    per_month = money_fact("monthly_fee", fact.value, f"${fact.value:,.0f} a month")
    assert compat.compare("monthly_fee", stated, per_month).relation == compat.SAME


def test_legal_suffixes_are_dropped_alike_when_cleaning_comparing_and_scoring() -> None:
    for suffix in ("GmbH", "N.V.", "Holdings", "Incorporated", "A/S"):
        name = f"Velmora Cloud {suffix}"
        assert companies.clean_name(name) == "Velmora Cloud"
        assert compat.name_tokens(name) == compat.name_tokens("Velmora Cloud")
        assert evaluate.party_key(name, {}) == evaluate.party_key("Velmora Cloud", {})


def test_place_abbreviations_come_from_the_places_gazetteer() -> None:
    assert compat.PLACE_ALIASES is vocabulary.place_aliases()
    assert compat.place_tokens("Reno, NV") == compat.place_tokens("Reno, Nevada")
    assert compat.place_tokens("Britain") == compat.place_tokens("the United Kingdom")
    assert "in" not in vocabulary.place_aliases(), "'in' is a word before it is Indiana"


def test_no_module_keeps_its_own_copy_of_a_shared_list() -> None:
    """A dict or set literal naming 'almost', or a month as days, outside the vocabulary is a copy."""
    copy = re.compile(r"""["'](?:almost|nv)["']\s*:|30\.4375|365(?:\.25)?\s*/\s*12|["']gmbh["']""", re.I)
    offenders = []
    for package in ("extractors", "storage", "flows"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            own = rel == "extractors/vocabulary.py" or rel in KNOWN_COPIES
            if not own and copy.search(path.read_text(encoding="utf-8")):
                offenders.append(rel)
    assert offenders == [], f"read these from extractors/vocabulary.py instead: {offenders}"


def test_legal_forms_introduce_a_name_only_as_written() -> None:
    """The gate reads legal forms from the shared vocabulary, case-sensitively: the words 'company',
    'as' or 'limited' in prose are no legal form (ignoring case once let a launch story through)."""
    from extractors.gate import _INTRODUCES_NAME

    assert _INTRODUCES_NAME.search("Brackwater Compute Corp. said on Monday")
    assert _INTRODUCES_NAME.search("Ostra Holdings GmbH (the Group)")
    for prose in ("the company said", "as it expands", "a limited run of chips", "co-founder Jane Roe"):
        assert not _INTRODUCES_NAME.search(prose), prose
