"""What the command line and the commands behind it share: defaults and the user-mistake error.

Kept apart from flows/cli.py so that the commands need not import the argument parser (which
imports them): no import cycle between the CLI and its commands.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_db() -> str:
    """The database when none is named: env DEALWATCH_DB, read when a command starts."""
    return os.environ.get("DEALWATCH_DB", "dealwatch.duckdb")


def default_sources_file() -> str:
    """sources.toml when no SOURCE is given: env DEALWATCH_SOURCES, read when a command starts."""
    return os.environ.get("DEALWATCH_SOURCES", "sources.toml")


class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit status 2."""


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
