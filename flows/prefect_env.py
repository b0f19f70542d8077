"""Prefect's settings for dealwatch, applied when a command or library call starts — never at import.

Offline machines: no telemetry, a generous start-up timeout for the temporary local API (~10 s
here on first start), and Prefect's own log lines hidden unless asked for (``--verbose``): the
run summary and one-line errors are what a user reads. Importing a flow module changes nothing;
``configure_prefect`` is called by the CLI entry (flows/cli.py) and the library (flows/api.py).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from typing import Any


def configure_prefect(verbose: bool = False) -> None:
    """Set dealwatch's Prefect defaults in the environment (what the user set wins), where the
    temporary API server started by the first flow run reads them too. Prefect reads its settings
    when it is first imported: if it already was (a library caller imported it), they are read
    again and its logging set up again, so the call works before or after that import."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "60")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "false")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_UI_ENABLED", "false")
    if "prefect.context" in sys.modules:
        from prefect.context import refresh_global_settings_context
        from prefect.logging.configuration import setup_logging

        refresh_global_settings_context()
        setup_logging()


class _GuardedSubprocess:
    """Stands in for the ``subprocess`` module inside Prefect's server module: the temporary API
    server starts in its own session (a Ctrl-C meant for dealwatch does not kill the API that
    Prefect still needs to record the run's end) under ``flows.orphan_guard`` (it dies with us,
    even after kill -9)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(args: list[str], **kwargs: Any) -> subprocess.Popen:  # noqa: N802 - the name it replaces
        from flows.orphan_guard import guarded_command

        kwargs.setdefault("start_new_session", True)
        kwargs["env"] = unread_services_off(kwargs.get("env"))
        return subprocess.Popen(guarded_command(list(args)), **kwargs)


def guard_ephemeral_server() -> None:
    """Make Prefect's temporary local API server (prefect.server.api.server.SubprocessASGIServer,
    started by the first flow run when PREFECT_API_URL is unset) die with this process, start
    without the services nobody reads (unread_services_off), and send it no heartbeats
    (drop_heartbeats)."""
    if os.environ.get("PREFECT_API_URL"):
        return
    drop_heartbeats()
    from prefect.server.api import server

    if not isinstance(server.subprocess, _GuardedSubprocess):
        server.subprocess = _GuardedSubprocess()  # type: ignore[assignment]


def drop_heartbeats() -> None:
    """No flow-run heartbeats while the API is Prefect's temporary one (no PREFECT_API_URL).

    Heartbeats let a lasting Prefect server notice a crashed run; the temporary server dies with
    this process, so none is ever read. And the heartbeat thread sleeps in 1-second steps that
    every flow run waits out when it ends (Prefect joins it): measured, a flow of 0.3 s took
    1.13-1.28 s with heartbeats and 0.43-0.45 s without, on the critical path of every ingest."""
    from prefect.context import GLOBAL_SETTINGS_CONTEXT
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    settings = GLOBAL_SETTINGS_CONTEXT.settings
    if settings.api.url:  # a server named in a Prefect profile rather than the environment
        return
    if settings.flows.heartbeat_frequency is not None:
        updates = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
        GLOBAL_SETTINGS_CONTEXT.settings = settings.copy_with_update(updates=updates)


#: The temporary server's services that store task runs and events or react to them
#: (automations); all of it dies with the process unread.
UNREAD_SERVICES = ("TASK_RUN_RECORDER", "EVENT_PERSISTER", "TRIGGERS")


def unread_services_off(env: dict[str, str] | None) -> dict[str, str]:
    """The temporary API server's environment without the services that record task runs and
    events for later reading: that server lives only as long as this process and serves no UI,
    so nobody reads them, while recording cost ~30 ms of its CPU per task run on the same two
    cores as the run (measured: 50 no-op tasks, 1.76-1.85 -> 0.18-0.26 CPU-s). Flow runs, their
    states and artifacts are written by API calls, not by these services, and stay. A user's own
    setting wins; only this server gets it (``serve``'s lasting local server keeps them all)."""
    env = dict(os.environ if env is None else env)
    for service in UNREAD_SERVICES:
        env.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")
    return env


def kill_ephemeral_server() -> None:
    """Stop Prefect's temporary API server now, without its graceful shutdown (~4 s here): used
    when a run was interrupted and the user is waiting for the prompt. Its database is SQLite,
    which a killed writer leaves consistent."""
    server = sys.modules.get("prefect.server.api.server")
    if server is None:
        return
    for instance in list(server.SubprocessASGIServer._instances.values()):
        proc = instance.server_process
        if proc is not None and proc.poll() is None:
            proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=2)
