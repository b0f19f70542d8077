"""Shared fixtures: one Prefect test harness per session, paths to the project's fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.prefect_env import configure_prefect

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEEDS = REPO.parent / "shared" / "seeds"


def pytest_configure(config: pytest.Config) -> None:
    """Prefect configured as the CLI configures it, once, when the test session starts."""
    configure_prefect()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles in ../shared/seeds beside the repository; tests skip (with the reason) only
    when that folder is absent, e.g. on a clone without shared/ next to it."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (shared/ is not beside the repository)")
    return SEEDS


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow test (start-up costs ~10 s on these machines)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "dw.duckdb"


@pytest.fixture(scope="session")
def cli_env() -> dict[str, str]:
    """Environment for running the CLI in a subprocess: offline Prefect, this venv first on PATH."""
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "60"
    env["DEALWATCH_WORKERS"] = "1"  # no Dask cluster per CLI test (tests/test_parallel.py runs one)
    return env
