"""The SSRF guard through the real CLI, in a network namespace with only loopback up.

A broken guard would meet "network unreachable" there instead of sending traffic anywhere.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.test_ssrf_namespace import SKIP

pytestmark = [pytest.mark.integration, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]


def test_cli_ingest_refuses_and_records_internal_addresses_from_a_feed(cli_env) -> None:
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" -m tests.ssrf_cli_probe']
    proc = subprocess.run(
        [*cmd, sys.executable], cwd=REPO, capture_output=True, text=True, timeout=400, env=cli_env
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    p = out["port"]
    assert out["returncode"] == 0, out["stderr"]
    articles = out["articles"]

    assert articles["http://169.254.169.254/latest/meta-data/"].startswith(
        "failed: refused: link-local address"
    )
    assert articles["http://10.0.0.1/admin"].startswith("failed: refused: private address")
    assert "refused" in articles[f"http://localhost:{p}/redirect?to=http://127.0.0.1:{p}/a/1.html"]
    assert "refused" in articles[f"http://127.0.0.1:{p}/redirect?to=http://localhost:{p}/a/2.html"]
    page = articles[f"http://127.0.0.1:{p}/page.html"]
    assert not page.startswith("failed"), (
        "the named host itself is fetched (the page is too short to extract)"
    )
    assert "refused: link-local address 169.254.169.254" in out["stdout"], "the summary says why"

    assert {h["host"] for h in out["hits"]} == {f"127.0.0.1:{p}"}
    assert not any(h["path"].startswith("/a/") for h in out["hits"])
