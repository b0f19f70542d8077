"""`dealwatch reprocess` redoes only what an older extractor made; `--all` redoes everything."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, REPO

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _corpus(tmp_path: Path, n: int = 4) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for p in sorted((FIXTURES / "corpus").glob("*.txt"))[:n]:
        shutil.copy(p, folder / p.name)
    return folder


def _make_stale(db: Path, how_many: int) -> list[str]:
    """As if an older extractor had made the facts of ``how_many`` documents."""
    con = duckdb.connect(str(db))
    try:
        urls = [
            u
            for (u,) in con.execute(
                "SELECT url FROM raw_documents ORDER BY url LIMIT ?", [how_many]
            ).fetchall()
        ]
        con.execute(
            "UPDATE raw_documents SET processed_version = 'x-older' WHERE url IN (SELECT unnest(?))", [urls]
        )
        con.execute(
            "UPDATE fact_store SET extractor_version = 'x-older' WHERE article_id IN "
            "(SELECT article_id FROM article_store WHERE url IN (SELECT unnest(?)))",
            [urls],
        )
    finally:
        con.close()
    return urls


def _versions(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT processed_version FROM raw_documents UNION SELECT extractor_version FROM fact_store"
        ).fetchall()
    finally:
        con.close()
    return {v for (v,) in rows}


def test_reprocess_redoes_only_the_stale_documents(tmp_path: Path, db_path: Path) -> None:
    from extractors.pipeline import EXTRACTOR_VERSION
    from flows.ingest import ingest
    from flows.reprocess import reprocess
    from flows.summary import render_summary

    folder = _corpus(tmp_path)
    ingest([str(folder)], db_path=str(db_path), quiet=True)
    shutil.rmtree(folder)  # reprocess reads the stored bytes only

    fresh = reprocess(db_path=str(db_path), quiet=True)
    assert (fresh.stale, fresh.fetched, fresh.up_to_date) == (0, 0, 4), "nothing is stale after an ingest"

    stale = _make_stale(db_path, 2)
    summary = reprocess(db_path=str(db_path), quiet=True)
    assert (summary.stale, summary.fetched, summary.up_to_date) == (len(stale), len(stale), 2)
    assert "2 stale document(s) redone" in render_summary(summary) and "2 up to date and skipped" in (
        render_summary(summary)
    )
    assert _versions(db_path) == {EXTRACTOR_VERSION}, "the stale facts were made again by this extractor"

    everything = reprocess(db_path=str(db_path), quiet=True, all_documents=True)
    assert (everything.stale, everything.fetched) == (4, 4)


def test_cli_reprocess_says_how_many_were_stale(tmp_path: Path, db_path: Path, cli_env) -> None:
    from flows.ingest import ingest

    ingest([str(_corpus(tmp_path, 3))], db_path=str(db_path), quiet=True)
    _make_stale(db_path, 1)
    run = [sys.executable, "-m", "flows.cli", "reprocess", "--db", str(db_path)]
    proc = subprocess.run(run, capture_output=True, text=True, timeout=300, env=cli_env, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "1 stale document(s) redone" in proc.stdout and "2 up to date and skipped" in proc.stdout
    proc = subprocess.run([*run, "--all"], capture_output=True, text=True, timeout=300, env=cli_env, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "all 3 stored documents redone (--all)" in proc.stdout
