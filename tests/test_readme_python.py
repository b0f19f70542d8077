"""The README's Python example runs as written, against a real database built from the fixtures."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from flows import api

REPO = Path(__file__).resolve().parent.parent


def _python_block() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the README's 'From Python' section has one python block"
    return blocks[0]


@pytest.mark.integration
def test_readme_python_example_runs(tmp_path: Path, prefect_harness, capsys, monkeypatch) -> None:
    (tmp_path / "fixtures").symlink_to(REPO / "fixtures")  # the example runs from the repository root
    monkeypatch.chdir(tmp_path)
    exec(compile(_python_block(), "README.md", "exec"), {"__name__": "readme_example"})  # noqa: S102
    out = capsys.readouterr().out
    counts = re.search(r"^(\d+) new articles, (\d+) deals, (\d+) open conflicts$", out, re.M)
    assert counts, out
    pages = [p for d in ("news", "story") for p in (REPO / "fixtures" / "site" / d).glob("*.html")]
    assert int(counts[1]) == len(pages)
    assert int(counts[2]) == len(api.deals("example.duckdb")) >= 1
    reviewed = api.conflicts("example.duckdb", include_acknowledged=True)
    assert int(counts[3]) == len(reviewed) and {c["status"] for c in reviewed} <= {"acknowledged"}
    assert all(f"{c['field']} — {c['explanation']}" in out for c in reviewed)  # printed, explained
    assert "Thornbury Compute → Pellucid Labs" in out  # the fixture site's deal over 1e9 (gold.json)
    key = ["deal_id", "provider", "customer", "total_value", "currency"]
    before = api.deals("example.duckdb", columns=key)
    fresh = api.reprocess("example.duckdb")  # nothing an older extractor read: nothing to redo
    assert fresh.exit_code == 0 and fresh.fetched == 0 and fresh.up_to_date == len(pages)
    again = api.reprocess("example.duckdb", all_documents=True)  # offline, from the stored bytes
    assert again.exit_code == 0 and again.fetched == len(pages)
    assert api.deals("example.duckdb", columns=key) == before  # the same deals, the same ids
    assert api.conflicts("example.duckdb") == [], "a review carries over a reprocess"

    from storage.export import VIEWS

    assert sorted(os.listdir("exports")) == sorted(f"{v}.csv" for v in VIEWS)  # one file per view


def test_library_import_configures_and_starts_nothing() -> None:
    """`import flows.api` / `flows.ingest` changes no environment variable and starts no thread."""
    import subprocess
    import sys

    code = (
        "import os, sys, threading\n"
        "before = dict(os.environ)\n"
        "import flows.api, flows.ingest, flows.reprocess\n"
        "assert dict(os.environ) == before, set(os.environ) ^ set(before)\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr
