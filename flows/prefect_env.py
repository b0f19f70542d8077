"""Prefect settings that must be in the environment before ``prefect`` is first imported.

Offline machines: no telemetry, a generous start-up timeout for the temporary local API (~10 s
here on first start), and Prefect's own log lines kept below the run summary unless asked for.
"""

from __future__ import annotations

import os


def configure_prefect(verbose: bool = False) -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "60")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "false")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_UI_ENABLED", "false")
