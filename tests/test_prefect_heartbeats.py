"""Flow-run heartbeats: none to Prefect's temporary API (every run waited up to 1 s for them)."""

from __future__ import annotations

import pytest


@pytest.fixture
def settings_restored():
    """The process's Prefect settings as they were before the test."""
    from prefect import context

    saved = context.GLOBAL_SETTINGS_CONTEXT.settings
    yield
    context.GLOBAL_SETTINGS_CONTEXT.settings = saved


@pytest.mark.usefixtures("settings_restored")
def test_runs_send_no_heartbeats_to_the_temporary_api_but_do_to_a_lasting_one(monkeypatch) -> None:
    from prefect.settings import get_current_settings

    from flows.prefect_env import guard_ephemeral_server

    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    guard_ephemeral_server()
    assert get_current_settings().flows.heartbeat_frequency is not None, "a lasting server reads them"
    monkeypatch.delenv("PREFECT_API_URL")
    guard_ephemeral_server()
    assert get_current_settings().flows.heartbeat_frequency is None
