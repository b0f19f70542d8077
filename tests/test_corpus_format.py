"""The labeled corpus is well-formed, large and varied enough to measure extraction, and its gold
values are backed by its text — a gold file that drifts from its article would make every score lie.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from extractors.models import DEAL_FIELDS, DEAL_TYPES, PRECISIONS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"
GAZETTEER_DIRS = [ROOT / "extractors" / "gazetteers", ROOT / "extractors" / "patterns"]

STYLES = {"wire", "blog", "analyst", "headline", "bullets", "press", "newsletter", "translated", "news"}
QUALIFIERS = {"up to", "about", "more than", "nearly", "at least"}
FACT_KEYS = set(DEAL_FIELDS) - {"provider", "customer", "deal_type"} | {
    "currency",
    "total_value_qualifier",
    "start_precision",
    "end_precision",
    "termination_lockin_until",
}
MONEY = {"monthly_fee", "total_value"}
INTS = {"term_months", "accelerator_count", "termination_notice_days", "termination_lockin_months"}
DATES = {"start_date", "end_date", "announced_on", "termination_lockin_until"}
# Well-known companies used in made-up deals; every other party must be invented.
WELL_KNOWN = {
    "oracle", "meta", "nebius", "microsoft", "google", "anthropic", "crusoe", "openai",
    "coreweave", "mistral ai", "amazon web services", "amazon", "cohere", "nscale",
}  # fmt: skip
NUMBER_WORDS = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
    9: "nine", 10: "ten", 12: "twelve", 15: "fifteen", 20: "twenty",
}  # fmt: skip
GENERIC_FACILITY_WORDS = {"campus", "site", "facility", "data", "center", "centre", "the"}


def load_corpus() -> list[tuple[dict, str]]:
    items = []
    for gold_path in sorted(CORPUS.glob("[0-9][0-9][0-9]_*.json")):
        text_path = gold_path.with_suffix(".txt")
        items.append(
            (json.loads(gold_path.read_text(encoding="utf-8")), text_path.read_text(encoding="utf-8"))
        )
    return items


CORPUS_ITEMS = load_corpus()
ALIASES = {
    k.lower(): v
    for k, v in json.loads((CORPUS / "aliases.json").read_text()).items()
    if not k.startswith("_")
}


def all_deals():
    for gold, text in CORPUS_ITEMS:
        for d in gold["deals"]:
            yield gold, text, d


def test_every_text_has_a_gold_file_and_back():
    texts = {p.stem for p in CORPUS.glob("[0-9][0-9][0-9]_*.txt")}
    golds = {p.stem for p in CORPUS.glob("[0-9][0-9][0-9]_*.json")}
    assert texts == golds
    assert len({s[:3] for s in texts}) == len(texts), "article numbers must be unique"


@pytest.mark.parametrize("gold,text", CORPUS_ITEMS, ids=[g["article_id"] for g, _ in CORPUS_ITEMS])
def test_gold_schema(gold: dict, text: str):
    assert set(gold) == {
        "article_id",
        "style",
        "publisher",
        "published_at",
        "syndicated_of",
        "is_deal",
        "deals",
    }
    lines = text.split("\n")
    assert lines[0].strip() and lines[1] == "" and "\n".join(lines[2:]).strip(), "headline, blank line, body"
    assert gold["style"] in STYLES
    assert gold["publisher"]
    datetime.fromisoformat(gold["published_at"].replace("Z", "+00:00"))
    assert gold["is_deal"] == bool(gold["deals"])
    if gold["is_deal"]:
        assert any(d["is_main"] for d in gold["deals"]), "a deal article has a main deal"
    for d in gold["deals"]:
        assert set(d) - {"ranges"} == {
            "deal_key", "is_main", "related_to", "provider", "customer", "deal_type", "facts",
        }  # fmt: skip
        assert d["deal_type"] in DEAL_TYPES
        assert d["provider"] and d["customer"] and d["provider"] != d["customer"]
        facts = d["facts"]
        assert set(facts) <= FACT_KEYS, set(facts) - FACT_KEYS
        for k in MONEY & set(facts):
            assert isinstance(facts[k], (int, float)) and facts[k] > 0
            assert re.fullmatch(r"[A-Z]{3}", facts.get("currency", "")), "money needs a currency"
        for k in INTS & set(facts):
            assert isinstance(facts[k], int) and facts[k] > 0
        for k in DATES & set(facts):
            date.fromisoformat(facts[k])
        for side in ("start", "end"):
            assert (f"{side}_date" in facts) == (f"{side}_precision" in facts)
            if f"{side}_precision" in facts:
                assert facts[f"{side}_precision"] in PRECISIONS
        if "start_date" in facts and "end_date" in facts:
            assert facts["start_date"] < facts["end_date"]
        if "total_value_qualifier" in facts:
            assert facts["total_value_qualifier"] in QUALIFIERS and "total_value" in facts
        if "termination_by" in facts:
            assert facts["termination_by"] in {"either", "provider", "customer"}
        if "hardware" in facts:
            assert isinstance(facts["hardware"], list) and all(isinstance(h, str) for h in facts["hardware"])
        for k, (low, high) in d.get("ranges", {}).items():
            assert low <= facts[k] <= high
        if "announced_on" in facts:
            published = date.fromisoformat(gold["published_at"][:10])
            assert 0 <= (published - date.fromisoformat(facts["announced_on"])).days <= 14


def test_corpus_meets_the_size_and_variety_requirements():
    articles = [g for g, _ in CORPUS_ITEMS]
    assert len(articles) >= 56
    assert sum(not g["is_deal"] for g in articles) >= 12
    main_styles: dict[str, set[str]] = defaultdict(set)
    main_articles: dict[str, set[str]] = defaultdict(set)
    parties: dict[str, tuple[str, str]] = {}
    for gold, _, d in all_deals():
        parties[d["deal_key"]] = (d["provider"], d["customer"])
        if d["is_main"]:
            main_styles[d["deal_key"]].add(gold["style"])
            main_articles[d["deal_key"]].add(gold["article_id"])
    assert len(main_articles) >= 16
    for key, styles in main_styles.items():
        assert len(main_articles[key]) >= 2 and len(styles) >= 2, f"{key} needs 2+ articles in 2+ styles"
    invented = [k for k in main_articles if not ({p.lower() for p in parties[k]} & WELL_KNOWN)]
    assert len(invented) >= 9
    assert sum(bool(g["syndicated_of"]) for g in articles) >= 2
    assert any(not d["is_main"] for _, _, d in all_deals()), "a deal mentioned in passing"
    assert any(d["related_to"] for _, _, d in all_deals()), "an expansion deal"
    assert len({g["style"] for g in articles}) == len(STYLES)


def test_references_point_to_existing_articles_and_deals():
    ids = {g["article_id"] for g, _ in CORPUS_ITEMS}
    keys = {d["deal_key"] for _, _, d in all_deals()}
    for gold, _ in CORPUS_ITEMS:
        assert gold["syndicated_of"] in ids | {None}
    for _, _, d in all_deals():
        assert d["related_to"] in keys | {None}
        assert d["related_to"] != d["deal_key"]
    for gold, text in CORPUS_ITEMS:
        if gold["syndicated_of"]:
            original = next(t for g, t in CORPUS_ITEMS if g["article_id"] == gold["syndicated_of"])
            original_body = original.split("\n\n", 1)[1].strip()
            assert original_body in text, "a syndicated copy carries the original body"


def test_one_deal_key_means_the_same_parties_everywhere():
    seen: dict[str, tuple] = {}
    for _, _, d in all_deals():
        pair = (d["provider"], d["customer"], d["deal_type"])
        assert seen.setdefault(d["deal_key"], pair) == pair, d["deal_key"]


def test_invented_parties_are_in_no_gazetteer():
    gazetteer_text = " ".join(
        p.read_text(encoding="utf-8", errors="replace").lower()
        for folder in GAZETTEER_DIRS
        if folder.is_dir()
        for p in folder.rglob("*")
        if p.is_file()
    )
    for _, _, d in all_deals():
        for name in (d["provider"], d["customer"]):
            if name.lower() not in WELL_KNOWN and name.lower() not in ALIASES:
                assert not re.search(rf"\b{re.escape(name.lower())}\b", gazetteer_text), (
                    f"{name} is invented for the corpus and must not be listed in a gazetteer"
                )


def _number_forms(n: float) -> set[str]:
    forms = {f"{n:g}", f"{n:,.0f}", f"{int(n)}"}
    for scale in (1e9, 1e6, 1e3):
        if n >= scale:
            forms |= {f"{n / scale:g}", f"{n / scale:,.0f}"}
    if int(n) in NUMBER_WORDS:
        forms.add(NUMBER_WORDS[int(n)])
    return forms


def _appears(forms: set[str], text: str) -> bool:
    low = text.lower()
    return any(re.search(rf"(?<![\d.]){re.escape(f.lower())}(?![\d])", low) for f in forms)


@pytest.mark.parametrize("gold,text", CORPUS_ITEMS, ids=[g["article_id"] for g, _ in CORPUS_ITEMS])
def test_gold_values_have_evidence_in_the_text(gold: dict, text: str):
    low = text.lower()
    for d in gold["deals"]:
        for name in (d["provider"], d["customer"]):
            names = {name.lower()} | {k for k, v in ALIASES.items() if v.lower() == name.lower()}
            assert any(n in low for n in names), f"party {name} not in text"
        f = d["facts"]
        if "facility" in f:
            words = [w for w in f["facility"].lower().split() if w not in GENERIC_FACILITY_WORDS]
            assert " ".join(words) in low
        if "location" in f:
            assert f["location"].split(",")[0].lower() in low
        for hw in f.get("hardware", []):
            assert hw.split()[-1].lower() in low, hw
        if "total_value" in f:
            assert _appears(_number_forms(f["total_value"]), text) or "ranges" in d, f["total_value"]
        if "capacity_mw" in f:
            mw = f["capacity_mw"]
            assert _appears(_number_forms(mw) | _number_forms(mw / 1000), text) or "gigawatt" in low
        if "accelerator_count" in f:
            n = f["accelerator_count"]
            words = {"one million", "twenty thousand"}
            assert _appears(_number_forms(n), text) or any(w in low for w in words), n
        if "termination_notice_days" in f:
            assert _appears({str(f["termination_notice_days"])}, text)
        if "term_months" in f:
            m = f["term_months"]
            forms = _number_forms(m) | (_number_forms(m // 12) if m % 12 == 0 else set())
            assert _appears(forms, text), m


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9$.,%']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_no_corpus_text_copies_the_seeds(seeds_dir: Path):
    seed_shingles: set[tuple[str, ...]] = set()
    for p in seeds_dir.glob("*.txt"):
        seed_shingles |= _shingles(p.read_text(encoding="utf-8"))
    assert seed_shingles, "seed folder is empty"
    for gold, text in CORPUS_ITEMS:
        shared = _shingles(text) & seed_shingles
        assert not shared, f"{gold['article_id']} shares seed wording: {' '.join(next(iter(shared)))}"
        assert "reflection ai" not in text.lower() and "colossus" not in text.lower()
