"""`dealwatch serve`: a real local Prefect server, a cron deployment limited to one run at a time."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _request(req: urllib.request.Request | str, tries: int = 10) -> object:
    """The local server answers 503 for a moment when the machine is busy: try again."""
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback only
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or attempt == tries - 1:
                raise
        time.sleep(1)
    raise AssertionError("unreachable")


def _api(url: str, body: dict | None = None) -> object:
    return _request(
        urllib.request.Request(
            url,
            data=json.dumps(body or {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
    )


def _get(url: str) -> dict:
    return _request(url)


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def _serve(args: list[str], out: Path, err: Path, env: dict[str, str]) -> subprocess.Popen:
    with open(out, "w") as o, open(err, "w") as e:
        return subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", *args],
            stdout=o,
            stderr=e,
            env=env,
            start_new_session=True,  # its own process group, as in a terminal
        )


def _ctrl_c(proc: subprocess.Popen, timeout: float = 90) -> None:
    import os

    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise


def test_serve_schedules_runs_its_hint_works_and_an_interrupted_run_does_not_stop_it(
    tmp_path: Path, cli_env
) -> None:
    """A local server, a cron deployment limited to one run at a time, a printed hint that starts
    a run as printed. Ctrl-C during a run used to keep the deployment's only concurrency slot, so
    every later run was cancelled, silently: a restarted serve runs the next minute's run to the end."""
    import psutil

    from tests.test_interrupted_runs import CORPUS, EtagSite

    site = EtagSite(CORPUS[:10])  # ten pages at one request per second: a run long enough to interrupt
    db = tmp_path / "served.duckdb"
    args = [f"{site.base}/feed.xml", "--cron", "* * * * *", "--db", str(db)]
    out, err = tmp_path / "serve.out", tmp_path / "serve.err"
    try:
        first = _serve(args, out, err, cli_env)
        try:
            api = _wait_for(
                lambda: (m := re.search(r"http://127\.0\.0\.1:\d+/api", err.read_text())) and m.group(0),
                120,
                "the local Prefect server",
            )
            assert "starting a local Prefect server" in err.read_text()
            deployment = _wait_for(lambda: _api(f"{api}/deployments/filter"), 60, "the deployment")[0]
            assert deployment["name"] == "dealwatch-ingest"
            assert deployment["parameters"]["db_path"] == str(db.resolve())
            assert deployment["parameters"]["workers"] == 1  # DEALWATCH_WORKERS reaches every served run
            assert deployment["schedules"][0]["schedule"]["cron"] == "* * * * *"
            assert deployment["global_concurrency_limit"]["limit"] == 1
            assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
            hint = next(line.strip() for line in err.read_text().splitlines() if "deployment run" in line)
            ran = subprocess.run(hint, shell=True, capture_output=True, text=True, env=cli_env, timeout=120)
            assert ran.returncode == 0, ran.stdout + ran.stderr  # the hint works as printed
            started = _wait_for(
                lambda: re.search(r"run (\w+) started", out.read_text()), 200, "a run to start"
            )
            children = psutil.Process(first.pid).children(recursive=True)
        finally:
            _ctrl_c(first)
        interrupted = started.group(1)
        assert "Traceback" not in err.read_text(), err.read_text()[-3000:]
        assert "Stopped the local Prefect server" in err.read_text()
        assert re.search(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] run \w+ started", out.read_text())
        _wait_for(
            lambda: not any(p.is_running() and p.status() != "zombie" for p in children),
            20,
            "no process left",
        )
        with pytest.raises(OSError):
            _request(f"{api}/health", tries=1)

        out2, err2 = tmp_path / "serve2.out", tmp_path / "serve2.err"
        second = _serve(args, out2, err2, cli_env)
        try:
            done = _wait_for(
                lambda: re.search(r"run (\w+) completed in", out2.read_text()),
                200,
                "the next run to complete",
            )
        finally:
            _ctrl_c(second)
        assert "Deployment concurrency limit reached" not in out2.read_text() + err2.read_text()
        assert "deals:" in out2.read_text(), "the run's summary is printed"
    finally:
        site.close()
    runs = subprocess.run(
        [sys.executable, "-m", "flows.cli", "runs", "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=60,
    )
    status = {r["run_id"]: r["status"] for r in json.loads(runs.stdout)}
    assert status[interrupted] == "interrupted" and status[done.group(1)] == "completed", status
