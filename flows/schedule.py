"""Scheduled runs: serve the ``ingest`` flow on a cron schedule, one run at a time.

Prefect's temporary API refuses schedules, so without PREFECT_API_URL we start a local
``prefect server`` on 127.0.0.1 ourselves, point this process at it, and stop it on exit.
Overlapping runs are cancelled (CANCEL_NEW), not queued forever behind a slow one.

The one concurrency slot lives in the server's database beside the DuckDB file, and a run that
was interrupted (Ctrl-C on serve, a kill) never gives it back: every later run would then be
cancelled as "Deployment concurrency limit reached", silently, for good. So serve frees it —
and marks the abandoned flow runs crashed — when it starts and again when it stops.
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

from flows.orphan_guard import guarded_command

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
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with open(log_path, "ab") as log:
        # Its own session (a Ctrl-C for serve must not stop it before serve has cleaned up) and
        # the orphan guard (it exits when serve does, even after kill -9).
        proc = subprocess.Popen(
            guarded_command(command), stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
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

    api = os.environ.get("PREFECT_API_URL", "")
    print(
        f"Serving flow 'ingest' as deployment 'ingest/{name}' on {cron!r}. Start a run now with:\n"
        f"  PREFECT_API_URL={api} {sys.executable} -m prefect deployment run 'ingest/{name}'\n"
        f"and list the runs with: dealwatch runs --db {db}",
        file=sys.stderr,
        flush=True,
    )
    ingest.serve(
        name=name,
        cron=cron,
        parameters={
            **sources,
            "db_path": str(Path(db).resolve()),
            "allow_private": allow_private,
            "quiet": True,
            "announce": True,
        },
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy="CANCEL_NEW"),
        print_starting_message=False,
    )


def free_abandoned(name: str, db: str) -> int:
    """Give back what interrupted runs of deployment ``ingest/name`` hold: crash their flow runs
    still marked running or pending, set the deployment's concurrency slots to zero, and mark
    their rows in `runs` interrupted. Only call it while no run of this deployment is going."""
    from prefect.utilities.asyncutils import run_coro_as_sync

    freed = run_coro_as_sync(_free_slots(f"ingest/{name}")) or 0
    with suppress(Exception):
        from storage.db import connection
        from storage.runs import mark_abandoned

        with connection(db) as con:
            mark_abandoned(con)
    return freed


async def _free_slots(deployment_name: str) -> int:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate
    from prefect.client.schemas.filters import DeploymentFilter, FlowRunFilter
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Crashed

    async with get_client() as client:
        try:
            deployment = await client.read_deployment_by_name(deployment_name)
        except ObjectNotFound:
            return 0
        runs = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id={"any_": [deployment.id]}),
            flow_run_filter=FlowRunFilter(state={"type": {"any_": ["RUNNING", "PENDING", "CANCELLING"]}}),
        )
        for run in runs:
            await client.set_flow_run_state(
                run.id, Crashed(message="dealwatch serve stopped during this run"), force=True
            )
        limit = deployment.global_concurrency_limit
        if limit is not None and limit.active_slots:
            await client.update_global_concurrency_limit(
                limit.name, GlobalConcurrencyLimitUpdate(active_slots=0)
            )
        return len(runs) + (limit.active_slots if limit is not None else 0)


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
        _report_freed(free_abandoned(name, db), "left by an earlier serve")
        try:
            with suppress(KeyboardInterrupt):
                _serve(sources, db, cron, name, allow_private)
        finally:
            with suppress(Exception, KeyboardInterrupt):
                _report_freed(free_abandoned(name, db), "held by the interrupted run")
    print("Stopped the local Prefect server.", file=sys.stderr)
    return 0


def _report_freed(freed: int, what: str) -> None:
    if freed:
        print(f"Freed the run slot {what}.", file=sys.stderr, flush=True)
