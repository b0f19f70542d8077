"""The `ingest` and `reprocess` flows end to end: real Prefect, real DuckDB, real loopback server."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.site_server import SiteServer
from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

CORPUS = FIXTURES / "corpus"
FAST = {"per_host_delay": 0.0, "retries": 0, "total_timeout": 10.0}


def _corpus_subset(tmp_path: Path, prefix: str, negatives: int = 2) -> Path:
    """A folder with the corpus articles of one deal plus a few negatives."""
    import json

    folder = tmp_path / "articles"
    folder.mkdir()
    deal_files = sorted(CORPUS.glob(f"{prefix}*.txt"))
    neg = [
        p
        for p in sorted(CORPUS.glob("*.txt"))
        if not json.loads(p.with_suffix(".json").read_text())["is_deal"]
    ]
    for p in deal_files + neg[:negatives]:
        shutil.copy(p, folder / p.name)
    return folder


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_ingest_a_folder_then_rerun_adds_nothing_and_keeps_deal_ids(tmp_path: Path, db_path: Path) -> None:
    from flows.ingest import ingest

    folder = _corpus_subset(tmp_path, "00")
    first = ingest([str(folder)], db_path=str(db_path), quiet=True)
    n_files = len(list(folder.glob("*.txt")))
    assert first.new + first.duplicates == n_files and first.duplicates == 1 and not first.failed
    assert first.documents == n_files, "each document is counted once"
    assert first.deals_total >= 1
    deals_before = _rows(db_path, "SELECT deal_id, provider, customer FROM deals ORDER BY deal_id")
    counts = "SELECT (SELECT count(*) FROM article_store), (SELECT count(*) FROM mention_store), (SELECT count(*) FROM fact_store), (SELECT count(*) FROM raw_documents)"
    before = _rows(db_path, counts)

    second = ingest([str(folder)], db_path=str(db_path), quiet=True)
    assert second.unchanged == n_files and second.new == 0
    assert _rows(db_path, counts) == before
    assert _rows(db_path, "SELECT deal_id, provider, customer FROM deals ORDER BY deal_id") == deals_before
    assert second.deals_created == 0
    assert second.deals_updated == 0, "a deal seen again with the same values is not 'updated'"
    assert second.documents == n_files
    import gc

    assert gc.get_freeze_count() == 0, "a run gives its frozen heap back to the collector (serve runs many)"


def test_bad_sources_are_recorded_and_the_run_goes_on(tmp_path: Path, db_path: Path) -> None:
    from flows.ingest import ingest

    folder = _corpus_subset(tmp_path, "001", negatives=0)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    site = tmp_path / "site"
    site.mkdir()
    (site / "empty.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    )
    with SiteServer(site) as server:
        summary = ingest(
            [
                str(folder),
                str(tmp_path / "does-not-exist"),
                f"{server.base_url}/empty.xml",
                f"{server.base_url}/gone.html",
            ],
            db_path=str(db_path),
            policy_overrides=FAST,
            quiet=True,
        )
    assert summary.new >= 1, "the good article is still ingested"
    reasons = " | ".join(o.reason for o in summary.failed + summary.problems + summary.skipped)
    assert "does-not-exist" in " ".join(o.location + o.reason for o in summary.problems + summary.failed)
    assert "404" in reasons
    assert ".pdf" in reasons or "pdf" in reasons.lower()
    statuses = {
        u: (s, note) for u, s, note in _rows(db_path, "SELECT url, status, status_note FROM articles")
    }

    def status_of(suffix: str) -> tuple[str, str]:
        found = [s for u, s in statuses.items() if u.endswith(suffix)]
        assert found, f"no articles row for {suffix}: {statuses}"
        return found[0]

    # An analyst filters status = 'failed'; the note says why.
    assert status_of("/gone.html")[0] == "failed" and "404" in status_of("/gone.html")[1]
    assert status_of("/empty.xml")[0] == "failed" and "no entries" in status_of("/empty.xml")[1]
    assert "does not exist" in status_of("does-not-exist")[1]
    assert all(s == "ok" for u, (s, _) in statuses.items() if u.endswith(".txt"))


def test_reprocess_reextracts_offline_and_keeps_deal_ids(tmp_path: Path, db_path: Path) -> None:
    from flows.ingest import ingest
    from flows.reprocess import reprocess

    folder = _corpus_subset(tmp_path, "00", negatives=1)
    ingest([str(folder)], db_path=str(db_path), quiet=True)
    deals = _rows(db_path, "SELECT deal_id, provider, customer FROM deals ORDER BY deal_id")
    shutil.rmtree(folder)  # nothing to fetch or read any more: reprocess works from raw bytes
    summary = reprocess(db_path=str(db_path), quiet=True, all_documents=True)
    assert summary.fetched == len(_rows(db_path, "SELECT DISTINCT url FROM raw_documents"))
    assert _rows(db_path, "SELECT deal_id, provider, customer FROM deals ORDER BY deal_id") == deals
    from extractors.pipeline import EXTRACTOR_VERSION

    versions = _rows(db_path, "SELECT DISTINCT extractor_version FROM fact_store")
    assert versions == [(EXTRACTOR_VERSION,)], "every fact carries the derived extractor version"


def test_a_syndicated_copy_in_a_later_run_points_at_the_stored_original(
    tmp_path: Path, db_path: Path
) -> None:
    import json

    from flows.ingest import ingest

    copies = [p for p in sorted(CORPUS.glob("*.json")) if json.loads(p.read_text()).get("syndicated_of")]
    copy = copies[0].with_suffix(".txt")
    original = CORPUS / (json.loads(copies[0].read_text())["syndicated_of"] + ".txt")
    ingest([str(original)], db_path=str(db_path), quiet=True)
    summary = ingest([str(copy)], db_path=str(db_path), quiet=True)
    assert summary.duplicates == 1
    rows = dict(_rows(db_path, "SELECT url, duplicate_of FROM articles"))
    original_id = _rows(db_path, f"SELECT article_id FROM articles WHERE url LIKE '%{original.name}'")[0][0]
    assert rows[copy.resolve().as_uri()] == original_id
    sources = _rows(db_path, "SELECT source_count, article_count FROM deals WHERE article_count = 2")
    assert sources and set(sources) == {(1, 2)}, "the copy adds an article but not an independent source"


def test_a_copy_in_a_later_batch_of_one_run_points_at_the_original(
    tmp_path: Path, db_path: Path, monkeypatch
) -> None:
    import json

    from flows import ingest as ingest_mod

    copies = [p for p in sorted(CORPUS.glob("*.json")) if json.loads(p.read_text()).get("syndicated_of")]
    copy = copies[0].with_suffix(".txt")
    original = CORPUS / (json.loads(copies[0].read_text())["syndicated_of"] + ".txt")
    negatives = [
        p.with_suffix(".txt")
        for p in sorted(CORPUS.glob("*.json"))
        if not json.loads(p.read_text()).get("is_deal", True)
    ]
    monkeypatch.setattr(ingest_mod, "INGEST_BATCH", 2)  # original in batch 1, copy in batch 3
    sources = [str(original), str(negatives[0]), str(negatives[1]), str(negatives[2]), str(copy)]
    summary = ingest_mod.ingest(sources, db_path=str(db_path), quiet=True)
    assert summary.duplicates == 1
    rows = dict(_rows(db_path, "SELECT url, duplicate_of FROM articles"))
    original_id = _rows(db_path, f"SELECT article_id FROM articles WHERE url LIKE '%{original.name}'")[0][0]
    assert rows[copy.resolve().as_uri()] == original_id
