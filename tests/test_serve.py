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

from tests.conftest import FIXTURES

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


def test_serve_starts_a_local_server_schedules_one_run_at_a_time_and_runs_the_flow(
    tmp_path: Path, cli_env
) -> None:
    article = next(FIXTURES.glob("corpus/001_*.txt"))
    db = tmp_path / "served.duckdb"
    err_path = tmp_path / "serve.err"
    with open(err_path, "w") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flows.cli",
                "serve",
                str(article),
                "--cron",
                "0 0 1 1 *",
                "--db",
                str(db),
            ],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=cli_env,
        )
    try:
        api = _wait_for(
            lambda: (m := re.search(r"http://127\.0\.0\.1:\d+/api", err_path.read_text())) and m.group(0),
            120,
            "the local Prefect server",
        )
        assert "starting a local Prefect server" in err_path.read_text()
        deployment = _wait_for(lambda: _api(f"{api}/deployments/filter"), 60, "the deployment")[0]
        assert deployment["name"] == "dealwatch-ingest"
        assert deployment["parameters"]["db_path"] == str(db.resolve())
        assert deployment["parameters"]["workers"] == 1  # DEALWATCH_WORKERS reaches every served run
        assert deployment["schedules"][0]["schedule"]["cron"] == "0 0 1 1 *"
        assert deployment["global_concurrency_limit"]["limit"] == 1
        assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"

        run = _api(f"{api}/deployments/{deployment['id']}/create_flow_run", {})
        state = _wait_for(
            lambda: (
                (s := _get(f"{api}/flow_runs/{run['id']}")["state"]["type"])
                in ("COMPLETED", "FAILED", "CRASHED")
                and s
            ),
            240,
            "the served flow run",
        )
        assert state == "COMPLETED", _get(f"{api}/flow_runs/{run['id']}")
        assert db.exists() and Path(str(db) + ".snapshot").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert "Stopped the local Prefect server" in err_path.read_text()
    with pytest.raises(OSError):
        _request(f"{api}/health", tries=1)
