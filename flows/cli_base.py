"""What the command line and the commands behind it share: defaults and the user-mistake error.

Kept apart from flows/cli.py so that the commands need not import the argument parser (which
imports them): no import cycle between the CLI and its commands.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = os.environ.get("DEALWATCH_DB", "dealwatch.duckdb")
DEFAULT_SOURCES_FILE = os.environ.get("DEALWATCH_SOURCES", "sources.toml")


class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit status 2."""


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
