"""Runs interrupted at any moment lose nothing: the CLI killed (SIGKILL) or interrupted (SIGINT to
its process group) at several points, then rerun, ends with the same deals and counts as one clean
run, never downloads a page body twice, and leaves no process behind."""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from hashlib import sha1
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import psutil
import pytest

from tests.conftest import FIXTURES

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CORPUS = sorted((FIXTURES / "corpus").glob("*.txt"))
N_PAGES = 6  # served over HTTP (one request per second per host: politeness)
N_FILES = 10  # read from a folder
RUN_TIMEOUT = 240


class EtagSite:
    """Corpus articles as HTML pages plus an RSS feed on loopback, with ETags (304 on a match);
    counts the full-body responses per path."""

    def __init__(self, articles: list[Path]) -> None:
        self.pages = {f"/a/{p.stem}.html": self._page(p) for p in articles}
        self.full_bodies: dict[str, int] = {}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body = site.body(self.path)
                if body is None:
                    self.send_error(404)
                    return
                tag = '"' + sha1(body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
                with site.lock:
                    site.full_bodies[self.path] = site.full_bodies.get(self.path, 0) + 1
                self.send_response(200)
                ctype = "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
                self.send_header("Content-Type", ctype)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @staticmethod
    def _page(path: Path) -> bytes:
        title, _, text = path.read_text(encoding="utf-8").partition("\n")
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        return (
            f"<html><head><title>{html.escape(title)}</title></head><body><article>"
            f"<h1>{html.escape(title)}</h1>{paras}</article></body></html>"
        ).encode()

    def body(self, path: str) -> bytes | None:
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        if path == "/feed.xml":
            items = "".join(f"<item><title>x</title><link>{self.base}{p}</link></item>" for p in self.pages)
            return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
        return self.pages.get(path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def site():
    s = EtagSite(CORPUS[:N_PAGES])
    yield s
    s.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "files"
    out.mkdir()
    for p in CORPUS[N_PAGES : N_PAGES + N_FILES]:
        (out / p.name).write_bytes(p.read_bytes())
    return out


@pytest.fixture
def env(cli_env) -> dict[str, str]:
    return {**cli_env, "DEALWATCH_INGEST_BATCH": "4", "DEALWATCH_EXTRACT_BATCH": "2"}


def _state(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "deals": q(
                "SELECT deal_id, provider, customer, total_value, article_count FROM deals ORDER BY 1"
            ),
            "articles": q(
                "SELECT url, status, duplicate_of IS NULL, is_deal_relevant FROM articles ORDER BY 1"
            ),
            "mentions": q("SELECT count(*) FROM mention_store")[0][0],
            "facts": q("SELECT count(*) FROM fact_store")[0][0],
            "conflicts": q("SELECT conflict_id, field FROM conflicts ORDER BY 1"),
        }
    finally:
        con.close()


class Cli:
    """The CLI in its own process group, its stderr read line by line as it comes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = RUN_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(re.search(pattern, line) for line in self.lines):
                return
            if self.proc.poll() is not None:
                time.sleep(0.2)
                if not any(re.search(pattern, line) for line in self.lines):
                    raise AssertionError(f"ended before {pattern!r}:\n{''.join(self.lines)[-3000:]}")
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {pattern!r}:\n{''.join(self.lines)[-3000:]}")

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)

    def finish(self, timeout: float = RUN_TIMEOUT) -> tuple[int, str, str]:
        out = self.proc.stdout.read() if self.proc.stdout else ""
        rc = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return rc, out, "".join(self.lines)


def _assert_gone(procs: list[psutil.Process], within: float) -> None:
    deadline = time.monotonic() + within
    alive = procs
    while time.monotonic() < deadline:
        alive = [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return
        time.sleep(0.2)
    raise AssertionError(f"processes outlived the CLI: {[p.cmdline()[:6] for p in alive]}")


def _killed_at(pattern: str, args: list[str], env: dict[str, str]) -> None:
    """Run the CLI, SIGKILL it when ``pattern`` appears on stderr; its children must die too."""
    cli = Cli(args, env)
    cli.wait_for(pattern)
    children = cli.children()
    own_server = "PREFECT_API_URL" not in env
    assert bool(children) == own_server, "the run starts Prefect's temporary API server when it has none"
    os.kill(cli.proc.pid, signal.SIGKILL)
    cli.finish()
    _assert_gone(children, within=8)


def test_a_run_interrupted_at_any_moment_is_finished_by_the_next(
    tmp_path: Path, site: EtagSite, folder: Path, env, prefect_harness
) -> None:
    from flows.ingest import ingest

    sources = [f"{site.base}/feed.xml", str(folder)]
    clean_db = tmp_path / "clean.duckdb"
    clean = ingest(sources, db_path=str(clean_db), quiet=True)
    assert clean.documents == N_PAGES + N_FILES and not clean.failed
    expected = _state(clean_db)
    assert expected["deals"], "the sources hold deals"
    site.full_bodies.clear()

    db = tmp_path / "interrupted.duckdb"
    args = ["ingest", *sources, "--db", str(db)]
    # Runs that start their own temporary Prefect server show it dies with them; the others use
    # the session's server, which saves its start-up (~10-30 s here) per run.
    from prefect.settings import PREFECT_API_URL

    shared = {**env, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    # Each kill must land before the next batch's pages are fetched, or a page is downloaded twice
    # by design: the run holds there (flows.interrupts.pause_point) instead of racing a fetch that
    # starts a second later (a loaded CI machine reacted too late).
    _killed_at(r"stored \d+/", args, {**env, "DEALWATCH_PAUSE_AFTER": "store"})  # first pages stored
    _killed_at(r"extracted 2/", args, {**shared, "DEALWATCH_PAUSE_AFTER": "batch"})  # mid-extraction

    # Ctrl-C in a terminal: SIGINT to the whole process group
    cli = Cli(args, {**env, "DEALWATCH_PAUSE_AFTER": "batch"})
    cli.wait_for(r"extracted \d+/")
    children = cli.children()
    sent = time.monotonic()
    os.killpg(cli.proc.pid, signal.SIGINT)
    rc, out, err = cli.finish(timeout=10)
    assert rc == 130 and time.monotonic() - sent < 5, (rc, err[-2000:])
    assert "Traceback" not in err and "Crash" not in err and "ERROR" not in err, err[-3000:]
    said = [line for line in err.splitlines() if line.startswith("dealwatch:")]
    assert len(said) == 1 and "interrupted" in said[0] and "again" in said[0], err
    _assert_gone(children, within=5)

    # reconciled, not yet published: the run holds there (flows.interrupts.pause_point), else the
    # kill races a publish that takes milliseconds
    _killed_at(r"reconciled", args, {**shared, "DEALWATCH_PAUSE_AFTER": "reconcile"})

    last = subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        env=shared,
        timeout=RUN_TIMEOUT,
    )
    assert last.returncode == 0, last.stderr[-3000:]
    assert _state(db) == expected, "the same articles, deals and conflicts as one clean run"
    pages = {path: n for path, n in site.full_bodies.items() if path.startswith("/a/")}
    assert len(pages) == N_PAGES and set(pages.values()) == {1}, f"a page was downloaded twice: {pages}"

    runs = subprocess.run(
        [sys.executable, "-m", "flows.cli", "runs", "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    statuses = [r["status"] for r in json.loads(runs.stdout)]
    assert statuses == ["completed"] + ["interrupted"] * 4, statuses
