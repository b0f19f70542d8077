"""Honest counts: every document is counted once (new, changed, unchanged, duplicate, skipped or
failed, adding up to the total), a deal is 'updated' only when a value changed, a binary page is a
failure, and `--refetch` on an ingested database is a success."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

CORPUS = FIXTURES / "corpus"


def _folder(tmp_path: Path) -> Path:
    """One deal told three times (one a syndicated copy), a page that is not an article, a binary page."""
    meta = {p.stem: json.loads(p.read_text()) for p in CORPUS.glob("*.json")}
    copy = next(stem for stem, m in sorted(meta.items()) if m.get("syndicated_of"))
    original = meta[copy]["syndicated_of"]
    other = next(
        stem for stem, m in sorted(meta.items()) if m.get("is_deal") and stem not in (copy, original)
    )
    folder = tmp_path / "docs"
    folder.mkdir()
    for stem in (original, copy, other):
        shutil.copy(CORPUS / f"{stem}.txt", folder / f"{stem}.txt")
    (folder / "menu.html").write_text("<html><body><nav>Home</nav></body></html>")
    (folder / "scan.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    return folder


def _adds_up(s) -> None:
    parts = s.new + s.changed + s.unchanged + s.duplicates + len(s.skipped) + len(s.failed)
    assert parts == s.documents == 5, s.counts()


def test_counts_add_up_and_rerun_or_refetch_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    from flows.ingest import ingest
    from flows.summary import render_summary

    folder = _folder(tmp_path)
    first = ingest([str(folder)], db_path=str(db_path), quiet=True)
    _adds_up(first)
    assert (first.new, first.duplicates, len(first.skipped), len(first.failed)) == (2, 1, 1, 1)
    assert "binary" in first.failed[0].reason and first.failed[0].location.endswith("scan.html")
    assert first.exit_code == 0 and first.deals_created >= 1

    again = ingest([str(folder)], db_path=str(db_path), quiet=True)
    _adds_up(again)
    assert len(again.failed) == 1, "the same bytes fail the same way on every run"
    assert again.unchanged == 4 and again.new == again.changed == again.deals_updated == 0

    refetched = ingest([str(folder)], db_path=str(db_path), quiet=True, refetch=True)
    _adds_up(refetched)
    assert refetched.exit_code == 0, "re-reading everything is a success, not 'nothing ingested'"
    assert refetched.new == refetched.changed == refetched.deals_created == refetched.deals_updated == 0
    text = render_summary(refetched)
    assert "1 source (" in text and str(folder) in text, "the source count matches the names shown"
