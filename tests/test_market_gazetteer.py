"""The market gazetteer: real AI-compute companies beyond companies.toml, well-formed and unique."""

import re
import tomllib
from pathlib import Path

import pytest

GAZ = Path(__file__).resolve().parents[1] / "extractors" / "gazetteers"
MARKET = tomllib.loads((GAZ / "market.toml").read_text(encoding="utf-8"))
COMPANIES = tomllib.loads((GAZ / "companies.toml").read_text(encoding="utf-8"))
NOT_PARTIES = tomllib.loads((GAZ / "not_parties.toml").read_text(encoding="utf-8"))

KINDS = {"cloud", "compute", "datacenter", "chipmaker", "hardware", "ailab", "tech", "other"}
SHORT_TICKERS: set[str] = set()  # uppercase tickers allowed below 3 characters (none needed yet)
LEGAL_SUFFIX = re.compile(r"\b(Inc|Corp|Corporation|Ltd|LLC|PLC|N\.V|S\.A|GmbH|AG)\.?$")


def _key(s: str) -> str:
    return re.sub(r"^the\s+", "", s.strip().lower())


def _company_names(data: dict) -> list[str]:
    return [n for c in data.get("company", []) for n in (c["name"], *c.get("aliases", []))]


def _extra_names(data: dict) -> list[str]:
    return [a for e in data.get("extra_aliases", []) for a in e.get("aliases", [])]


def test_schema_and_kinds():
    companies = MARKET["company"]
    assert 150 <= len(companies) <= 250
    for c in companies:
        assert set(c) <= {"name", "aliases", "kind", "descriptors"}, c
        assert isinstance(c["name"], str) and c["name"].strip() == c["name"] and c["name"]
        assert isinstance(c["aliases"], list) and all(isinstance(a, str) and a for a in c["aliases"])
        assert c["kind"] in KINDS, c
        assert all(isinstance(d, str) and d for d in c.get("descriptors", []))
        assert not LEGAL_SUFFIX.search(c["name"]), f"canonical name with legal suffix: {c['name']}"
    for e in MARKET.get("extra_aliases", []):
        assert set(e) <= {"name", "aliases", "descriptors"}, e
        assert e.get("aliases") or e.get("descriptors"), e


def test_no_duplicate_names_or_aliases():
    ours = _company_names(MARKET) + _extra_names(MARKET)
    keys = [_key(n) for n in ours]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    assert not dupes, dupes
    theirs = {_key(n) for n in _company_names(COMPANIES)}
    clash = sorted(set(keys) & theirs)
    assert not clash, f"already in companies.toml: {clash}"


def test_no_duplicate_descriptors():
    descs = [
        _key(d)
        for table in (*MARKET["company"], *MARKET.get("extra_aliases", []))
        for d in table.get("descriptors", [])
    ]
    assert len(descs) == len(set(descs)), sorted({d for d in descs if descs.count(d) > 1})
    names = {_key(n) for n in _company_names(MARKET) + _extra_names(MARKET) + _company_names(COMPANIES)}
    assert not set(descs) & names


def test_extra_aliases_extend_existing_companies():
    known = {c["name"] for c in COMPANIES["company"]}
    ours = {c["name"] for c in MARKET["company"]}
    extra = [e["name"] for e in MARKET.get("extra_aliases", [])]
    assert len(extra) == len(set(extra))
    for name in extra:
        assert name in known, f"{name} is not a canonical name in companies.toml"
        assert name not in ours


@pytest.mark.parametrize("alias", _company_names(MARKET) + _extra_names(MARKET))
def test_short_aliases_are_uppercase_tickers(alias):
    if len(alias) < 3:
        assert alias.isupper() and alias in SHORT_TICKERS, alias


def test_no_name_is_a_known_non_party():
    never = {_key(n) for v in NOT_PARTIES.values() if isinstance(v, list) for n in v}
    clash = sorted({_key(n) for n in _company_names(MARKET) + _extra_names(MARKET)} & never)
    assert not clash, clash
