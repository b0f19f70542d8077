"""Canonical company names: one spelling per company, whatever the outlet wrote."""

from extractors.companies import CompanyResolver, canonical_name, clean_name


def test_legal_suffix_and_ticker_are_dropped():
    assert canonical_name("Amberfield Compute Corp. (NYSE: AMFC)") == "Amberfield Compute"
    assert canonical_name("Tollbridge Systems, Inc.") == "Tollbridge Systems"
    assert canonical_name("Kestrel Data N.V.") == "Kestrel Data"


def test_possessive_and_article_are_stripped():
    assert clean_name("Brightwater Labs’s") == "Brightwater Labs"
    assert clean_name("the Ferncliff Group's") == "Ferncliff Group"


def test_known_aliases_map_to_one_name():
    assert canonical_name("AWS") == "Amazon Web Services"
    assert canonical_name("Alphabet") == "Google"
    assert canonical_name("NVIDIA") == "Nvidia"


def test_outlets_places_and_generic_words_are_not_companies():
    for name in ("Reuters", "Bloomberg", "CNBC", "Memphis", "AI", "U.S.", "Department of Energy"):
        assert canonical_name(name) is None, name


def test_short_form_after_full_name_resolves_to_full_name():
    r = CompanyResolver()
    assert r.resolve("Quorra Labs") == "Quorra Labs"
    assert r.resolve("Quorra") == "Quorra Labs"


def test_fuller_name_after_short_form_becomes_canonical():
    r = CompanyResolver()
    r.resolve("Pellucid")
    assert r.resolve("Pellucid AI") == "Pellucid AI"
    assert r.resolve("Pellucid") == "Pellucid AI"


def test_division_alias_resolves_to_parent():
    r = CompanyResolver()
    r.resolve("Marlowe Aerospace")
    r.add_alias("MarloweCompute", "Marlowe Aerospace")
    assert r.resolve("MarloweCompute") == "Marlowe Aerospace"


def test_bad_input_does_not_raise():
    assert canonical_name("") is None
    assert canonical_name("  ,. ") is None
    assert CompanyResolver().resolve("") is None


def test_a_name_never_spans_a_headline_colon() -> None:
    assert clean_name("Halsey Compute: Brennet") == "Halsey Compute"  # "Halsey Compute: Brennet win is ..."
    assert clean_name("Exclusive: Corvid Freight") == "Corvid Freight"  # a one-word label before it
    assert clean_name("Halsey Compute Inc. (NASDAQ: HLSY)") == "Halsey Compute"
    r = CompanyResolver()
    assert r.resolve("Halsey Compute: Brennet") == "Halsey Compute"
    assert r.resolve("Halsey") == "Halsey Compute"
