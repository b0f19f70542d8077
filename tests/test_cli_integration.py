"""The CLI as a user runs it (subprocesses), against the fixture site on a real loopback server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flows.site_server import SiteServer
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration

SITE = FIXTURES / "site"
GOLD = json.loads((SITE / "gold.json").read_text())


def dealwatch(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def _sql(db: Path, query: str, env: dict[str, str]) -> list[dict]:
    proc = dealwatch("sql", query, "--db", str(db), "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_demo_ingests_the_fixture_site_and_prints_deals_and_conflicts(tmp_path: Path, cli_env) -> None:
    db = tmp_path / "demo.duckdb"
    proc = dealwatch("demo", "--db", str(db), env=cli_env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "Deals" in out and "Conflicts" in out
    assert "Traceback" not in proc.stderr
    failed = GOLD["failed"][0]
    assert re.search(r"1 failed", out) and failed["reason"] in out and failed["path"] in out
    for deal in GOLD["deals"]:
        assert deal["provider"] in out and deal["customer"] in out

    deals = _sql(db, "SELECT provider, customer, source_count, article_count FROM deals", cli_env)
    by_parties = {(d["provider"], d["customer"]): d for d in deals}
    for deal in GOLD["deals"]:
        got = by_parties.get((deal["provider"], deal["customer"]))
        assert got, f"missing deal {deal['provider']} → {deal['customer']} in {deals}"
        assert got["article_count"] == deal["article_count"]
        assert got["source_count"] == deal["source_count"], "a syndicated copy counts once"

    conflicts = _sql(db, "SELECT field, severity FROM conflicts", cli_env)
    for c in GOLD["conflicts"]:
        assert {"field": c["field"], "severity": c["expected_severity"]} in conflicts

    articles = _sql(
        db, "SELECT url, status, status_note, is_deal_relevant, duplicate_of FROM articles", cli_env
    )
    assert any(
        a["url"].endswith(failed["path"]) and a["status"] == "failed" and "404" in a["status_note"]
        for a in articles
    ), "an analyst filters status = 'failed'; the note says why"
    assert sum(1 for a in articles if a["duplicate_of"]) >= 1


def test_ingest_twice_reports_unchanged_and_keeps_the_views_stable(tmp_path: Path, cli_env) -> None:
    db = tmp_path / "site.duckdb"
    with SiteServer(SITE) as server:
        feed = f"{server.base_url}/feed.xml"
        first = dealwatch("ingest", feed, "--db", str(db), env=cli_env)
        assert first.returncode == 0, first.stderr[-2000:]
        assert re.search(r"articles: \d+ fetched; [1-9]\d* new", first.stdout), first.stdout
        assert "progress" in first.stderr.lower() or "fetched" in first.stderr
        deals_first = _sql(db, "SELECT deal_id, provider, customer FROM deals ORDER BY deal_id", cli_env)
        second = dealwatch("ingest", feed, "--db", str(db), "--quiet", env=cli_env)
        assert second.returncode == 0, second.stderr[-2000:]
    assert re.search(r"0 new, 0 changed, [1-9]\d* unchanged", second.stdout), second.stdout
    assert second.stderr.count("·") == 0, "--quiet prints no progress lines"
    assert _sql(db, "SELECT deal_id, provider, customer FROM deals ORDER BY deal_id", cli_env) == deals_first
    n = _sql(db, "SELECT count(*) AS n, count(DISTINCT article_id) AS d FROM articles", cli_env)[0]
    assert n["n"] == n["d"]


def test_nothing_ingestable_exits_non_zero_with_reasons(tmp_path: Path, cli_env) -> None:
    proc = dealwatch(
        "ingest", str(tmp_path / "missing-folder"), "--db", str(tmp_path / "x.duckdb"), env=cli_env
    )
    assert proc.returncode == 1
    assert "missing-folder" in proc.stdout
    assert "Traceback" not in proc.stderr
