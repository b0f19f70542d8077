"""Scheduled runs: serve the ``ingest`` flow on a cron schedule, one run at a time.

Prefect's temporary API refuses schedules, so without PREFECT_API_URL we start a local
``prefect server`` on 127.0.0.1 ourselves, point this process at it, and stop it on exit.
Overlapping runs are cancelled (CANCEL_NEW), not queued forever behind a slow one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

SERVER_START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as resp:  # noqa: S310 - loopback only
            return resp.status == 200
    except OSError:
        return False


@contextmanager
def local_prefect_server(log_path: Path) -> Iterator[str]:
    """Start `prefect server start` on a free loopback port; yield its API URL; stop it."""
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # The server keeps its own state beside the dealwatch database, not in ~/.prefect, so two
    # dealwatch databases never share (and overwrite) each other's deployments.
    state_db = log_path.parent / "prefect-server.db"
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{state_db}",
    }
    env.pop("PREFECT_API_URL", None)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(api_url):
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited with status {proc.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"prefect server did not start within {SERVER_START_TIMEOUT:.0f}s; see {log_path}"
                )
            time.sleep(0.5)
        yield api_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _serve(sources: dict, db: str, cron: str, name: str, allow_private: bool) -> None:
    from prefect.client.schemas.objects import ConcurrencyLimitConfig

    from flows.ingest import ingest

    ingest.serve(
        name=name,
        cron=cron,
        parameters={**sources, "db_path": str(Path(db).resolve()), "allow_private": allow_private},
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy="CANCEL_NEW"),
        print_starting_message=True,
    )


def cron_problem(cron: str) -> str | None:
    """Why a cron expression is invalid, or None — checked before any server starts."""
    from datetime import datetime

    from cronsim import CronSim, CronSimError

    try:
        CronSim(cron, datetime.now())
    except CronSimError as exc:
        return f"invalid cron expression {cron!r}: {exc}"
    return None


def serve_ingest(sources: dict, *, db: str, cron: str, name: str, allow_private: bool = False) -> int:
    """Block serving scheduled runs until interrupted. Must run before Prefect is imported.

    ``sources`` is ``{"sources": [...]}`` and/or ``{"sources_file": path}`` (flow parameters).
    """
    if os.environ.get("PREFECT_API_URL"):
        print(f"Serving on the Prefect API at {os.environ['PREFECT_API_URL']}", file=sys.stderr)
        _serve(sources, db, cron, name, allow_private)
        return 0
    log_path = Path(db).resolve().parent / "prefect-server.log"
    print(f"PREFECT_API_URL is not set: starting a local Prefect server (log: {log_path})", file=sys.stderr)
    with local_prefect_server(log_path) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        print(f"Local Prefect server at {api_url}; schedule {cron!r}; Ctrl-C stops both", file=sys.stderr)
        with suppress(KeyboardInterrupt):
            _serve(sources, db, cron, name, allow_private)
    print("Stopped the local Prefect server.", file=sys.stderr)
    return 0
