"""Flow-run heartbeats: none to Prefect's temporary API (every run waited up to 1 s for them)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def settings_restored():
    """Prefect's settings as a fresh process reads them (another test may have dropped the
    heartbeats already), and as they were after the test."""
    from prefect import context

    saved = context.GLOBAL_SETTINGS_CONTEXT.settings
    context.GLOBAL_SETTINGS_CONTEXT.settings = context.root_settings_context().settings
    yield
    context.GLOBAL_SETTINGS_CONTEXT.settings = saved


@pytest.mark.usefixtures("settings_restored")
def test_runs_send_no_heartbeats_to_the_temporary_api_but_do_to_a_lasting_one(monkeypatch) -> None:
    from prefect import context

    from flows.prefect_env import guard_ephemeral_server

    def heartbeat() -> int | None:
        # The settings a CLI or library run starts from (a test harness's own context aside).
        return context.GLOBAL_SETTINGS_CONTEXT.settings.flows.heartbeat_frequency

    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    guard_ephemeral_server()
    assert heartbeat() is not None, "a lasting server reads them"
    monkeypatch.delenv("PREFECT_API_URL")
    guard_ephemeral_server()
    assert heartbeat() is None


def test_the_temporary_api_records_no_task_runs_nobody_reads_and_nothing_else_changes(monkeypatch) -> None:
    """The temporary server dies with the process: its task-run recorder, event store and
    automations only cost CPU beside the run. The user's own choice wins, and nothing else
    started from this process (``serve``'s lasting local server) inherits the change."""
    from flows.prefect_env import UNREAD_SERVICES, guard_ephemeral_server, unread_services_off

    names = [f"PREFECT_SERVER_SERVICES_{s}_ENABLED" for s in UNREAD_SERVICES]
    for name in names:  # set then removed: monkeypatch restores them as they were after the test
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    guard_ephemeral_server()
    assert not any(name in os.environ for name in names)
    env = unread_services_off({"PATH": "/bin", names[0]: "true"})
    assert env["PATH"] == "/bin" and env[names[0]] == "true"
    assert all(env[name] == "false" for name in names[1:])
