"""README's way to serve the fixture site by hand: `python -m flows.site_server` fills {{base_url}}."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration


def test_the_fixture_site_served_by_hand_links_to_itself() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.site_server", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        base = re.search(r"at (http://127\.0\.0\.1:\d+)/", line).group(1)
        feed = httpx.get(f"{base}/feed.xml", timeout=10).text
        links = re.findall(r"<link>(.*?)</link>", feed)
        assert "{{base_url}}" not in feed and links
        item = next(u for u in links if u.endswith(".html") and "missing" not in u)
        assert item.startswith(base) and httpx.get(item, timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
