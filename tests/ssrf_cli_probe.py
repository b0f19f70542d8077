"""Run inside a fresh network namespace: serve a hostile feed and ingest it with the real CLI.

Prints one JSON object: the CLI's exit status and output, the `articles` rows, and the server's
request log. Used by tests/test_ssrf_cli_namespace.py; not a test module itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from tests.misbehaving_server import MisbehavingServer


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, MisbehavingServer(host="127.0.0.1", bind="0.0.0.0") as st:
        p = st.port
        st.feed_links = [
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/admin",
            f"http://localhost:{p}/redirect?to=http://127.0.0.1:{p}/a/1.html",
            f"http://127.0.0.1:{p}/redirect?to=http://localhost:{p}/a/2.html",
            f"http://127.0.0.1:{p}/page.html",
        ]
        db = Path(tmp) / "ns.duckdb"
        proc = subprocess.run(
            [sys.executable, "-m", "flows.cli", "ingest", st.url("/feed.xml"), "--db", str(db), "--quiet"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        rows = []
        if db.exists():
            con = duckdb.connect(str(db), read_only=True)
            rows = con.execute(
                "SELECT url, concat_ws(': ', status, status_note) AS status FROM articles ORDER BY url"
            ).fetchall()
            con.close()
        print(
            json.dumps(
                {
                    "port": p,
                    "returncode": proc.returncode,
                    "stdout": proc.stdout,
                    "stderr": proc.stderr[-3000:],
                    "articles": dict(rows),
                    "hits": [{"path": h.path, "host": h.headers.get("host")} for h in st.hits],
                }
            )
        )


if __name__ == "__main__":
    main()
