"""SSRF guard end to end, in a network namespace where only loopback exists.

A feed served on 127.0.0.1 (the host the user named) lists items pointing at cloud metadata, the
LAN, other names for this machine, and a redirect away from the named host. Inside the namespace a
broken guard meets "network unreachable" instead of sending traffic, so the test is safe to run
anywhere `unshare -n` works (root on these machines).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.integration


def _namespace_unavailable() -> str | None:
    if not sys.platform.startswith("linux"):
        return "network namespaces need Linux"
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "unshare or ip (util-linux, iproute2) not installed"
    probe = subprocess.run(
        ["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True, timeout=10
    )
    if probe.returncode != 0:
        return f"cannot create a network namespace here: {probe.stderr.decode(errors='replace').strip()}"
    return None


SKIP = _namespace_unavailable()


def run_probe(*args: str) -> dict:
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" -m tests.ssrf_namespace_probe "$@"']
    proc = subprocess.run([*cmd, sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(SKIP is not None, reason=SKIP or "")
def test_feed_items_pointing_inside_are_refused_and_recorded():
    out = run_probe()
    p = out["port"]
    by_url = {r["url"]: r for r in out["results"]}
    assert len(out["items"]) == 7 and out["problems"] == []

    meta = by_url["http://169.254.169.254/latest/meta-data/"]
    assert meta["status"] == "refused" and meta["error"] == "refused: link-local address 169.254.169.254"
    lan = by_url["http://10.0.0.1/admin"]
    assert lan["status"] == "refused" and lan["error"] == "refused: private address 10.0.0.1"

    other_name = by_url[f"http://localhost:{p}/redirect?to=http://127.0.0.1:{p}/a/1.html"]
    assert other_name["status"] == "refused" and "loopback address" in other_name["error"]
    assert "(host localhost)" in other_name["error"]

    away = by_url[f"http://127.0.0.1:{p}/redirect?to=http://localhost:{p}/a/2.html"]
    assert away["status"] == "refused" and "(host localhost)" in away["error"]
    assert away["redirects"] == [f"http://localhost:{p}/a/2.html"]  # the hop was seen, then refused

    assert by_url[f"http://127.0.0.2:{p}/a/3.html"]["error"] == "refused: loopback address 127.0.0.2"
    mapped = by_url[f"http://[::ffff:127.0.0.1]:{p}/b/1.html"]
    assert mapped["status"] == "refused" and "inside ::ffff:127.0.0.1" in mapped["error"]

    assert by_url[f"http://127.0.0.1:{p}/page.html"]["status"] == "ok"

    # The server saw the feed, robots.txt, the allowed page and the first hop of the redirect; nothing else.
    hosts = {h["host"] for h in out["hits"]}
    assert hosts == {f"127.0.0.1:{p}"}
    assert not any(h["path"].startswith(("/a/", "/b/")) for h in out["hits"])


@pytest.mark.skipif(SKIP is not None, reason=SKIP or "")
def test_allow_private_lets_the_same_loopback_items_through():
    """Same feed with --allow-private: the loopback names now answer (the refusals above were the guard)."""
    out = run_probe("--allow-private")
    p = out["port"]
    by_url = {r["url"]: r for r in out["results"]}
    assert by_url[f"http://127.0.0.2:{p}/a/3.html"]["status"] == "ok"
    assert by_url[f"http://localhost:{p}/redirect?to=http://127.0.0.1:{p}/a/1.html"]["status"] == "ok"
    assert all(r["status"] == "ok" for r in out["results"]), out["results"]
