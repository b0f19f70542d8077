"""`dealwatch eval --mode table` end to end: render a labeled set, serve it on loopback, run the real
ingest flow into a temporary DuckDB and judge the `deals` view; and `eval` refusing unlabeled folders.

The labeled set is built from corpus articles whose deals extraction gets right (the quality gate
guards that), with two labels deliberately changed so the table must show each kind of wrong row:
one deal labeled the other way round (its row must read as reversed) and one deal article labeled
as a negative with no deal (its row must be a wrong pair that comes from negatives only).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.cli import main
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus"
KEEP = ("001_", "002_", "003_", "004_", "054_")  # a deal told 3 times + a syndicated copy, a negative
FLIPPED = "008_"  # labeled with provider and customer swapped
UNLABELED_DEAL = ("005_", "006_")  # a real deal, labeled as negative articles


def _labeled_set(tmp_path: Path) -> Path:
    folder = tmp_path / "tableset"
    folder.mkdir()
    shutil.copy(CORPUS / "aliases.json", folder / "aliases.json")
    for text in sorted(CORPUS.glob("*.txt")):
        if not text.name.startswith((*KEEP, FLIPPED, *UNLABELED_DEAL)):
            continue
        gold = json.loads(text.with_suffix(".json").read_text(encoding="utf-8"))
        if text.name.startswith(FLIPPED):
            for d in gold["deals"]:
                d["provider"], d["customer"] = d["customer"], d["provider"]
        if text.name.startswith(UNLABELED_DEAL):
            gold["is_deal"], gold["deals"] = False, []
        shutil.copy(text, folder / text.name)
        (folder / f"{text.stem}.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


def _gold_keys(folder: Path) -> set[str]:
    return {d["deal_key"] for p in folder.glob("0*.json") for d in json.loads(p.read_text())["deals"]}


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_table_mode_ingests_a_labeled_set_and_tells_each_kind_of_row_apart(tmp_path, capsys) -> None:
    folder = _labeled_set(tmp_path)
    assert main(["eval", "--mode", "table", str(folder), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (s,) = report["sets"]
    by_verdict: dict[str, list[dict]] = {}
    for r in s["row_verdicts"]:
        by_verdict.setdefault(r["verdict"], []).append(r)
    flipped_key = json.loads(next(folder.glob(f"{FLIPPED}*.json")).read_text())["deals"][0]["deal_key"]

    # The main deal (3 outlets + a syndicated copy) and the deal its wire story names in passing.
    assert {r["deal_key"] for r in by_verdict["right"]} == _gold_keys(folder) - {flipped_key}
    assert s["fragments"] == 0  # the syndicated copy did not make a second row
    assert [r["deal_key"] for r in by_verdict["reversed"]] == [flipped_key]
    (wrong,) = by_verdict["wrong pair"]
    assert wrong["from_negatives"] and s["rows_from_negatives"] == 1
    assert s["negatives_in_rows"] == len(UNLABELED_DEAL)  # the two relabeled articles, not the IPO story
    assert s["missed"] == [flipped_key]
    assert (s["deals_found"], s["deals_total"]) == (len(_gold_keys(folder)) - 1, len(_gold_keys(folder)))
    assert s["rows"] == s["rows_right"] + s["reversed"] + s["wrong_pairs"] + s["fragments"]
    assert s["field_support"] > 0 and s["field_right"] / s["field_support"] >= 0.9
    assert report["total"]["rows"] == s["rows"]


def test_eval_refuses_a_folder_without_labels(tmp_path, capsys) -> None:
    (tmp_path / "001_story.txt").write_text("A headline\n\nA body.\n", encoding="utf-8")
    for mode in ("facts", "table"):
        assert main(["eval", "--mode", mode, str(tmp_path)]) == 2
        err = capsys.readouterr().err.strip()
        assert "no labeled articles" in err and str(tmp_path) in err
        assert len(err.splitlines()) == 1


def _write_labeled(folder: Path, stem: str = "001_story") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text("A headline\n\nA body.\n", encoding="utf-8")
    (folder / f"{stem}.json").write_text(json.dumps({"article_id": stem, "deals": []}), encoding="utf-8")


def test_default_sets_are_the_labeled_folders_without_a_blind_marker(tmp_path) -> None:
    from flows.table_eval_run import default_sets

    _write_labeled(tmp_path / "corpus")
    _write_labeled(tmp_path / "blindset")
    (tmp_path / "blindset" / "BLIND").write_text("", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "gold.json").write_text("{}", encoding="utf-8")
    assert [p.name for p in default_sets(tmp_path)] == ["corpus"]


def test_a_rendered_page_parses_back_to_its_gold_metadata_and_text() -> None:
    from extractors.evaluate import load_corpus
    from extractors.parse import parse_document
    from flows.table_eval_run import render_page

    pairs, _ = load_corpus(CORPUS)
    bullets = next(a for a, _ in pairs if a.article_id.startswith("009_"))  # a bullet-list article
    for article in (pairs[0][0], bullets):
        url = f"http://127.0.0.1:1/articles/{article.article_id}.html"
        html = render_page(article).replace("{{base_url}}", "http://127.0.0.1:1")
        parsed = parse_document(html.encode(), url=url, content_type="text/html; charset=utf-8")
        assert (parsed.title, parsed.publisher, parsed.published_at) == (
            article.title,
            article.publisher,
            article.published_at,
        )
        body_words = article.text.split("\n\n", 1)[1].split()
        assert parsed.text.split()[-len(body_words) :] == body_words
